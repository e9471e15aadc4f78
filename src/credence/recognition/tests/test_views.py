"""The guide's pages, the advisor page, and claims through the browser-facing views."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from credence.accounts.models import User
from credence.catalog.models import ExternalCertification
from credence.recognition.models import Claim, ClaimStatus, GuideEntry
from credence.recognition.services import claim_file
from credence.recognition.tests.conftest import ANSWERS, PDF, pdf

pytestmark = pytest.mark.django_db


def test_the_guide_lists_every_entry_by_category_and_filters(client, guide):
    html = client.get(reverse("recognition:guide")).content.decode()
    for entry in GuideEntry.objects.all():
        assert entry.name.replace('"', "&quot;") in html
    assert "High signal" in html and "Actively avoid" in html
    assert "The Certification Trap" in html

    moderate = client.get(reverse("recognition:guide"), {"category": "moderate"})
    assert moderate.context["count"] == 3
    aws = client.get(reverse("recognition:guide"), {"provider": "Amazon Web Services"})
    assert [e.name for g in aws.context["groups"] for e in g[3]] == [
        "AWS Certified Machine Learning - Specialty",
        "AWS Certified AI Practitioner",
    ]


def test_an_entry_page_shows_every_field_and_the_criteria(client, guide):
    response = client.get(
        reverse("recognition:entry", args=["google-professional-machine-learning-engineer"])
    )
    html = response.content.decode()

    for text in (
        "Practical ML engineering capability",
        "Ability to work outside GCP ecosystem",
        "You work or plan to work with GCP",
        "You work exclusively with other cloud providers",
        "Solid ML fundamentals, programming competence, cloud systems knowledge",
        "2-3 months (with prerequisites)",
        "~$200",
        "Technical depth",
        "Signal quality",
        "Independence low: tied to GCP",
    ):
        assert text in html, text
    assert "ðŸ" not in html and "â€" not in html


def test_a_kind_to_avoid_shows_why_and_the_reality(client, guide):
    html = client.get(reverse("recognition:entry", args=["prompt-engineering-certificates"]))
    html = html.content.decode()
    assert "Why avoid" in html and "Prompt engineering is not AI engineering" in html
    assert "early 2000s—useful for end users" in html


def test_guidance_pages_present_the_guides_sections(client, guide):
    html = client.get(reverse("recognition:guidance", args=["the-honest-recommendation"]))
    html = html.content.decode()
    assert "<h3>For 90% of learners</h3>" in html
    assert "Skip certifications entirely until you&#x27;ve completed Pillars 1-5." in html
    html = client.get(reverse("recognition:guidance", args=["what-hiring-managers-look-for"]))
    assert "<ol>" in html.content.decode()


def test_the_advisor_page_answers_with_reasons(client, guide):
    query = {k: ("yes" if v is True else "no" if v is False else v) for k, v in ANSWERS.items()}
    html = client.get(reverse("recognition:advisor"), query).content.decode()

    assert "Worth pursuing for you" in html
    assert "You work or plan to work with GCP" in html
    assert "Then, get at most one cloud platform cert if relevant to your work." in html


def test_the_advisor_page_without_answers_shows_only_the_questions(client, guide):
    response = client.get(reverse("recognition:advisor"))
    assert response.context["advice"] is None
    assert "Which cloud platform do you work with?" in response.content.decode()


def claim_form(**overrides):
    data = {
        "external": ExternalCertification.objects.get(code="google-ml-engineer").pk,
        "credential_id": "PMLE-42",
        "issued_on": (timezone.localdate() - timedelta(days=30)).isoformat(),
        "expires_on": (timezone.localdate() + timedelta(days=700)).isoformat(),
        "evidence": pdf(),
    }
    data.update(overrides)
    return data


def test_a_candidate_files_a_claim_and_sees_it(client, program, guide, candidate):
    client.force_login(candidate)

    response = client.post(reverse("recognition:claim-new"), claim_form())

    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("recognition:claim", args=[claim.pk])
    html = client.get(response.url).content.decode()
    assert "Google Professional Machine Learning Engineer" in html
    assert "Submitted, waiting for the program office" in html


def test_an_expired_certificate_is_refused_with_the_rule_on_the_page(client, program, candidate):
    client.force_login(candidate)
    expired = (timezone.localdate() - timedelta(days=2)).isoformat()

    response = client.post(
        reverse("recognition:claim-new"),
        claim_form(issued_on="2020-01-01", expires_on=expired),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Rule R10" in html and "This certificate expired on" in html
    assert not Claim.objects.exists()


def test_an_html_file_named_pdf_is_refused_on_the_page(client, program, candidate):
    client.force_login(candidate)
    fake = SimpleUploadedFile("c.pdf", b"<!doctype html><script>1</script>", "application/pdf")

    response = client.post(reverse("recognition:claim-new"), claim_form(evidence=fake))

    assert "Upload a PDF, a PNG or JPEG image" in response.content.decode()
    assert not Claim.objects.exists()


def test_other_certification_needs_a_name(client, program, candidate):
    client.force_login(candidate)
    response = client.post(reverse("recognition:claim-new"), claim_form(external=""))
    assert "Name the certification" in response.content.decode()


def test_evidence_goes_only_to_its_owner_and_staff_as_a_safe_download(
    client, program, candidate, staff, django_user_model
):
    claim = claim_file(
        candidate=candidate,
        external=None,
        other_name="Fraunhofer Data Scientist Basic Level",
        credential_id="F-1",
        issued_on=timezone.localdate() - timedelta(days=10),
        expires_on=None,
        evidence=[pdf("my <cert>.pdf")],
        acting_user=candidate,
    )
    url = reverse("recognition:evidence", args=[claim.evidence.get().pk])

    client.force_login(candidate)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "<" not in response["Content-Disposition"]
    assert "sandbox" in response["Content-Security-Policy"]

    client.force_login(staff)
    assert client.get(url).status_code == 200
    stranger = django_user_model.objects.create_user("s@example.invalid", "x" * 12, full_name="S")
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_queue_is_for_staff_and_shows_suggestion_and_rating(
    client, program, guide, candidate, staff
):
    claim_file(
        candidate=candidate,
        external=ExternalCertification.objects.get(code="google-ml-engineer"),
        credential_id="PMLE-42",
        issued_on=timezone.localdate() - timedelta(days=30),
        expires_on=None,
        evidence=[pdf()],
        acting_user=candidate,
    )
    client.force_login(candidate)
    assert client.get(reverse("recognition:queue")).status_code == 403

    client.force_login(staff)
    html = client.get(reverse("recognition:queue")).content.decode()

    assert "Knowledge test of Training, Evaluating, and Deploying Machine Learning Models" in html
    assert "Knowledge test of MLOps" in html
    assert "High signal" in html and "signal quality high" in html


def test_staff_approve_from_the_decision_page(client, program, guide, candidate, staff):
    claim = claim_file(
        candidate=candidate,
        external=ExternalCertification.objects.get(code="microsoft-azure-ai-engineer"),
        credential_id="AZ-1",
        issued_on=timezone.localdate() - timedelta(days=30),
        expires_on=timezone.localdate() + timedelta(days=300),
        evidence=[pdf()],
        acting_user=candidate,
    )
    client.force_login(staff)
    page = client.get(reverse("recognition:decide", args=[claim.pk]))
    assert page.context["form"]["waive"].initial == "ml-expert/knowledge-test"
    assert "Moderate signal" in page.content.decode()

    missing = client.post(reverse("recognition:decide", args=[claim.pk]), {"action": "reject"})
    assert "Write the message the candidate will read." in missing.content.decode()

    response = client.post(
        reverse("recognition:decide", args=[claim.pk]),
        {"action": "approve", "waive": "ml-expert/knowledge-test", "message": ""},
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED and claim.waiver is not None
    client.force_login(candidate)
    html = client.get(reverse("recognition:claims")).content.decode()
    assert "Approved" in html and "Waived: Knowledge test of Training" in html
    path = client.get(reverse("learning:my-path")).content.decode()
    assert "Waived" in path


def test_staff_edit_guide_entries_in_the_admin(client, guide, django_user_model):
    admin = django_user_model.objects.create_superuser("root@example.invalid", "x" * 12)
    client.force_login(admin)
    entry = GuideEntry.objects.get(slug="tensorflow-developer-certificate")

    page = client.get(reverse("admin:recognition_guideentry_change", args=[entry.pk]))
    assert (
        page.status_code == 200 and "You work extensively with TensorFlow" in page.content.decode()
    )
    listing = client.get(reverse("admin:recognition_guideentry_changelist"), {"category": "high"})
    assert (
        listing.status_code == 200
        and "TensorFlow Developer Certificate" in listing.content.decode()
    )
    assert client.get(reverse("admin:recognition_claim_changelist")).status_code == 200
    assert client.get(reverse("admin:learning_preparationresource_add")).status_code == 200
    assert client.get(reverse("admin:learning_suggestedproject_changelist")).status_code == 200


def test_staff_read_a_claim_but_only_its_candidate_answers_it(
    client, program, guide, candidate, staff
):
    client.force_login(candidate)
    client.post(reverse("recognition:claim-new"), claim_form())
    claim = Claim.objects.get()
    other = User.objects.create_user("other@example.invalid", "x" * 12, full_name="Other")

    client.force_login(other)
    assert client.get(reverse("recognition:claim", args=[claim.pk])).status_code == 404

    client.force_login(staff)
    assert client.get(reverse("recognition:claim", args=[claim.pk])).status_code == 200
    answer = client.post(reverse("recognition:claim", args=[claim.pk]), {"note": "for them"})
    assert answer.status_code == 403
    claim.refresh_from_db()
    assert claim.evidence.count() == 1

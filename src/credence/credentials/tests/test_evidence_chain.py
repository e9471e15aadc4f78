"""The evidence chain inside the credential and the holder's choice of what is public
(issue 18 item 5, decision 0054, rules E1 and E2): a real submission with a stored evidence
report and two examiners' scores, signed for real, verified, read back from the public page."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from credence.accounts.models import User
from credence.audit.models import AuditEvent
from credence.credentials import linkeddata, selectors, services
from credence.credentials.models import Certificate, EvidenceChoice
from credence.credentials.openbadges import REPORT_DIGEST, chain_facts
from credence.credentials.personal_data import erase_user_data, export_user_data
from credence.credentials.policy import DEFAULT_PUBLIC, PublicSet, evidence_choice_allowed
from credence.credentials.tests.conftest import PUBLIC, certify_composite
from credence.credentials.tests.test_ob_schema import conformance
from credence.exams.models import Attempt
from credence.portfolios.models import RubricScore, Submission

COMMIT = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
# a report with what a real one has: an author's name and address, non-ASCII text
REPORT = {
    "commit": COMMIT,
    "authors": [{"name": "Carla Müller", "email": "carla@example.invalid", "commits": 41}],
    "files": 17,
    "notes": ["tests found", "no secrets"],
}
EVERYTHING = PublicSet(name=True, bands=True, repository=True, report=True)
NOTHING = PublicSet(name=False, bands=False, repository=False, report=False)


@pytest.fixture
def portfolio(certificate, office):
    attempt = Attempt.objects.get(candidate=certificate.holder, evaluation__code="portfolio")
    submission = Submission.objects.create(
        candidate=certificate.holder,
        certification=attempt.certification,
        attempt=attempt,
        url="https://github.com/carla/churn-model.git",
        commit=COMMIT,
        rubric={},
        report=REPORT,
    )
    second = User.objects.create_user("erik@example.invalid", "x" * 12, full_name="Erik")
    for examiner, percent in ((office, "93.00"), (second, "97.50")):
        RubricScore.objects.create(
            submission=submission, examiner=examiner, points={}, percent=Decimal(percent)
        )
    return submission


def canonical_digest(report: dict) -> str:
    text = json.dumps(report, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def choose(holder, choice, certificate=None):
    return services.evidence_choice_set(
        holder=holder, choice=choice, certificate=certificate, acting_user=holder
    )


def test_the_credential_carries_the_whole_chain_when_the_holder_approves_everything(
    certificate, portfolio
):
    choose(certificate.holder, EVERYTHING)
    credential = services.credential_issue(certificate=certificate)
    [test, interview] = credential["evidence"]
    page = f"{PUBLIC}/certificates/{certificate.serial}/evidence/"
    assert (test["id"], interview["id"]) == (f"{page}#knowledge-test", f"{page}#portfolio")
    facts = chain_facts(interview["narrative"])
    assert facts["Repository"] == "https://github.com/carla/churn-model"
    assert facts["Commit"] == COMMIT
    assert facts[REPORT_DIGEST] == canonical_digest(REPORT)
    assert facts["Examiners' agreement"] == (
        "two examiners scored the rubric independently, 4.50 points apart, within the "
        "15-point margin"
    )
    assert facts["Result"] == "Passed on 2026-03-22 (pass mark 70)".replace(
        " (", "; score band 90\u2013100 ("
    )
    assert facts["Evidence page"] == f"{page}#portfolio"
    # the knowledge test had no live sitting here: its reliability is said to be unknown
    assert chain_facts(test["narrative"])["Form reliability"].startswith("not computable")
    assert chain_facts(test["narrative"])["Result"].endswith("score band 80\u201389 (pass mark 70)")
    assert credential["credentialSubject"]["name"] == "Carla Certified"
    # signed, verifiable, within the two contexts and 1EdTech's schema
    linkeddata.expand_strict({k: v for k, v in credential.items() if k != "proof"})
    assert conformance(credential) == []
    certificate.refresh_from_db()
    assert selectors.verify_certificate(certificate).signature_valid


def test_what_the_holder_hides_before_issuance_is_not_in_the_signed_credential(
    certificate, portfolio
):
    choose(certificate.holder, NOTHING)
    credential = services.credential_issue(certificate=certificate)
    signed = json.dumps(credential, ensure_ascii=False)
    assert "name" not in credential["credentialSubject"]
    assert "Carla" not in signed
    assert "churn-model" not in signed and COMMIT not in signed
    assert "score band" not in signed
    # what says nothing about the holder stays: the digest and the examiners' agreement
    interview = chain_facts(credential["evidence"][1]["narrative"])
    assert interview[REPORT_DIGEST] == canonical_digest(REPORT)
    assert "4.50 points apart" in interview["Examiners' agreement"]
    assert conformance(credential) == []
    certificate.refresh_from_db()
    assert selectors.verify_certificate(certificate).signature_valid


def test_the_default_shows_name_and_repository_but_no_band_and_no_report(
    certificate, portfolio, client
):
    assert selectors.evidence_choice_for(certificate) == DEFAULT_PUBLIC
    credential = services.credential_issue(certificate=certificate)
    assert credential["credentialSubject"]["name"] == "Carla Certified"
    assert "score band" not in json.dumps(credential)
    assert (
        "Repository: https://github.com/carla/churn-model" in credential["evidence"][1]["narrative"]
    )
    report = f"/certificates/{certificate.serial}/evidence/portfolio/report.json"
    assert client.get(report).status_code == 404


def test_the_public_page_shows_exactly_the_current_choice(certificate, portfolio, client):
    choose(certificate.holder, EVERYTHING)
    credential = services.credential_issue(certificate=certificate)
    url = f"/certificates/{certificate.serial}/evidence/"
    page = client.get(url).content.decode()
    assert "Carla Certified" in page
    assert "score band 90\u201399" not in page and "score band 90\u2013100" in page
    assert f"https://github.com/carla/churn-model/tree/{COMMIT}" in page
    assert canonical_digest(REPORT) in page
    assert "equals the digest the credential signed" in page
    assert "4.50 points apart, within the 15-point margin" in page
    # the hiring manager downloads the report and checks its digest against the signed one
    report = client.get(f"{url}portfolio/report.json")
    assert report.status_code == 200
    assert hashlib.sha256(report.content).hexdigest() == canonical_digest(REPORT)

    # later the holder hides everything: the page follows, the credential does not change
    choose(certificate.holder, NOTHING, certificate)
    page = client.get(url).content.decode()
    assert "Carla" not in page
    assert "churn-model" not in page and COMMIT not in page
    assert "score band 9" not in page and "score band 8" not in page
    assert "the score band is not shown, at the holder's choice" in page
    assert canonical_digest(REPORT) in page  # the digest names nobody
    assert client.get(f"{url}portfolio/report.json").status_code == 404
    certificate.refresh_from_db()
    assert certificate.credential == credential
    # the verification page honours the name choice too, and leads to the evidence page
    verification = client.get(f"/certificates/{certificate.serial}/").content.decode()
    assert "Carla" not in verification
    assert f'href="{url}"' in verification
    data = client.get(f"/certificates/{certificate.serial}/verification.json").json()
    assert data["holder"] == "Not shown, at the holder's choice"
    assert data["evidence_page_url"] == f"{PUBLIC}{url}"


def test_a_report_changed_after_signing_shows_as_differing(certificate, portfolio, client):
    choose(certificate.holder, EVERYTHING)
    services.credential_issue(certificate=certificate)
    Submission.objects.filter(pk=portfolio.pk).update(report={**REPORT, "files": 18})
    page = client.get(f"/certificates/{certificate.serial}/evidence/").content.decode()
    assert "differs from the digest the credential signed" in page


def test_every_change_is_audited_and_a_certificate_choice_overrides_the_default(
    certificate, portfolio
):
    choose(certificate.holder, EVERYTHING)
    choose(certificate.holder, NOTHING, certificate)
    assert selectors.holder_evidence_choice(certificate.holder) == EVERYTHING
    assert selectors.evidence_choice_for(certificate) == NOTHING
    events = list(AuditEvent.objects.filter(action="evidence_choice.changed").order_by("pk"))
    assert len(events) == 2
    assert events[1].before is None and events[1].after["name"] is False


def test_e2_refuses_a_public_report_without_the_repository_and_stores_nothing(certificate):
    choice = PublicSet(name=True, bands=True, repository=False, report=True)
    assert evidence_choice_allowed(choice).rule == "E2"
    assert not evidence_choice_allowed(choice).allowed
    with pytest.raises(services.EvidenceChoiceRefused, match=r"^E2: "):
        choose(certificate.holder, choice)
    assert not EvidenceChoice.objects.exists()
    assert not AuditEvent.objects.filter(action="evidence_choice.changed").exists()


def test_only_the_holder_chooses(certificate, office, client):
    url = f"/certificates/{certificate.serial}/evidence-choice/"
    client.force_login(office)
    assert client.post(url, {"show_name": "on"}).status_code == 403
    client.force_login(certificate.holder)
    response = client.post(url, {"show_bands": "on", "show_repository": "on"})
    assert response.status_code == 302
    assert selectors.evidence_choice_for(certificate) == PublicSet(
        name=False, bands=True, repository=True, report=False
    )
    response = client.post(url, {"show_report": "on"})
    assert response.status_code == 400 and "E2:" in response.content.decode()


def test_the_choice_is_in_the_data_export_and_erasure_makes_nothing_public(
    certificate, portfolio, client
):
    choose(certificate.holder, EVERYTHING)
    [row] = export_user_data(certificate.holder)["credentials.evidencechoice"]
    assert row["show_report"] is True
    erase_user_data(certificate.holder, now=datetime(2027, 1, 1, tzinfo=UTC))
    assert selectors.evidence_choice_for(certificate) == NOTHING
    page = client.get(f"/certificates/{certificate.serial}/evidence/").content.decode()
    assert "Carla" not in page and "churn-model" not in page


def test_the_api_answers_what_the_page_shows_and_takes_the_holders_choice(
    certificate, portfolio, office, client
):
    url = "/api/v1/evidence-choice"
    body = {"name": False, "bands": True, "repository": True, "report": True}
    assert client.post(url, body, content_type="application/json").status_code == 401
    client.force_login(office)
    other = client.post(
        url, {**body, "serial": certificate.serial}, content_type="application/json"
    )
    assert other.status_code == 403
    client.force_login(certificate.holder)
    refused = client.post(url, {**body, "repository": False}, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["rule"] == "E2"
    assert not EvidenceChoice.objects.exists()
    # consent is a JSON true, not a number or a word read as one
    for loose in (0, 1, "yes"):
        sloppy = client.post(url, {**body, "report": loose}, content_type="application/json")
        assert sloppy.status_code == 422
    assert not EvidenceChoice.objects.exists()
    assert client.post(url, body, content_type="application/json").json() == body
    client.logout()
    data = client.get(f"/api/v1/certificates/{certificate.serial}/evidence").json()
    assert data["holder"] is None and data["choice"] == body
    [test, interview] = data["evidence"]
    assert test["score_band"] == "80\u201389"
    assert interview["repository"] == "https://github.com/carla/churn-model"
    assert interview["report_digest"] == canonical_digest(REPORT)
    assert interview["signed_report_digest"] == canonical_digest(REPORT)
    report = client.get(interview["report_url"].removeprefix(PUBLIC))
    assert hashlib.sha256(report.content).hexdigest() == canonical_digest(REPORT)
    assert client.get("/api/v1/certificates/CRD-NOSUCHONE0/evidence").status_code == 404


def test_the_composite_awards_evidence_page_lists_its_component_certificates(
    program, office, candidate, client
):
    certify_composite(candidate, office)
    composite = Certificate.objects.get(holder=candidate, award="ai-engineer")
    page = client.get(f"/certificates/{composite.serial}/evidence/").content.decode()
    for component in Certificate.objects.filter(holder=candidate).exclude(pk=composite.pk):
        assert f"/certificates/{component.serial}/" in page
    assert "Carla Certified" in page  # the default shows the name

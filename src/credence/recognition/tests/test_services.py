"""Claims from filing to a waiver the rules engine honours (R10), written through the real
services, files and mail."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from credence.audit.models import AuditEvent
from credence.catalog import api as catalog_api
from credence.catalog.models import ExternalCertification
from credence.credentials import dataintegrity
from credence.credentials.multikey import public_multikey
from credence.exams.api import history_for, may_book
from credence.exams.models import Waiver
from credence.recognition import evidence as evidence_store
from credence.recognition.models import Claim, ClaimEvidence, ClaimStatus, VerificationStatus
from credence.recognition.policy import EvidenceRejected
from credence.recognition.services import (
    ClaimRefused,
    ClaimStateError,
    claim_approve,
    claim_file,
    claim_reject,
    claim_request_info,
    claim_respond,
)
from credence.recognition.tests.conftest import OPEN_BADGE, pdf

pytestmark = pytest.mark.django_db
TEST, PORTFOLIO = "knowledge-test", "portfolio"


def google():
    return ExternalCertification.objects.get(code="google-ml-engineer")


def file_claim(candidate, *, evidence=None, **overrides):
    values = {
        "candidate": candidate,
        "external": google(),
        "credential_id": "GCP-PMLE-1234",
        "issued_on": timezone.localdate() - timedelta(days=200),
        "expires_on": timezone.localdate() + timedelta(days=500),
        "evidence": [evidence or pdf()],
        "acting_user": candidate,
    }
    values.update(overrides)
    return claim_file(**values)


def test_filing_stores_the_evidence_privately_under_a_random_name(
    program, candidate, evidence_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = file_claim(candidate, evidence=pdf("../../etc/passwd.pdf"))

    (item,) = claim.evidence.all()
    assert item.kind == "pdf" and item.original_name == "passwd.pdf"
    stored = evidence_dir / item.stored_name
    assert stored.read_bytes().startswith(b"%PDF-")
    assert "passwd" not in item.stored_name and len(item.stored_name) == 36
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))
    assert claim.status == ClaimStatus.SUBMITTED
    assert AuditEvent.objects.filter(action="claim.filed", subject_id=str(claim.pk)).exists()
    assert [m.to for m in mail.outbox] == [["cand@example.invalid"]]


def test_an_expired_certificate_is_refused_and_nothing_is_stored(program, candidate, evidence_dir):
    with pytest.raises(ClaimRefused) as refused:
        file_claim(
            candidate,
            issued_on=date(2021, 3, 1),
            expires_on=timezone.localdate() - timedelta(days=1),
        )

    assert refused.value.decision.rule == "R10"
    assert "expired on" in refused.value.decision.reason
    assert not Claim.objects.exists()
    assert not list(evidence_dir.glob("*")) if evidence_dir.exists() else True


def test_a_file_that_is_not_what_it_claims_is_rejected_and_nothing_is_stored(
    program, candidate, evidence_dir
):
    html = SimpleUploadedFile(
        "certificate.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf"
    )
    with pytest.raises(EvidenceRejected):
        file_claim(candidate, evidence=html)

    assert not Claim.objects.exists() and not ClaimEvidence.objects.exists()
    assert not evidence_dir.exists() or not any(evidence_dir.iterdir())


def test_a_file_over_the_size_limit_is_rejected(program, candidate, settings):
    settings.CREDENCE_CLAIM_EVIDENCE_MAX_BYTES = 50
    big = SimpleUploadedFile("c.pdf", b"%PDF-1.4" + b"0" * 100, content_type="application/pdf")

    with pytest.raises(EvidenceRejected, match="larger than"):
        file_claim(candidate, evidence=big)
    assert not Claim.objects.exists()


def test_a_failure_after_storing_removes_the_stored_files(program, candidate, evidence_dir):
    good = pdf()
    bad = SimpleUploadedFile("b.png", b"GIF89a", content_type="image/png")

    with pytest.raises(EvidenceRejected):
        claim_file(
            candidate=candidate,
            external=google(),
            credential_id="x",
            issued_on=date(2025, 1, 1),
            expires_on=None,
            evidence=[good, bad],
            acting_user=candidate,
        )
    assert not Claim.objects.exists()
    assert not evidence_dir.exists() or not any(evidence_dir.iterdir())


def test_an_open_badge_without_a_proof_is_accepted_and_flagged_not_verified(program, candidate):
    badge = SimpleUploadedFile("badge.json", OPEN_BADGE, content_type="application/json")

    claim = file_claim(candidate, evidence=badge)

    (item,) = claim.evidence.all()
    assert item.kind == "open_badge"
    assert item.verification == VerificationStatus.NOT_VERIFIED
    assert "no proof" in item.verification_detail


def test_approval_waives_the_test_and_opens_the_portfolio_interview(
    program, candidate, staff, django_capture_on_commit_callbacks
):
    rules = catalog_api.program_rules()
    today = timezone.localdate()
    claim = file_claim(candidate)
    before = may_book(rules, history_for(candidate), "ml-expert", PORTFOLIO, today)
    assert before.rule == "R1"

    with django_capture_on_commit_callbacks(execute=True):
        claim = claim_approve(
            claim=claim,
            certification="ml-expert",
            evaluation=TEST,
            acting_user=staff,
            message="Welcome.",
        )

    assert claim.status == ClaimStatus.APPROVED and claim.decided_by == staff
    waiver = Waiver.objects.get(candidate=candidate)
    assert claim.waiver == waiver and waiver.granted_by == staff
    history = history_for(candidate)
    assert may_book(rules, history, "ml-expert", PORTFOLIO, today).allowed
    assert may_book(rules, history, "ml-expert", TEST, today).rule == "R10"
    (message,) = mail.outbox
    assert message.subject == "[Credence] Your partial-credit claim was approved"
    assert "Knowledge test of Training, Evaluating" in message.body
    assert message.body.endswith(
        f"\n\nYour claim: {settings.CREDENCE_PUBLIC_URL}/claims/{claim.pk}/"
    )
    assert AuditEvent.objects.filter(action="claim.approved").count() == 1
    with pytest.raises(ClaimStateError):
        claim_reject(claim=claim, reason="changed my mind", acting_user=staff)


def test_an_evaluation_already_waived_is_not_waived_twice(program, candidate, staff):
    claim_approve(
        claim=file_claim(candidate), certification="ml-expert", evaluation=TEST, acting_user=staff
    )
    second = file_claim(candidate)

    with pytest.raises(ClaimStateError, match="already"):
        claim_approve(claim=second, certification="ml-expert", evaluation=TEST, acting_user=staff)
    assert Waiver.objects.count() == 1
    assert Claim.objects.get(pk=second.pk).status == ClaimStatus.SUBMITTED


def test_only_staff_decide(program, candidate):
    claim = file_claim(candidate)

    with pytest.raises(PermissionDenied):
        claim_approve(
            claim=claim, certification="ml-expert", evaluation=TEST, acting_user=candidate
        )
    with pytest.raises(PermissionDenied):
        claim_reject(claim=claim, reason="no", acting_user=candidate)
    assert not Waiver.objects.exists()


def test_rejection_needs_a_reason_and_tells_the_candidate(
    program, candidate, staff, django_capture_on_commit_callbacks
):
    claim = file_claim(candidate)
    with pytest.raises(ValueError):
        claim_reject(claim=claim, reason="  ", acting_user=staff)

    with django_capture_on_commit_callbacks(execute=True):
        claim = claim_reject(claim=claim, reason="The scan is not legible.", acting_user=staff)

    assert claim.status == ClaimStatus.REJECTED
    assert "The scan is not legible." in mail.outbox[-1].body
    assert not Waiver.objects.exists()


def test_asking_for_more_and_the_candidates_answer(
    program, candidate, staff, django_capture_on_commit_callbacks
):
    claim = file_claim(candidate)
    with django_capture_on_commit_callbacks(execute=True):
        claim = claim_request_info(
            claim=claim, message="Please add the credential URL.", acting_user=staff
        )
    assert claim.status == ClaimStatus.INFO_REQUESTED
    assert mail.outbox[-1].subject == "[Credence] Your partial-credit claim needs more information"

    claim = claim_respond(
        claim=claim, note="Here it is.", evidence=[pdf("second.pdf")], acting_user=candidate
    )

    assert claim.status == ClaimStatus.SUBMITTED
    assert "Here it is." in claim.note
    assert claim.evidence.count() == 2
    with pytest.raises(ClaimStateError):
        claim_respond(claim=claim, note="again", evidence=[], acting_user=candidate)


def test_nothing_is_mailed_when_the_transaction_rolls_back(
    program, candidate, staff, django_capture_on_commit_callbacks
):
    claim = file_claim(candidate)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(KeyError):
        claim_approve(claim=claim, certification="no-such", evaluation=TEST, acting_user=staff)
    assert callbacks == [] and mail.outbox == []


def test_the_stored_path_cannot_leave_the_evidence_folder(program):
    with pytest.raises(FileNotFoundError):
        evidence_store.FOLDER.path_of("../secret_key")


def signed_badge(*, valid_until=None, issuer=None, tamper=False):
    key = Ed25519PrivateKey.generate()
    did = f"did:key:{public_multikey(key.public_key())}"
    document = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:2f1f6c8e-9a51-4b8e-9a0e-6f0c8f1d2a11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer or did, "type": ["Profile"], "name": "Other Provider"},
        "validFrom": "2025-06-01T00:00:00Z",
        "name": "Machine Learning Engineer",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "urn:uuid:6a7d1f0e-2c3b-4d5e-8f90-123456789abc",
                "type": ["Achievement"],
                "name": "Machine Learning Engineer",
                "description": "An external certification.",
                "criteria": {"narrative": "Passed the exam."},
            },
        },
    }
    if valid_until:
        document["validUntil"] = valid_until
    signed = dataintegrity.sign(
        document,
        private_key=key,
        verification_method=f"{issuer}#key-1"
        if issuer
        else f"{did}#{did.removeprefix('did:key:')}",
        created=datetime(2025, 6, 1, tzinfo=UTC),
    )
    if tamper:
        signed["name"] = "Something else"
    return SimpleUploadedFile("badge.json", json.dumps(signed).encode(), "application/json")


def test_a_badge_signed_by_its_issuer_is_verified_offline(program, candidate):
    claim = file_claim(candidate, evidence=signed_badge())

    item = claim.evidence.get()
    assert item.verification == VerificationStatus.VERIFIED
    assert "signature verifies" in item.verification_detail


def test_a_tampered_badge_fails_verification(program, candidate):
    claim = file_claim(candidate, evidence=signed_badge(tamper=True))

    assert claim.evidence.get().verification == VerificationStatus.FAILED


def test_a_badge_from_an_issuer_not_resolvable_offline_stays_not_verified(program, candidate):
    claim = file_claim(candidate, evidence=signed_badge(issuer="did:web:badges.example.test"))

    item = claim.evidence.get()
    assert item.verification == VerificationStatus.NOT_VERIFIED
    assert "did:web:badges.example.test cannot be resolved offline" in item.verification_detail


def test_an_expired_badge_is_refused_under_r10(program, candidate):
    with pytest.raises(ClaimRefused, match="expired on"):
        file_claim(candidate, evidence=signed_badge(valid_until="2026-01-01T00:00:00Z"))
    assert not Claim.objects.exists()

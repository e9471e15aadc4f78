"""``credence privacy purge``: data past its retention period goes, the rest stays; the clock
is travelled, the retention periods are settings."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from credence.exams.models import Response
from credence.portfolios.models import Submission
from credence.privacy.services import data_purge, erasure_request, user_erase
from credence.privacy.tests.conftest import PASSWORD
from credence.recognition import evidence as evidence_files
from credence.recognition.models import ClaimEvidence
from credence.recognition.services import claim_reject

pytestmark = pytest.mark.django_db


def purge(*args: str) -> str:
    out = io.StringIO()
    call_command("privacy", "purge", *args, stdout=out)
    return out.getvalue()


def test_answers_and_reports_go_once_their_retention_has_passed(carla, settings):
    settings.CREDENCE_RETENTION = {**settings.CREDENCE_RETENTION, "exam_responses": 30}
    answers = Response.objects.filter(sitting__booking__attempt__candidate=carla.user)
    # Released 2026-03-03: on 2026-04-01 it is 29 days old, kept.
    with time_machine.travel("2026-04-01 12:00Z"):
        assert data_purge()["exam_responses"] == 0
    assert answers.count() == 1
    with time_machine.travel("2026-04-03 12:00Z"):
        assert "exam_responses: would remove 1" in purge("--dry-run")
        assert answers.count() == 1  # a dry run removes nothing
        assert "exam_responses: removed 1" in purge()
    assert answers.count() == 0

    settings.CREDENCE_RETENTION = {**settings.CREDENCE_RETENTION, "portfolio_reports": 100}
    with time_machine.travel("2026-06-30 12:00Z"):  # 99 days after the 2026-03-23 release
        assert data_purge()["portfolio_reports"] == 0
    with time_machine.travel("2026-07-02 12:00Z"):
        assert data_purge()["portfolio_reports"] == 1
    submission = Submission.objects.get(pk=carla.submission.pk)
    assert submission.report is None and submission.identities == []
    assert submission.url == "https://github.com/carla-c/ml"  # the certificate relies on it


def test_claim_evidence_goes_a_retention_period_after_the_decision(
    carla, office, settings, django_capture_on_commit_callbacks
):
    settings.CREDENCE_RETENTION = {**settings.CREDENCE_RETENTION, "claims_evidence": 365}
    [stored] = ClaimEvidence.objects.filter(claim=carla.claim).values_list("stored_name", flat=True)
    assert data_purge()["claims_evidence"] == 0  # undecided: kept
    with time_machine.travel("2026-04-02 12:00Z"):
        claim_reject(claim=carla.claim, reason="Not an AI certification.", acting_user=office)
    with time_machine.travel("2027-04-01 12:00Z"):
        assert data_purge()["claims_evidence"] == 0
    with (
        time_machine.travel("2027-04-03 12:00Z"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert data_purge()["claims_evidence"] == 1
    assert not ClaimEvidence.objects.filter(claim=carla.claim).exists()
    assert not evidence_files.FOLDER.path_of(stored).exists()
    carla.claim.refresh_from_db()
    assert carla.claim.status == "rejected"  # the decision stays


def test_archived_invoices_go_after_the_statutory_period(
    carla, office, settings, django_capture_on_commit_callbacks
):
    erasure_request(user=carla.user, password=PASSWORD, acting_user=carla.user)
    with (
        time_machine.travel(timezone.now() + timedelta(days=15)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        user_erase(user=carla.user, acting_user=office)
    archive = settings.CREDENCE_INVOICE_ARCHIVE_DIR
    assert len(list(archive.glob("*.pdf"))) == 2
    # Ten years (3653 days) after their issue they may go.
    issued = carla.user.invoices.latest("issued_on").issued_on
    with time_machine.travel(f"{issued + timedelta(days=3653)} 12:00Z"):
        assert data_purge()["invoices"] == 0
    with time_machine.travel(f"{issued + timedelta(days=3654)} 12:00Z"):
        assert data_purge()["invoices"] == 2
    assert list(archive.glob("*.pdf")) == []


def test_a_retention_left_unset_purges_nothing_of_that_kind(carla, settings):
    settings.CREDENCE_RETENTION = {**settings.CREDENCE_RETENTION, "exam_responses": None}
    with time_machine.travel("2040-01-01 12:00Z"):
        assert "exam_responses" not in data_purge()
    assert Response.objects.filter(sitting__booking__attempt__candidate=carla.user).exists()

"""Two program-office members approving the same claim at once grant one waiver (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from credence.catalog.models import ExternalCertification
from credence.exams.models import Waiver
from credence.recognition.models import Claim, ClaimStatus
from credence.recognition.services import ClaimStateError, claim_approve, claim_file
from credence.recognition.tests.conftest import pdf

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_approvals_of_one_claim_grant_one_waiver(program, candidate, staff):
    claim = claim_file(
        candidate=candidate,
        external=ExternalCertification.objects.get(code="google-ml-engineer"),
        credential_id="PMLE-1",
        issued_on=timezone.localdate() - timedelta(days=10),
        expires_on=None,
        evidence=[pdf()],
        acting_user=candidate,
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(evaluation: str) -> None:
        try:
            barrier.wait()
            claim_approve(
                claim=claim, certification="ml-expert", evaluation=evaluation, acting_user=staff
            )
            outcomes.append("approved")
        except ClaimStateError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(e,)) for e in ("knowledge-test", "portfolio")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["approved", "refused"]
    assert Waiver.objects.filter(candidate=candidate).count() == 1
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.APPROVED

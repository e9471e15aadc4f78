"""Who may see partial-credit claims and their evidence (docs/permissions.md): the candidate
who filed the claim and the program office, nobody else."""

from __future__ import annotations

import rules
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from credence.accounts.access import access_object, is_office
from credence.accounts.models import User
from credence.recognition.models import Claim, ClaimEvidence


@rules.predicate
def filed_claim(user: User | AnonymousUser, claim: Claim) -> bool:
    return claim is not None and bool(user.pk) and claim.candidate_id == user.pk


@rules.predicate
def filed_evidence(user: User | AnonymousUser, evidence: ClaimEvidence) -> bool:
    return evidence is not None and bool(user.pk) and evidence.claim.candidate_id == user.pk


rules.add_perm("recognition.read_claim", filed_claim | is_office)
# Only the candidate answers the office's questions; the office decides on its own page.
rules.add_perm("recognition.respond_claim", filed_claim)
rules.add_perm("recognition.read_evidence", filed_evidence | is_office)
rules.add_perm("recognition.decide_claim", is_office)


def access_claim(request: HttpRequest, claim_id: int) -> Claim:
    """Someone else's claim does not exist for this user (404)."""
    return access_object(
        request,
        Claim.objects.select_related(
            "candidate", "external", "waiver__certification", "waiver__evaluation"
        ).prefetch_related("evidence"),
        "recognition.read_claim",
        pk=claim_id,
    )


def access_evidence(request: HttpRequest, evidence_id: int) -> ClaimEvidence:
    """Not 403: do not confirm that someone else's file exists."""
    return access_object(
        request,
        ClaimEvidence.objects.select_related("claim"),
        "recognition.read_evidence",
        pk=evidence_id,
    )

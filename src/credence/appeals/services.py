"""Writes of the appeals app: file, assign, decide. Each takes the appeal's row lock, checks
its rule and records the audit event in the same transaction (decision 0051)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credence.accounts import api as accounts_api
from credence.accounts.models import User
from credence.appeals.models import Appeal, AppealOutcome
from credence.appeals.policy import may_decide, may_review
from credence.appeals.selectors import a1_decision, involved_in
from credence.appeals.tasks import send_appeal_decided
from credence.audit.api import record
from credence.catalog import api as catalog_api
from credence.core.decisions import Refused, RuleRefused, reasons_text
from credence.exams import api as exams_api


class AppealRefused(RuleRefused):
    """A rule refuses; carries the decision so the caller can say which and why."""


@transaction.atomic
def appeal_file(
    *, attempt_id: int, reasons: str, candidate: User, now: datetime | None = None
) -> Appeal:
    """The candidate appeals one of their released results (A1). ``ObjectDoesNotExist``
    when there is no such result of theirs."""
    now = now or timezone.now()
    accounts_api.user_lock(candidate.pk)  # two appeals of one result: one after the other
    attempt = exams_api.attempt_get(attempt_id)
    if attempt.candidate_id != candidate.pk:
        raise ObjectDoesNotExist("not this candidate's result")
    decision = a1_decision(
        attempt,
        appealed=Appeal.objects.filter(attempt_id=attempt.pk).exists(),
        today=timezone.localdate(now),
        window=catalog_api.program_rules().appeal_window_days,
    )
    if isinstance(decision, Refused):
        raise AppealRefused(decision)
    appeal = Appeal.objects.create(
        attempt=attempt,
        candidate=candidate,
        reasons=reasons_text(reasons, _("your reasons"), "A1", AppealRefused),
        filed_at=now,
    )
    record(
        action="appeal.filed",
        subject=appeal,
        actor=candidate,
        subject_user=candidate,
        reason="A1",
        after={"attempt": attempt.pk, "status": attempt.status},
    )
    return appeal


def _locked(appeal: Appeal) -> Appeal:
    return Appeal.objects.select_for_update().get(pk=appeal.pk)


@transaction.atomic
def appeal_assign(*, appeal: Appeal, reviewer: User, acting_user: User) -> Appeal:
    """The program office names the independent reviewer (A2); again while undecided."""
    appeal = _locked(appeal)
    if appeal.outcome != AppealOutcome.PENDING:
        raise AppealRefused(
            Refused(rule="A2", reason=_("This appeal has been decided already."), never=True)
        )
    decision = may_review(reviewer.pk, appeal.candidate_id, involved_in(appeal.attempt_id))
    if isinstance(decision, Refused):
        raise AppealRefused(decision)
    before = {"reviewer": appeal.reviewer_id}
    appeal.reviewer, appeal.assigned_at = reviewer, timezone.now()
    appeal.save(update_fields=["reviewer", "assigned_at"])
    record(
        action="appeal.reviewer_assigned",
        subject=appeal,
        actor=acting_user,
        subject_user=appeal.candidate,
        reason="A2",
        before=before,
        after={"reviewer": reviewer.pk},
    )
    return appeal


@transaction.atomic
def appeal_decide(
    *,
    appeal: Appeal,
    outcome: str,
    decision: str,
    acting_user: User,
    now: datetime | None = None,
) -> Appeal:
    """The assigned reviewer upholds or dismisses the appeal, with reasons (A2); the
    candidate is told by mail and on their path."""
    appeal = _locked(appeal)
    allowed = may_decide(appeal.outcome, appeal.reviewer_id, acting_user.pk)
    if isinstance(allowed, Refused):
        raise AppealRefused(allowed)
    if outcome not in (AppealOutcome.UPHELD, AppealOutcome.DISMISSED):
        raise AppealRefused(Refused(rule="A2", reason=_("Uphold or dismiss the appeal.")))
    appeal.outcome = outcome
    appeal.decision = reasons_text(decision, _("the reasons for the decision"), "A2", AppealRefused)
    appeal.decided_at = now or timezone.now()
    appeal.save(update_fields=["outcome", "decision", "decided_at"])
    record(
        action="appeal.decided",
        subject=appeal,
        actor=acting_user,
        subject_user=appeal.candidate,
        reason="A2",
        before={"outcome": AppealOutcome.PENDING},
        after={"outcome": outcome},
    )
    # mailed by the task worker; the task is a row of this transaction
    send_appeal_decided.enqueue(appeal_id=appeal.pk)
    return appeal

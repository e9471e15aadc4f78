"""Writes of the challenges app: a candidate files a challenge (C1); authors or the program
office decide the item (C2), which rescores every released result that showed it in the same
transaction and records one audit event with every result's before and after (decision
0053)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credence.accounts import api as accounts_api
from credence.accounts.models import User
from credence.audit.api import record
from credence.challenges.models import Challenge, ChallengeOutcome

# the refusal is the reads' too (a decision's preview refuses what the decision would); the
# app's callers catch it here, with the writes that raise it
from credence.challenges.selectors import ChallengeRefused as ChallengeRefused
from credence.challenges.selectors import c1_decision, decision_scoring, may_decide, program_day
from credence.challenges.tasks import send_challenge_decided
from credence.core.decisions import Refused, reasons_text
from credence.exams import api as exams_api
from credence.items import api as items_api


@transaction.atomic
def challenge_file(
    *, sitting_id: int, position: int, reasons: str, candidate: User, now: datetime | None = None
) -> Challenge:
    """The candidate challenges one item of their submitted test (C1).
    ``ObjectDoesNotExist`` when there is no such submitted test of theirs."""
    now = now or timezone.now()
    accounts_api.user_lock(candidate.pk)  # two challenges of one item: one after the other
    test, items = exams_api.submitted_test(sitting_id, candidate.pk)
    item = next((i for i in items if i.position == position), None)
    if item is not None:
        _lock_version(item.version)  # a decision on the item waits for this, or this for it
    decision = c1_decision(
        test.submitted_at,
        on_form=item is not None,
        challenged=item is not None
        and Challenge.objects.filter(candidate=candidate, version_id=item.version).exists(),
        decided=item is not None
        and Challenge.objects.filter(version_id=item.version)
        .exclude(outcome=ChallengeOutcome.PENDING)
        .exists(),
        today=program_day(now),
    )
    if isinstance(decision, Refused):
        raise ChallengeRefused(decision)
    assert item is not None  # C1 refuses a position off the form
    challenge = Challenge.objects.create(
        sitting_id=test.sitting,
        position=position,
        version_id=item.version,
        candidate=candidate,
        reasons=reasons_text(reasons, _("your reasons"), "C1", ChallengeRefused),
        filed_at=now,
    )
    record(
        action="challenge.filed",
        subject=challenge,
        actor=candidate,
        subject_user=candidate,
        reason="C1",
        after={"sitting": test.sitting, "position": position, "version": item.version},
    )
    return challenge


def _lock_version(version_id: int) -> None:
    """The item version's row lock: filing a challenge of an item and deciding it take it
    first, so that no challenge is filed unseen while its item is being decided."""
    list(items_api.ItemVersion.objects.select_for_update().filter(pk=version_id).values("pk"))


@dataclass(frozen=True)
class Decided:
    ruling: items_api.KeyRuling
    challenges: int
    rescored: list[exams_api.Rescored]


@transaction.atomic
def challenge_decide(
    *,
    version_id: int,
    kind: str,
    key: Sequence[int],
    reasons: str,
    acting_user: User,
    now: datetime | None = None,
) -> Decided:
    """Decide a challenged item (C2): the item bank records the ruling (a dropped item is
    retired), every released result that showed the item is rescored on the release's path
    (R4, certificates awarded or withdrawn, the candidate mailed), every challenge of it is
    closed and its candidate told, and one audit event lists them all. Refused (nothing
    stored) when no challenge of the item waits or the decision does not fit the item."""
    may_decide(acting_user)
    now = now or timezone.now()
    reasons = reasons_text(reasons, _("the reasons for the decision"), "C2", ChallengeRefused)
    _lock_version(version_id)
    pending = list(
        Challenge.objects.select_for_update()
        .filter(version_id=version_id, outcome=ChallengeOutcome.PENDING)
        .order_by("pk")
    )
    if not pending:
        raise ChallengeRefused(
            Refused(rule="C2", reason=_("No challenge of this item waits for a decision."))
        )
    decision_scoring(version_id, kind, key)
    try:
        ruling = items_api.key_rule(
            version_id=version_id,
            kind=kind,
            key=key,
            reasons=reasons,
            acting_user=acting_user,
            now=now,
        )
        rescored = (
            []
            if kind == ChallengeOutcome.KEEP
            else exams_api.sittings_rescore(
                version_id=version_id,
                reason=_("A challenge decision changed the result it rested on (C2)."),
                acting_user=acting_user,
                now=now,
            )
        )
    except items_api.BankRefused as refused:
        raise ChallengeRefused(refused.decision) from None
    except exams_api.RescoreRefused as refused:
        # raised out of the transaction: the ruling and any rescore so far roll back
        raise ChallengeRefused(refused.decision) from None
    Challenge.objects.filter(pk__in=[c.pk for c in pending]).update(outcome=kind, decided_at=now)
    record(
        action="challenge.decided",
        subject=ruling,
        actor=acting_user,
        reason="C2",
        before={"challenges": [c.pk for c in pending], "outcome": ChallengeOutcome.PENDING},
        after={
            "outcome": kind,
            "key": ruling.key,
            "version": version_id,
            "rescored": [
                {
                    "sitting": r.sitting,
                    "attempt": r.attempt,
                    "before": r.before,
                    "after": r.after,
                    "awarded": list(r.awarded),
                    "withdrawn": list(r.withdrawn),
                }
                for r in rescored
            ],
        },
    )
    for challenge in pending:
        # mailed by the task worker; the task is a row of this transaction
        send_challenge_decided.enqueue(challenge_id=challenge.pk)
    return Decided(ruling, len(pending), rescored)

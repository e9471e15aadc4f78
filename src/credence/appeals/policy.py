"""The rules of appeals, as pure functions over plain data (decision 0051).

A1 — a released result may be appealed once, within the program's ``appeal_window_days`` of
its release.
A2 — the appeal is decided by an independent reviewer: not the candidate, not one of the
result's examiners or the proctors of its session; only the assigned reviewer decides, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from credence.core.decisions import Allowed, Refused

RELEASED = frozenset({"passed", "failed", "no_show", "excused"})


@dataclass(frozen=True)
class ResultFacts:
    status: str  # the attempt's status
    released_on: date | None
    appealed: bool  # an appeal of this result exists already


def last_day_to_appeal(released_on: date, window_days: int) -> date:
    return released_on + timedelta(days=window_days)


def may_appeal(result: ResultFacts, today: date, window_days: int) -> Allowed | Refused:
    """A1."""
    if result.status not in RELEASED or result.released_on is None:
        return Refused(rule="A1", reason=_("Only a released result can be appealed."), never=True)
    if result.appealed:
        return Refused(rule="A1", reason=_("This result has been appealed already."), never=True)
    last = last_day_to_appeal(result.released_on, window_days)
    if today > last:
        return Refused(
            rule="A1",
            reason=_(
                "The time to appeal this result ended on %(day)s (%(days)s days after its release)."
            )
            % {"day": date_format(last, "DATE_FORMAT"), "days": window_days},
            never=True,
        )
    return Allowed(rule="A1")


def may_review(reviewer_id: int, candidate_id: int, involved: frozenset[int]) -> Allowed | Refused:
    """A2: who may be assigned to decide an appeal."""
    if reviewer_id == candidate_id:
        return Refused(
            rule="A2", reason=_("A candidate cannot review their own appeal."), never=True
        )
    if reviewer_id in involved:
        return Refused(
            rule="A2",
            reason=_(
                "The reviewer must be independent: not an examiner or a proctor of this result."
            ),
            never=True,
        )
    return Allowed(rule="A2")


def may_decide(outcome: str, reviewer_id: int | None, acting_id: int) -> Allowed | Refused:
    """A2: only the assigned reviewer decides, and only once."""
    if outcome != "pending":
        return Refused(rule="A2", reason=_("This appeal has been decided already."), never=True)
    if reviewer_id is None or reviewer_id != acting_id:
        return Refused(
            rule="A2", reason=_("Only the reviewer assigned to this appeal decides it."), never=True
        )
    return Allowed(rule="A2")

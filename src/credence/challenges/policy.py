"""The rules of item challenges, as pure functions over plain data (decision 0053).

C1 — a candidate may challenge an item of a submitted knowledge test once, within the
program's ``challenge_window_days`` of the day the test was submitted, with reasons, as long
as no decision on that item has been taken.
C2 — authors and the program office decide a challenged item: keep it, rekey it, accept
several answers or drop it (``items.policy.may_rule``); a rekey or drop rescores every
released result that showed it, in one audited operation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from credence.core.decisions import Allowed, Refused


@dataclass(frozen=True)
class ItemFacts:
    submitted_on: date | None  # the day the test was submitted, in the program's time zone
    on_form: bool  # the position names an item of the candidate's form
    challenged: bool  # this candidate has challenged this item already
    decided: bool  # a decision on this item has been taken


def last_day_to_challenge(submitted_on: date, window_days: int) -> date:
    return submitted_on + timedelta(days=window_days)


def may_challenge(facts: ItemFacts, today: date, window_days: int) -> Allowed | Refused:
    """C1."""
    if facts.submitted_on is None:
        return Refused(
            rule="C1", reason=_("Items can be challenged once the test is submitted."), never=True
        )
    if not facts.on_form:
        return Refused(rule="C1", reason=_("There is no such item in your test."), never=True)
    if facts.challenged:
        return Refused(rule="C1", reason=_("You have challenged this item already."), never=True)
    if facts.decided:
        return Refused(
            rule="C1",
            reason=_("This item has been decided after an earlier challenge; the decision stands."),
            never=True,
        )
    last = last_day_to_challenge(facts.submitted_on, window_days)
    if today > last:
        return Refused(
            rule="C1",
            reason=_(
                "The time to challenge the items of this test ended on %(day)s "
                "(%(days)s days after you submitted it)."
            )
            % {"day": date_format(last, "DATE_FORMAT"), "days": window_days},
            never=True,
        )
    return Allowed(rule="C1")

"""The clock of a live test (R11: the server enforces the time limit), over plain data.

The deadline is start + time allowed + time paused; while a sitting is paused its deadline
moves with ``now``. The time allowed is the time limit lengthened by the candidate's approved
extra time (rule AC3, decision 0052: the limit times its factor, rounded up to the minute),
plus the proctor's extra minutes. Answers are accepted only while the test runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils.formats import time_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from credence.accommodations.api import extended_minutes
from credence.core.decisions import Allowed, Decision, Refused


@dataclass(frozen=True)
class Clock:
    started_at: datetime | None
    time_limit_minutes: int
    extra_minutes: int = 0
    paused_at: datetime | None = None
    paused_seconds: int = 0
    submitted_at: datetime | None = None
    time_factor: Decimal = Decimal(1)  # an approved accommodation's extra time (AC3)


def accommodated_minutes(clock: Clock) -> int:
    """The time limit with the accommodation's extra time (AC3), before the proctor's."""
    return extended_minutes(clock.time_limit_minutes, clock.time_factor)


def allowed_minutes(clock: Clock) -> int:
    """All the time the candidate has, pauses aside."""
    return accommodated_minutes(clock) + clock.extra_minutes


def deadline(clock: Clock, now: datetime) -> datetime | None:
    if clock.started_at is None:
        return None
    end = clock.started_at + timedelta(minutes=allowed_minutes(clock), seconds=clock.paused_seconds)
    if clock.paused_at is not None:
        end += max(now - clock.paused_at, timedelta(0))
    return end


def seconds_left(clock: Clock, now: datetime) -> int:
    end = deadline(clock, now)
    if end is None:
        return allowed_minutes(clock) * 60
    return max(int((end - now).total_seconds()), 0)


def is_over(clock: Clock, now: datetime) -> bool:
    end = deadline(clock, now)
    return end is not None and now > end


def may_answer(clock: Clock, now: datetime) -> Decision:
    """R11: an answer counts only if it reaches the server while the test runs."""
    if clock.submitted_at is not None:
        return Refused(
            rule="R11",
            reason=_("Your test is submitted; its answers can no longer change."),
            never=True,
        )
    if clock.started_at is None:
        return Refused(rule="R11", reason=_("Your test has not started yet."))
    end = deadline(clock, now)
    assert end is not None
    if now > end:
        return Refused(
            rule="R11",
            reason=_(
                "Time was up at %(time)s. Answers given after the deadline are not accepted; "
                "everything saved before it counts."
            )
            % {"time": time_format(localtime(end), "TIME_FORMAT")},
            never=True,
        )
    if clock.paused_at is not None:
        return Refused(
            rule="R11",
            reason=_(
                "The proctor has paused your test, and this answer was not saved. Your time "
                "does not run while the test is paused."
            ),
        )
    return Allowed(rule="R11")


# The countdown warns the candidate when this many minutes are left (issue 19): at 10 there
# is time to go back to flagged and unanswered items, at 2 only to finish the item at hand.
WARNINGS_AT_MINUTES = (10, 2)


def time_warning(seconds: int, *, paused: bool = False) -> int | None:
    """The warning the countdown shows with ``seconds`` left: the smallest threshold of
    ``WARNINGS_AT_MINUTES`` reached, or none (a paused test's time does not run)."""
    if paused:
        return None
    reached = [minutes for minutes in WARNINGS_AT_MINUTES if seconds <= minutes * 60]
    return min(reached) if reached else None

"""Reads of live tests: the proctor's console (counts, never answers) and what a candidate's
page shows of one item (never keys, correct flags or fractions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import Count
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from credence.accommodations import api as accommodations_api
from credence.accounts.models import User
from credence.exams.delivery.policy import Clock, accommodated_minutes, seconds_left
from credence.exams.models import Booking, ExamSession, Sitting
from credence.exams.statuses import AttemptStatus
from credence.items import api as items_api
from credence.items.api import ShownItem, item_as_shown


def clock_of(sitting: Sitting) -> Clock:
    """The sitting's clock as plain data, for the timing rules (delivery.policy)."""
    return Clock(
        started_at=sitting.started_at,
        time_limit_minutes=sitting.time_limit_minutes,
        extra_minutes=sitting.extra_minutes,
        paused_at=sitting.paused_at,
        paused_seconds=sitting.paused_seconds,
        submitted_at=sitting.submitted_at,
        time_factor=sitting.time_factor,
    )


class SittingState(models.TextChoices):
    """Where a booked candidate is in the session, as the console shows it."""

    BOOKED = "booked", _("not checked in")
    CHECKED_IN = "checked_in", _("checked in")
    RUNNING = "running", _("running")
    PAUSED = "paused", _("paused")
    SUBMITTED = "submitted", _("submitted")


@dataclass(frozen=True)
class ConsoleRow:
    booking: Booking
    name: str
    certification: str  # its name, as the console shows it
    state: SittingState
    answered: int
    total: int
    extra_minutes: int
    seconds_left: int | None
    # the candidate's accommodations with rule AC3's word on the session's day
    accommodations: list[accommodations_api.OnTheDay]
    # the time limit with the accommodation's extra time, when it lengthens it (AC3)
    accommodated_minutes: int | None = None

    @property
    def minutes_left(self) -> int | None:
        return None if self.seconds_left is None else -(-self.seconds_left // 60)


def console_rows(session: ExamSession, now: datetime) -> list[ConsoleRow]:
    bookings = (
        Booking.objects.filter(session=session)
        .exclude(attempt__status=AttemptStatus.CANCELLED)
        .select_related("attempt__candidate", "attempt__certification", "sitting")
        .annotate(answered=Count("sitting__responses"))
        .order_by("attempt__candidate__full_name", "pk")
    )
    day = localdate(session.starts_at)
    on_the_day = accommodations_api.on_the_day([b.attempt.candidate_id for b in bookings], day)
    rows = []
    for booking in bookings:
        sitting: Sitting | None = getattr(booking, "sitting", None)
        accommodated = None
        if sitting is None:
            state, total, extra, left = SittingState.BOOKED, 0, 0, None
            # what check-in will apply (AC3), so that the proctor knows before the start
            factor = accommodations_api.time_factor_for(booking.attempt.candidate_id, day)
            if factor != 1:
                limit = items_api.blueprint_for(booking.attempt.certification.code)
                accommodated = accommodations_api.extended_minutes(limit.time_limit_minutes, factor)
        else:
            total, extra = len(sitting.form), sitting.extra_minutes
            if sitting.time_factor != 1:
                accommodated = accommodated_minutes(clock_of(sitting))
            left = None if sitting.submitted_at else seconds_left(clock_of(sitting), now)
            if sitting.submitted_at is not None:
                state = SittingState.SUBMITTED
            elif sitting.paused_at is not None:
                state = SittingState.PAUSED
            elif sitting.started_at is not None:
                state = SittingState.RUNNING
            else:
                state = SittingState.CHECKED_IN
        candidate = booking.attempt.candidate
        rows.append(
            ConsoleRow(
                booking=booking,
                name=candidate.full_name or candidate.email,
                certification=booking.attempt.certification.name,
                state=state,
                answered=booking.answered if sitting else 0,
                total=total,
                extra_minutes=extra,
                seconds_left=left,
                accommodations=on_the_day.get(candidate.pk, []),
                accommodated_minutes=accommodated,
            )
        )
    return rows


def shown_item(sitting: Sitting, position: int) -> ShownItem:
    entry = sitting.form[position]
    version = items_api.versions_by_id([entry["version"]])[entry["version"]]
    response = sitting.responses.filter(position=position).first()
    return item_as_shown(
        version.item_content,
        option_order=entry["options"],
        position=position,
        answer=response.answer if response else None,
        flagged=response.flagged if response else False,
        saved_at=response.saved_at if response else None,
    )


def progress(sitting: Sitting) -> dict[int, tuple[bool, bool]]:
    """Per position: (answered, flagged), for the navigation."""
    # rows, not models: models with deferred fields read the deferred sitting id back, one
    # query per answered item, to link each to the sitting (60 queries on every test page)
    saved = {
        position: (answer is not None, flagged)
        for position, answer, flagged in sitting.responses.values_list(
            "position", "answer", "flagged"
        )
    }
    return {p: saved.get(p, (False, False)) for p in range(len(sitting.form))}


@dataclass(frozen=True)
class NavCell:
    """One item in the test page's navigator grid."""

    position: int
    answered: bool
    flagged: bool

    @property
    def number(self) -> int:
        return self.position + 1


@dataclass(frozen=True)
class Review:
    """Where the candidate stands before submitting: what the review step lists."""

    cells: list[NavCell]

    @property
    def total(self) -> int:
        return len(self.cells)

    @property
    def answered(self) -> int:
        return sum(cell.answered for cell in self.cells)

    @property
    def unanswered(self) -> list[NavCell]:
        return [cell for cell in self.cells if not cell.answered]

    @property
    def flagged(self) -> list[NavCell]:
        return [cell for cell in self.cells if cell.flagged]


def review_of(sitting: Sitting) -> Review:
    return Review(
        cells=[
            NavCell(position, answered, flagged)
            for position, (answered, flagged) in sorted(progress(sitting).items())
        ]
    )


def sitting_for(candidate: User, pk: int) -> Sitting | None:
    return (
        Sitting.objects.select_related("booking__session", "booking__attempt__certification")
        .filter(pk=pk, booking__attempt__candidate=candidate)
        .first()
    )

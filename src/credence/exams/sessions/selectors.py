"""Reads about sessions and bookings (R11)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TypedDict
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Q, QuerySet
from django_stubs_ext import WithAnnotations

from credence.accounts.models import User
from credence.catalog.api import ProgramRules
from credence.core.compiled import CompiledRead
from credence.exams.models import Booking, ExamSession
from credence.exams.sessions.policy import SessionFacts
from credence.exams.statuses import AttemptStatus


class SeatsTaken(TypedDict):
    taken: int


class ResultsAwaited(TypedDict):
    to_release: int
    released: int
    last_released_at: datetime | None


# a cancelled attempt frees its seat; every other booking holds one
_HOLDS_SEAT = ~Q(bookings__attempt__status=AttemptStatus.CANCELLED)


def live_evaluation(rules: ProgramRules) -> str:
    """The evaluation sessions hold: the program's first (the knowledge test, seed 000)."""
    return rules.evaluations_in_order()[0].code


def session_day(session: ExamSession, rules: ProgramRules) -> date:
    """The day of the session in the program's time zone: the attempt's ``held_on``."""
    return session.starts_at.astimezone(ZoneInfo(rules.time_zone)).date()


# Read under the session's lock by every booking: compiled once (decision 0047, issue 14).
_SEATS_TAKEN = CompiledRead(
    lambda session: (
        Booking.objects.filter(session=session)
        .exclude(attempt__status=AttemptStatus.CANCELLED)
        .order_by()
        .values("session")
        .annotate(taken=Count("pk"))
        .values_list("taken")
    )
)
_CERTIFICATIONS = CompiledRead(
    lambda session: ExamSession.certifications.through.objects.filter(
        examsession=session
    ).values_list("certification__code")
)


def seats_taken(session: ExamSession) -> int:
    rows = _SEATS_TAKEN.rows(session.pk)
    return rows[0][0] if rows else 0


def session_facts(session: ExamSession) -> SessionFacts:
    return SessionFacts(
        certifications=frozenset(code for (code,) in _CERTIFICATIONS.rows(session.pk)),
        starts_at=session.starts_at,
        booking_deadline=session.booking_deadline,
        capacity=session.capacity,
        seats_taken=seats_taken(session),
        published=session.published_at is not None,
    )


def sessions_with_seats() -> QuerySet[WithAnnotations[ExamSession, SeatsTaken]]:
    return ExamSession.objects.annotate(
        taken=Count("bookings", filter=_HOLDS_SEAT, distinct=True)
    ).prefetch_related("certifications")


def with_results(
    sessions: QuerySet[ExamSession],
) -> QuerySet[WithAnnotations[ExamSession, ResultsAwaited]]:
    """``sessions`` with what their results await: ``to_release`` (tests handed in whose
    result is not released yet: the release is still to do), ``released`` and
    ``last_released_at`` (when the office last released some)."""
    return sessions.annotate(
        to_release=Count(
            "bookings__sitting",
            filter=Q(
                bookings__sitting__submitted_at__isnull=False,
                bookings__sitting__released_at__isnull=True,
            ),
            distinct=True,
        ),
        released=Count(
            "bookings__sitting",
            filter=Q(bookings__sitting__released_at__isnull=False),
            distinct=True,
        ),
        last_released_at=Max("bookings__sitting__released_at"),
    )


def published_upcoming(now: datetime) -> QuerySet[WithAnnotations[ExamSession, SeatsTaken]]:
    """Published sessions that have not started, soonest first."""
    return sessions_with_seats().filter(published_at__isnull=False, starts_at__gt=now)


def bookings_for(candidate: User) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(attempt__candidate=candidate)
        .select_related("session", "attempt", "attempt__certification")
        .order_by("-session__starts_at")
    )

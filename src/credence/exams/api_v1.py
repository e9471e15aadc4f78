"""HTTP API for sessions, bookings and attempts (R1-R3, R11): published sessions are
public; a candidate books and cancels seats and reads their own attempts and bookings; the
program office lists every session and publishes drafts. Thin: the rules and locks are in
``sessions.services``/``services``."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_stubs_ext import WithAnnotations
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from credence.exams.models import Attempt, Booking, ExamSession
from credence.exams.sessions.selectors import (
    SeatsTaken,
    bookings_for,
    published_upcoming,
    seats_taken,
    sessions_with_seats,
)
from credence.exams.sessions.services import (
    SessionRefused,
    booking_cancel,
    session_book,
    session_publish,
)
from credence.webapi.auth import require_office, signed_in
from credence.webapi.pagination import Page
from credence.webapi.problems import errors, refusal

router = Router(tags=["sessions"])

SIGNED_IN_ERRORS = errors(401, 403, 404, 422)


class SessionOut(Schema):
    id: int
    venue: str
    starts_at: datetime
    duration_minutes: int
    booking_deadline: datetime
    capacity: int
    seats_left: int
    certifications: list[str]
    published: bool


class BookingIn(Schema):
    certification: str


class BookingOut(Schema):
    id: int
    session: int
    venue: str
    starts_at: datetime
    certification: str
    attempt: int
    status: str


class AttemptOut(Schema):
    id: int
    certification: str
    evaluation: str
    held_on: date
    status: str
    # Set when the result is released (R4), as a decimal string; null before.
    score: str | None
    released_on: date | None


def _session_out(session: ExamSession, taken: int) -> SessionOut:
    return SessionOut(
        id=session.pk,
        venue=session.venue,
        starts_at=session.starts_at,
        duration_minutes=session.duration_minutes,
        booking_deadline=session.booking_deadline,
        capacity=session.capacity,
        seats_left=max(session.capacity - taken, 0),
        certifications=sorted(c.code for c in session.certifications.all()),
        published=session.published_at is not None,
    )


def _booking_out(booking: Booking) -> BookingOut:
    return BookingOut(
        id=booking.pk,
        session=booking.session_id,
        venue=booking.session.venue,
        starts_at=booking.session.starts_at,
        certification=booking.attempt.certification.code,
        attempt=booking.attempt_id,
        status=booking.attempt.status,
    )


def _own_booking(request: HttpRequest, pk: int, permission: str) -> Booking:
    booking = get_object_or_404(
        Booking.objects.select_related("session", "attempt__certification"), pk=pk
    )
    # Someone else's booking is indistinguishable from one that does not exist.
    if not request.user.has_perm(permission, booking):
        raise Http404
    return booking


@router.get("/sessions", response={200: list[SessionOut], **errors(422)}, auth=None)
@paginate(Page)
def sessions(request: HttpRequest) -> list[SessionOut]:
    """Published sessions that have not started, soonest first (R11)."""
    return [_session_out(s, s.taken) for s in published_upcoming(timezone.now())]


@router.get("/sessions/{int:session_id}", response={200: SessionOut, **errors(404)}, auth=None)
def session(request: HttpRequest, session_id: int) -> SessionOut:
    found: WithAnnotations[ExamSession, SeatsTaken] = get_object_or_404(
        sessions_with_seats(), pk=session_id, published_at__isnull=False
    )
    return _session_out(found, found.taken)


@router.post(
    "/sessions/{int:session_id}/bookings",
    response={201: BookingOut, **SIGNED_IN_ERRORS, **errors(400, 409)},
    auth=signed_in,
)
def book(request: HttpRequest, session_id: int, payload: BookingIn) -> Status:
    """Book a seat for one certification's knowledge test: R11 (published, deadline, seats)
    and R1-R3, R12; invoiced by R7. A refusal answers 409 with the rule."""
    assert request.user.is_authenticated  # signed_in lets no anonymous caller through
    found = get_object_or_404(ExamSession, pk=session_id, published_at__isnull=False)
    booking = session_book(
        session=found,
        candidate=request.user,
        certification=payload.certification,
        acting_user=request.user,
    )
    return Status(201, _booking_out(booking))


@router.get("/bookings", response={200: list[BookingOut], **SIGNED_IN_ERRORS}, auth=signed_in)
@paginate(Page)
def bookings(request: HttpRequest) -> list[BookingOut]:
    """The caller's own bookings, latest session first."""
    assert request.user.is_authenticated  # signed_in lets no anonymous caller through
    return [_booking_out(b) for b in bookings_for(request.user)]


@router.get(
    "/bookings/{int:booking_id}", response={200: BookingOut, **SIGNED_IN_ERRORS}, auth=signed_in
)
def booking(request: HttpRequest, booking_id: int) -> BookingOut:
    return _booking_out(_own_booking(request, booking_id, "exams.read_booking"))


@router.post(
    "/bookings/{int:booking_id}/cancel",
    response={200: BookingOut, **SIGNED_IN_ERRORS, **errors(409)},
    auth=signed_in,
)
def cancel(request: HttpRequest, booking_id: int) -> BookingOut:
    """Cancel a booking: the candidate until the booking deadline, the office until the
    start (R11); the attempt is cancelled with its credit note."""
    assert request.user.is_authenticated  # signed_in lets no anonymous caller through
    found = _own_booking(request, booking_id, "exams.cancel_booking")
    booking_cancel(booking=found, acting_user=request.user)
    return _booking_out(_own_booking(request, booking_id, "exams.read_booking"))


@router.get("/attempts", response={200: list[AttemptOut], **SIGNED_IN_ERRORS}, auth=signed_in)
@paginate(Page)
def attempts(request: HttpRequest) -> list[AttemptOut]:
    """The caller's own attempts with their released results, latest first."""
    assert request.user.is_authenticated  # signed_in lets no anonymous caller through
    return [
        AttemptOut(
            id=a.pk,
            certification=a.certification.code,
            evaluation=a.evaluation.code,
            held_on=a.held_on,
            status=a.status,
            score=str(a.score) if a.score is not None else None,
            released_on=a.released_on,
        )
        for a in Attempt.objects.filter(candidate=request.user)
        .select_related("certification", "evaluation")
        .order_by("-held_on", "-id")
    ]


# The program office


@router.get(
    "/staff/sessions",
    response={200: list[SessionOut], **SIGNED_IN_ERRORS},
    auth=signed_in,
    tags=["staff"],
)
@paginate(Page)
def all_sessions(request: HttpRequest) -> list[SessionOut]:
    """Every session, drafts included, latest first (program office)."""
    require_office(request)
    return [_session_out(s, s.taken) for s in sessions_with_seats().order_by("-starts_at")]


@router.post(
    "/staff/sessions/{int:session_id}/publish",
    response={200: SessionOut, **SIGNED_IN_ERRORS, **errors(409)},
    auth=signed_in,
    tags=["staff"],
)
def publish(request: HttpRequest, session_id: int) -> SessionOut | HttpResponse:
    """Publish a draft session so that candidates can book it (R11); publishing twice keeps
    the first publication. A session whose test forms the item bank cannot fill is refused:
    409 with rule R11 and, per certification, what the bank lacks."""
    assert request.user.is_authenticated  # signed_in lets no anonymous caller through
    require_office(request)
    found = get_object_or_404(ExamSession, pk=session_id)
    try:
        published = session_publish(session=found, acting_user=request.user, now=timezone.now())
    except SessionRefused as refused:
        return refusal(request, refused.decision)
    return _session_out(published, seats_taken(published))

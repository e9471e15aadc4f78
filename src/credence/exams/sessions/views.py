"""Thin views for sessions (R11): candidates book and cancel seats and download the calendar
file; the program office creates and publishes sessions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import ModelMultipleChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credence.accounts.access import AuthenticatedHttpRequest, staff_only
from credence.catalog import api as catalog_api
from credence.catalog.models import Certification
from credence.core.decisions import Decision, Refused
from credence.exams.ical import booking_calendar
from credence.exams.models import ExamSession
from credence.exams.permissions import access_booking
from credence.exams.policy import may_book
from credence.exams.selectors import history_for
from credence.exams.services import BookingRefused, InvalidTransition
from credence.exams.sessions.forms import ProctorsForm, SessionForm
from credence.exams.sessions.policy import SessionFacts, may_book_seat
from credence.exams.sessions.selectors import (
    bookings_for,
    live_evaluation,
    published_upcoming,
    session_day,
    sessions_with_seats,
    with_results,
)
from credence.exams.sessions.services import (
    SessionRefused,
    booking_cancel,
    session_assign_proctors,
    session_book,
    session_create,
    session_publish,
)
from credence.exams.statuses import AttemptStatus


@dataclass(frozen=True)
class Offer:
    """One certification's test in one session, and whether this candidate may book it."""

    certification: Certification
    decision: Decision


@dataclass(frozen=True)
class SessionRow:
    session: ExamSession
    seats_left: int
    offers: list[Offer]


def _rows(candidate: Any) -> list[SessionRow]:
    now = timezone.now()
    rules = catalog_api.program_rules()
    history = history_for(candidate)
    evaluation = live_evaluation(rules)
    rows = []
    for session in published_upcoming(now):
        certifications = list(session.certifications.all())
        facts = SessionFacts(
            certifications=frozenset(c.code for c in certifications),
            starts_at=session.starts_at,
            booking_deadline=session.booking_deadline,
            capacity=session.capacity,
            seats_taken=session.taken,
            published=True,
        )
        offers = []
        for certification in certifications:
            decision = may_book_seat(facts, certification.code, now)
            if not isinstance(decision, Refused):
                decision = may_book(
                    rules, history, certification.code, evaluation, session_day(session, rules)
                )
            offers.append(Offer(certification, decision))
        rows.append(SessionRow(session, facts.seats_left, offers))
    return rows


@login_required
def sessions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Published sessions to book, and the candidate's own bookings."""
    try:
        rows = _rows(request.user)
    except catalog_api.ProgramNotLoaded:
        rows = []
    return render(
        request,
        "exams/sessions.html",
        {
            "rows": rows,
            "bookings": bookings_for(request.user),
            "booked": AttemptStatus.BOOKED,
        },
    )


@login_required
@require_POST
def book(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # the service reads the session under its lock and refuses an unpublished one (R11)
    try:
        session_book(
            session=pk,
            candidate=request.user,
            certification=request.POST.get("certification", ""),
            acting_user=request.user,
        )
    except ExamSession.DoesNotExist:
        raise Http404 from None
    except BookingRefused as refused:
        messages.error(request, f"{refused.decision.rule}: {refused.decision.reason}")
    else:
        messages.success(
            request, _("Your seat is booked. A confirmation with a calendar file is on its way.")
        )
    return redirect("exams:sessions")


@login_required
@require_POST
def cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    booking = access_booking(request, pk, "exams.cancel_booking")
    try:
        booking_cancel(booking=booking, acting_user=request.user)
    except BookingRefused as refused:
        messages.error(request, f"{refused.decision.rule}: {refused.decision.reason}")
    except InvalidTransition:
        messages.error(request, _("This booking cannot be cancelled any more."))
    else:
        messages.success(request, _("Your booking is cancelled and the seat is free again."))
    return redirect("exams:sessions")


@login_required
def calendar(request: HttpRequest, pk: int) -> HttpResponse:
    booking = access_booking(request, pk)
    response = HttpResponse(
        booking_calendar(booking, stamp=timezone.now()), content_type="text/calendar"
    )
    response["Content-Disposition"] = f'attachment; filename="knowledge-test-{booking.pk}.ics"'
    return response


@staff_only
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The program office's list of sessions, with a form for a new one."""
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session_create(
                certifications=[c.code for c in data["certifications"]],
                venue=data["venue"],
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                capacity=data["capacity"],
                booking_deadline=data["booking_deadline"],
                proctors=list(data["proctors"]),
                acting_user=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The session is created. Publish it when it is final."))
            return redirect("exams:manage")
    return render(
        request,
        "exams/manage.html",
        {
            "form": form,
            # with what their results await: the release is offered here (issue 19)
            "sessions": with_results(sessions_with_seats())
            .prefetch_related("certifications", "proctors")
            .order_by("-starts_at"),
            "proctors": cast(ModelMultipleChoiceField, ProctorsForm().fields["proctors"]).queryset,
        },
    )


@staff_only
@require_POST
def assign_proctors(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(ExamSession, pk=pk)
    form = ProctorsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose proctors from the list."))
        return redirect("exams:manage")
    try:
        session_assign_proctors(
            session=session, proctors=list(form.cleaned_data["proctors"]), acting_user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The session's proctors are saved."))
    return redirect("exams:manage")


@staff_only
@require_POST
def publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(ExamSession, pk=pk)
    try:
        session_publish(session=session, acting_user=request.user, now=timezone.now())
    except SessionRefused as refused:
        messages.error(request, f"{refused.decision.rule}: {refused.decision.reason}")
    else:
        messages.success(request, _("The session is published; candidates can book it now."))
    return redirect("exams:manage")

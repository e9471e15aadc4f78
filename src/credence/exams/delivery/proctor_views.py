"""The proctor's console (R11): open, check in, extend, pause and resume one or all, close;
a live view of who is in and how far (counts, never answers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credence.accounts.access import (
    AuthenticatedHttpRequest,
    access_object,
    is_office,
    role_required,
)
from credence.accounts.models import Role
from credence.core.middleware import HtmxHttpRequest
from credence.exams.delivery import services as delivery
from credence.exams.delivery.selectors import SittingState, console_rows
from credence.exams.models import Booking, ExamSession
from credence.exams.permissions import access_proctored_session, access_sitting
from credence.exams.sessions.selectors import with_results

proctor_only = role_required(Role.PROCTOR)


def _context(session: ExamSession) -> dict[str, Any]:
    rows = console_rows(session, timezone.now())
    counts = {state.value: sum(1 for r in rows if r.state == state) for state in SittingState}
    return {"session": session, "rows": rows, "counts": counts}


@proctor_only
def console_list(request: HttpRequest) -> HttpResponse:
    """Published sessions that have not been closed, soonest first: a proctor's own, or all
    for the program office."""
    sessions = ExamSession.objects.filter(
        published_at__isnull=False, closed_at__isnull=True
    ).order_by("starts_at")
    assert request.user.is_authenticated  # proctor_only
    if not is_office(request.user):
        sessions = sessions.filter(proctors=request.user)
    return render(request, "exams/console_list.html", {"sessions": sessions})


@proctor_only
def console(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    session = access_proctored_session(request, pk)
    template = "exams/_console_rows.html" if request.htmx else "exams/console.html"
    context = _context(session)
    if not request.htmx:  # the polled rows need no release
        results = with_results(ExamSession.objects.filter(pk=session.pk)).get()
        context |= {
            "results": results,
            # offered while some handed-in test awaits its release, gone once all are out
            "can_release": bool(results.to_release)
            and request.user.has_perm("exams.release_session"),
            # the office reads each released result's diagnostic report (decision 0044)
            "reads_reports": is_office(request.user),
        }
    return render(request, template, context)


def _act(request: HttpRequest, pk: int, action: Callable[[], object], done: str) -> HttpResponse:
    try:
        action()
    except delivery.DeliveryError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("exams:console", pk=pk)


@proctor_only
@require_POST
def session_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    session = access_proctored_session(request, pk)
    now, user = timezone.now(), request.user
    actions: dict[str, tuple[Callable[[], object], str]] = {
        "open": (
            lambda: delivery.session_open(session=session, acting_user=user, now=now),
            _("The session is open; check candidates in."),
        ),
        "pause-all": (
            lambda: delivery.session_pause_all(session=session, acting_user=user, now=now),
            _("All running tests are paused."),
        ),
        "resume-all": (
            lambda: delivery.session_resume_all(session=session, acting_user=user, now=now),
            _("All paused tests run again."),
        ),
        "close": (
            lambda: delivery.session_close(session=session, acting_user=user, now=now),
            _("The session is closed; every test is submitted."),
        ),
    }
    if action not in actions:
        raise Http404
    run, done = actions[action]
    return _act(request, pk, run, done)


@proctor_only
@require_POST
def check_in(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    booking = access_object(
        request, Booking.objects.select_related("session"), "exams.check_in_booking", pk=pk
    )
    return _act(
        request,
        booking.session_id,
        lambda: delivery.sitting_check_in(
            booking=booking, acting_user=request.user, now=timezone.now()
        ),
        _("Checked in; the candidate can start."),
    )


@proctor_only
@require_POST
def sitting_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("extend", "pause", "resume"):
        raise Http404
    sitting = access_sitting(request, pk, "exams.supervise_sitting")
    now, user = timezone.now(), request.user
    if action == "extend":
        try:
            minutes = int(request.POST.get("minutes", ""))
        except ValueError:
            minutes = 0
        reason = request.POST.get("reason", "")
        return _act(
            request,
            sitting.booking.session_id,
            lambda: delivery.sitting_extend(
                sitting=sitting, minutes=minutes, reason=reason, acting_user=user
            ),
            _("Extra time granted."),
        )
    if action == "pause":
        run = lambda: delivery.sitting_pause(sitting=sitting, acting_user=user, now=now)  # noqa: E731
        return _act(request, sitting.booking.session_id, run, _("The test is paused."))
    run = lambda: delivery.sitting_resume(sitting=sitting, acting_user=user, now=now)  # noqa: E731
    return _act(request, sitting.booking.session_id, run, _("The test runs again."))

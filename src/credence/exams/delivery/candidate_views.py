"""The candidate's test page (R11): one item at a time with a navigator grid and flags; every
answer saved the moment it is given (htmx, or the Save buttons without JavaScript) and
acknowledged; the server's deadline shown as a countdown that warns at 10 and 2 minutes; a
review step that lists unanswered and flagged items before the candidate submits. The page
never carries answer keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credence.accounts.access import AuthenticatedHttpRequest
from credence.core.middleware import HtmxHttpRequest
from credence.exams.delivery import services as delivery
from credence.exams.delivery.policy import (
    WARNINGS_AT_MINUTES,
    allowed_minutes,
    deadline,
    is_over,
    seconds_left,
    time_warning,
)
from credence.exams.delivery.selectors import (
    NavCell,
    clock_of,
    progress,
    review_of,
    shown_item,
)
from credence.exams.models import Sitting
from credence.exams.permissions import access_sitting
from credence.exams.services import BookingRefused
from credence.items import api as items_api


def _own(request: HttpRequest, pk: int, *related: str) -> Sitting:
    """The candidate's own sitting, with the attempt (whose test) and ``related``."""
    sitting = access_sitting(request, pk, "exams.take_sitting", ("booking__attempt", *related))
    now = timezone.now()
    if sitting.submitted_at is None and is_over(clock_of(sitting), now):
        # the service decides again under the sitting's lock; the check only spares the lock
        # on every autosave
        sitting = delivery.sitting_submit_if_over(sitting=sitting, now=now)
    return sitting


def _position(value: Any, sitting: Sitting) -> int:
    try:
        position = int(value)
    except (TypeError, ValueError):
        return sitting.position
    return min(max(position, 0), len(sitting.form) - 1)


def _clock_context(sitting: Sitting, now: datetime) -> dict[str, Any]:
    """What the countdown shows (exams/_countdown.html): the server's time left, the deadline
    and the warning reached; the page's script only keeps counting down from it."""
    clock = clock_of(sitting)
    left = seconds_left(clock, now)
    paused = sitting.paused_at is not None
    warning = time_warning(left, paused=paused)
    return {
        "seconds_left": left,
        # calm above the first warning (whole minutes), to the second below it, as take.js
        "left_shown": f"{left // 60}:{left % 60:02d}"
        if warning
        else _("%(left)s min") % {"left": -(-left // 60)},
        "deadline": deadline(clock, now),
        "paused": paused,
        "warning": warning,
        "warn_at": ",".join(str(minutes * 60) for minutes in WARNINGS_AT_MINUTES),
        # "60 min (extended from 40)": an approved accommodation (AC3) and the proctor's time
        "allowed_minutes": allowed_minutes(clock),
        "limit_minutes": clock.time_limit_minutes,
    }


@login_required
def take(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    sitting = _own(request, pk, "booking__session")
    if sitting.submitted_at is not None or sitting.booking.session.closed_at is not None:
        return redirect("exams:test-done", pk=pk)
    now = timezone.now()
    sitting = delivery.sitting_start(sitting=sitting, candidate=request.user, now=now)
    position = _position(request.GET.get("item"), sitting)
    return render(
        request,
        "exams/take.html",
        {
            "sitting": sitting,
            "item": shown_item(sitting, position),
            # noted with the flag, to challenge the item after the test (rule C1)
            "flag_comment": sitting.responses.filter(position=position)
            .values_list("flag_comment", flat=True)
            .first()
            or "",
            "number": position + 1,
            "total": len(sitting.form),
            "review": review_of(sitting),
            "autosave_delay_ms": settings.CREDENCE_AUTOSAVE_DELAY_MS,
            **_clock_context(sitting, now),
        },
    )


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The step before submitting: what is unanswered and flagged, with links back, and the
    one button that submits. A page of its own, so it works without JavaScript."""
    sitting = _own(request, pk, "booking__session")
    if sitting.submitted_at is not None or sitting.booking.session.closed_at is not None:
        return redirect("exams:test-done", pk=pk)
    if sitting.started_at is None:
        return redirect("exams:test", pk=pk)  # the test page starts the clock
    return render(
        request,
        "exams/review.html",
        {
            "sitting": sitting,
            "review": review_of(sitting),
            **_clock_context(sitting, timezone.now()),
        },
    )


def _index(value: str) -> int | None:
    """An option's index or an item's position as the form sends it; anything else (``"²"``
    is a digit to ``str.isdigit``, ``"9" * 5000`` is too long for ``int``) is none."""
    if value.isascii() and value.isdigit() and len(value) <= 6:
        return int(value)
    return None


def _answer_from(post: QueryDict, content: items_api.ItemContent) -> Any:
    kind = content.type
    if kind in (items_api.ItemType.SINGLE_CHOICE, items_api.ItemType.TRUE_FALSE):
        choice = _index(post.get("choice", ""))
        return {"choice": choice} if choice is not None else None
    if kind == items_api.ItemType.MULTIPLE_CHOICE:
        chosen = [i for i in map(_index, post.getlist("choices")) if i is not None]
        return {"choices": chosen} if chosen else None
    if kind in (items_api.ItemType.SHORT_ANSWER, items_api.ItemType.ESSAY):
        text = post.get("text", "")
        return {"text": text} if text.strip() else None
    if kind == items_api.ItemType.NUMERIC:
        value = post.get("value", "").strip()
        return {"value": value} if value else None
    matches = {
        str(i): option
        for i in items_api.prompts(content)
        if (option := _index(post.get(f"match-{i}", ""))) is not None
    }
    return {"matches": matches} if matches else None


@login_required
@require_POST
def answer(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    # The busiest request of a live test: the save reads the sitting once, locked, and checks
    # there whose test it is (no access check before it), so another candidate's test does
    # not exist here either (404).
    assert request.user.is_authenticated  # login_required
    position = _index(request.POST.get("position", ""))
    if position is None:
        position = -1  # no such item: the save refuses it
    now = timezone.now()
    problem = ""
    try:
        response = delivery.response_save(
            sitting_id=pk,
            candidate=request.user,
            position=position,
            answer_from=lambda content: _answer_from(request.POST, content),
            flagged=request.POST.get("flagged") == "on",
            flag_comment=request.POST.get("flag_comment", ""),
            now=now,
        )
    except (Sitting.DoesNotExist, PermissionError):
        raise Http404 from None
    except BookingRefused as refused:
        problem = refused.decision.reason
    except delivery.DeliveryError as exc:
        problem = str(exc)
    if request.htmx:
        # with the acknowledgement, the item's cell in the navigator (swapped out of band), so
        # the grid shows what the server holds, not what the page hopes it holds
        return render(
            request,
            "exams/_save_status.html",
            {
                "problem": problem,
                "saved_at": time_format(timezone.localtime(now), "H:i:s"),
                "cell": None
                if problem
                else NavCell(position, response.answer is not None, response.flagged),
                "current": position,
            },
        )
    if problem:
        messages.error(request, problem)
        return redirect(f"{reverse('exams:test', args=[pk])}?item={max(position, 0)}")
    if request.POST.get("go") == "review":
        return redirect("exams:test-review", pk=pk)
    step = {"next": 1, "previous": -1}.get(request.POST.get("go", ""), 0)
    target = min(max(position + step, 0), len(response.sitting.form) - 1)
    return redirect(f"{reverse('exams:test', args=[pk])}?item={target}")


@login_required
@require_POST
def submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    sitting = _own(request, pk)
    delivery.sitting_submit(sitting=sitting, candidate=request.user, now=timezone.now())
    return redirect("exams:test-done", pk=pk)


@login_required
def done(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = _own(request, pk)
    answered = sum(1 for saved, _flag in progress(sitting).values() if saved)
    return render(
        request,
        "exams/test_done.html",
        {"sitting": sitting, "answered": answered, "total": len(sitting.form)},
    )

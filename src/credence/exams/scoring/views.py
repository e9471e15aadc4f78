"""Marking essays (authors), releasing results (program office), and the candidate's score
report."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from credence.accounts.access import AuthenticatedHttpRequest, role_required, staff_only
from credence.accounts.models import Role
from credence.catalog import api as catalog_api
from credence.exams.models import ExamSession, Response
from credence.exams.permissions import access_sitting
from credence.exams.scoring.services import MarkingError, response_mark, session_release
from credence.exams.scoring.statistics import session_statistics
from credence.items import api as items_api


@role_required(Role.AUTHOR)
def marking(request: HttpRequest, pk: int) -> HttpResponse:
    """Essay answers of a session still to be marked; no candidate names (blind marking)."""
    session = get_object_or_404(ExamSession, pk=pk)
    responses = (
        Response.objects.filter(
            sitting__booking__session=session,
            sitting__released_at__isnull=True,
            version__type=items_api.ItemType.ESSAY,
            marked_share__isnull=True,
        )
        .exclude(answer=None)
        .select_related("version")
        .order_by("version_id", "pk")
    )
    return render(request, "exams/marking.html", {"session": session, "responses": responses})


@role_required(Role.AUTHOR)
@require_POST
def mark(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    response = get_object_or_404(Response.objects.select_related("sitting__booking"), pk=pk)
    try:
        share = Decimal(request.POST.get("percent", "")) / 100
        response_mark(response=response, share=share, acting_user=request.user)
    except (InvalidOperation, MarkingError) as exc:
        messages.error(request, str(exc) if isinstance(exc, MarkingError) else _("Give a percent."))
    else:
        messages.success(request, _("Mark saved."))
    return redirect("exams:marking", pk=response.sitting.booking.session_id)


@staff_only
@require_POST
def release(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(ExamSession, pk=pk)
    released, waiting, refused = session_release(
        session=session, acting_user=request.user, now=timezone.now()
    )
    messages.success(
        request,
        _("%(released)d results released; %(waiting)d wait for essay marks.")
        % {"released": released, "waiting": waiting},
    )
    for reason, count in refused:
        messages.error(
            request,
            ngettext(
                "%(n)d result is not released: %(reason)s",
                "%(n)d results are not released: %(reason)s",
                count,
            )
            % {"n": count, "reason": reason},
        )
    # back where the office released them: its session list or the session's console
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("exams:console", pk=pk)


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The candidate's score report: percent, pass mark, outcome (R4), per topic."""
    sitting = access_sitting(request, pk, "exams.read_report")
    if sitting.released_at is None:
        raise Http404
    attempt = sitting.booking.attempt
    rules = catalog_api.program_rules()
    certification = catalog_api.certification_model(attempt.certification.code)
    assert certification is not None  # a test is of a certification, never of the award
    names = {t.code: t.name for t in certification.topics.all()}
    return render(
        request,
        "exams/report.html",
        {
            "sitting": sitting,
            "attempt": attempt,
            "pass_mark": rules.pass_mark(attempt.certification.code, attempt.evaluation.code),
            "topics": [
                (names.get(code, code), Decimal(value))
                for code, value in sitting.topic_scores.items()
            ],
        },
    )


@role_required(Role.AUTHOR)
def item_statistics(request: HttpRequest, pk: int) -> HttpResponse:
    """Facility, discrimination, option counts, alpha and flags, for authors."""
    session = get_object_or_404(ExamSession, pk=pk)
    return render(
        request,
        "exams/statistics.html",
        {"session": session, "groups": session_statistics(session)},
    )

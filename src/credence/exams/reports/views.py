"""The diagnostic score report (decision 0044): the page and its PDF, for the candidate and
the program office, once the result is released."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from credence.exams.models import Sitting
from credence.exams.permissions import access_sitting
from credence.exams.reports.pdf import diagnostic_pdf, method_note, retake_sentence
from credence.exams.reports.selectors import diagnostic_report


def _released(request: HttpRequest, pk: int) -> Sitting:
    sitting = access_sitting(
        request,
        pk,
        "exams.read_diagnostic_report",
        (
            "booking__session",
            "booking__attempt__certification",
            "booking__attempt__evaluation",
            "booking__attempt__candidate",
        ),
    )
    if sitting.released_at is None:
        raise Http404  # the release rules decide when a result exists for anyone
    return sitting


@login_required
def diagnostic(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = _released(request, pk)
    report = diagnostic_report(sitting, today=timezone.localdate())
    return render(
        request,
        "exams/diagnostic.html",
        {
            "report": report,
            "retake": retake_sentence(report),
            "method": method_note(report),
            # the candidate's own report links back to their path; the office's view does not
            "own": sitting.booking.attempt.candidate_id == request.user.pk,
        },
    )


@login_required
def diagnostic_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = diagnostic_report(_released(request, pk), today=timezone.localdate())
    response = HttpResponse(diagnostic_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="score-report-{pk}.pdf"'
    return response

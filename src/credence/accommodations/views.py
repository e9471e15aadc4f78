"""Thin views: the candidate's accommodations and a new request, an accommodation's page
(where the program office decides it), its documents, and the office's list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from credence.accommodations import documents, selectors, services
from credence.accommodations.forms import DecideForm, RequestForm
from credence.accommodations.models import AccommodationStatus
from credence.accommodations.permissions import access_accommodation, access_document
from credence.accounts.access import AuthenticatedHttpRequest, require_permission, staff_only


def _refused(request: HttpRequest, refused: services.AccommodationRefused) -> None:
    messages.error(request, f"{refused.decision.rule}: {refused.decision.reason}")


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "accommodations/mine.html",
        {"accommodations": selectors.accommodations_of(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            accommodation = services.accommodation_request(
                candidate=request.user,
                kind=data["kind"],
                time_factor=data["time_factor"],
                details=data["details"],
                uploads=data["documents"],
            )
        except services.AccommodationRefused as refused:
            _refused(request, refused)
        else:
            messages.success(
                request,
                _("Your request is filed. The program office will decide it and tell you."),
            )
            return redirect("accommodations:detail", accommodation.pk)
    return render(request, "accommodations/new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    accommodation = access_accommodation(request, pk)
    may_decide = accommodation.status == AccommodationStatus.PENDING and request.user.has_perm(
        "accommodations.decide_accommodation", accommodation
    )
    form = DecideForm(request.POST or None) if may_decide else None
    if request.method == "POST":
        require_permission(request, "accommodations.decide_accommodation", accommodation)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                services.accommodation_decide(
                    accommodation=accommodation,
                    approve=data["approve"],
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    note=data["note"],
                    acting_user=request.user,
                )
            except services.AccommodationRefused as refused:
                _refused(request, refused)
            else:
                messages.success(request, _("The decision is recorded; the candidate is told."))
                return redirect("accommodations:detail", accommodation.pk)
    return render(
        request,
        "accommodations/detail.html",
        {"accommodation": accommodation, "form": form},
    )


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """A document goes back as a download with the type its bytes proved, to the candidate
    who uploaded it and to the program office only."""
    item = access_document(request, pk)
    try:
        handle = open(documents.FOLDER.path_of(item.stored_name), "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=documents.FOLDER.download_name(item.original_name, item.kind),
        content_type=documents.CONTENT_TYPES[item.kind],
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_only
def office(request: HttpRequest) -> HttpResponse:
    """Every accommodation, the undecided first."""
    return render(
        request,
        "accommodations/office.html",
        {"accommodations": selectors.accommodations_to_decide_first()},
    )

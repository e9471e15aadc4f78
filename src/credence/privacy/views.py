"""Thin views: the person's "Your data" page (export, erasure request, status) and the
program office's erasure queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credence.accounts.access import AuthenticatedHttpRequest, staff_only
from credence.privacy import selectors
from credence.privacy.forms import ErasureRequestForm
from credence.privacy.policy import grace_ends
from credence.privacy.services import (
    ErasureRefused,
    PrivacyError,
    erasure_request,
    erasure_withdraw,
    user_erase,
    user_export,
)


def _zip_response(content: bytes, user_id: int) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="credence-data-{user_id}-{stamp}.zip"'
    return response


@login_required
def your_data(request: HttpRequest) -> HttpResponse:
    assert request.user.is_authenticated  # login_required
    form = ErasureRequestForm()
    if request.method == "POST":
        form = ErasureRequestForm(request.POST)
        if form.is_valid():
            try:
                erasure_request(
                    user=request.user,
                    password=form.cleaned_data["password"],
                    acting_user=request.user,
                )
            except PrivacyError as error:
                form.add_error("password", str(error))
            else:
                messages.success(request, _("Your erasure request is recorded."))
                return redirect("privacy:your-data")
    pending = selectors.pending_request_of(request.user)
    grace_days = selectors.retention_days("erasure_grace") or 0
    return render(
        request,
        "privacy/your_data.html",
        {
            "form": form,
            "pending": pending,
            "grace_ends": grace_ends(pending.requested_at, grace_days) if pending else None,
            "requests": selectors.requests_of(request.user),
            "grace_days": grace_days,
        },
    )


@login_required
@require_POST
def export_download(request: HttpRequest) -> HttpResponse:
    assert request.user.is_authenticated  # login_required
    return _zip_response(user_export(user=request.user, acting_user=request.user), request.user.pk)


@login_required
@require_POST
def erasure_withdraw_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    pending = selectors.pending_request_of(request.user)
    if pending is not None:
        erasure_withdraw(request=pending, acting_user=request.user)
        messages.success(request, _("Your erasure request is withdrawn."))
    return redirect("privacy:your-data")


@staff_only
def queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/queue.html",
        {"rows": selectors.erasure_queue(), "done": selectors.recently_carried_out()},
    )


@staff_only
@require_POST
def erase(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(get_user_model(), pk=user_id)
    if request.POST.get("confirm") != "yes":
        # An erasure cannot be undone: the office ticks that it checked the request.
        messages.error(request, _("Tick the confirmation to carry out an erasure."))
        return redirect("privacy:queue")
    try:
        user_erase(user=person, acting_user=request.user)
    except ErasureRefused as refused:
        messages.error(
            request,
            _("Not carried out (%(rule)s): %(reason)s")
            % {"rule": refused.decision.rule, "reason": refused.decision.reason},
        )
    except PrivacyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Erasure of account %(id)s carried out.") % {"id": person.pk})
    return redirect("privacy:queue")


@staff_only
@require_POST
def staff_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The program office produces a person's export (e.g. for a request made by letter)."""
    email = request.POST.get("email", "").strip()
    person = get_user_model().objects.filter(email__iexact=email).first() if email else None
    if person is None:
        messages.error(request, _("No account has that e-mail address."))
        return redirect("privacy:queue")
    return _zip_response(user_export(user=person, acting_user=request.user), person.pk)

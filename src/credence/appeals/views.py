"""Thin views: the candidate's results and appeals, filing one, an appeal's page (where the
assigned reviewer decides it), and the program office's list (where it assigns reviewers)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from credence.accounts.access import AuthenticatedHttpRequest, require_permission, staff_only
from credence.appeals import selectors, services
from credence.appeals.forms import AppealForm, AssignForm, DecideForm
from credence.appeals.models import AppealOutcome
from credence.appeals.permissions import access_appeal


def _refused(request: HttpRequest, refused: services.AppealRefused) -> None:
    messages.error(request, f"{refused.decision.rule}: {refused.decision.reason}")


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The candidate's released results with their appeals, and the appeals to review."""
    return render(
        request,
        "appeals/mine.html",
        {
            "results": selectors.results_to_appeal(request.user, timezone.localdate()),
            "to_review": selectors.appeals_to_review(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request: AuthenticatedHttpRequest, attempt_pk: int) -> HttpResponse:
    results = selectors.results_to_appeal(request.user, timezone.localdate())
    result = next((r for r in results if r.attempt.pk == attempt_pk), None)
    if result is None:
        raise Http404
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.appeal_file(
                attempt_id=attempt_pk, reasons=form.cleaned_data["reasons"], candidate=request.user
            )
        except ObjectDoesNotExist:
            raise Http404 from None
        except services.AppealRefused as refused:
            _refused(request, refused)
        else:
            messages.success(
                request, _("Your appeal is filed. An independent reviewer will decide it.")
            )
            return redirect("appeals:detail", appeal.pk)
    return render(request, "appeals/new.html", {"result": result, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    appeal = access_appeal(request, pk)
    may_decide = appeal.outcome == AppealOutcome.PENDING and request.user.has_perm(
        "appeals.decide_appeal", appeal
    )
    form = DecideForm(request.POST or None) if may_decide else None
    if request.method == "POST":
        require_permission(request, "appeals.decide_appeal", appeal)
        if form is not None and form.is_valid():
            try:
                services.appeal_decide(
                    appeal=appeal,
                    outcome=form.cleaned_data["outcome"],
                    decision=form.cleaned_data["decision"],
                    acting_user=request.user,
                )
            except services.AppealRefused as refused:
                _refused(request, refused)
            else:
                messages.success(request, _("The decision is recorded; the candidate is told."))
                return redirect("appeals:detail", appeal.pk)
    return render(request, "appeals/detail.html", {"appeal": appeal, "form": form})


@staff_only
def office(request: HttpRequest) -> HttpResponse:
    """Every appeal, the undecided first, each with the reviewers it may be given (A2)."""
    undecided_first = F("decided_at").asc(nulls_first=True)  # NULLs sort last on PostgreSQL
    appeals = list(selectors.appeals_all().order_by(undecided_first, "-filed_at"))
    pool = selectors.reviewer_pool()
    rows = [
        (
            appeal,
            AssignForm(reviewers=selectors.reviewers_for(appeal, pool), prefix=f"a{appeal.pk}")
            if appeal.outcome == AppealOutcome.PENDING
            else None,
        )
        for appeal in appeals
    ]
    return render(request, "appeals/office.html", {"rows": rows})


@staff_only
@require_POST
def assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    appeal = access_appeal(request, pk)
    form = AssignForm(
        request.POST, reviewers=selectors.reviewers_for(appeal), prefix=f"a{appeal.pk}"
    )
    if not form.is_valid():
        messages.error(request, _("Choose one of the reviewers offered."))
        return redirect("appeals:office")
    try:
        services.appeal_assign(
            appeal=appeal,
            reviewer=get_user_model().objects.get(pk=form.cleaned_data["reviewer"]),
            acting_user=request.user,
        )
    except services.AppealRefused as refused:
        _refused(request, refused)
    else:
        messages.success(request, _("The reviewer is assigned."))
    return redirect("appeals:office")

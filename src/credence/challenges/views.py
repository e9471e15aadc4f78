"""Thin views: the candidate's tests and challenges, challenging an item of one, the review
queue of challenged items, and an item's decision page, which shows the effect of a
decision before it is applied (decision 0053)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from credence.accounts.access import AuthenticatedHttpRequest, is_office, role_required
from credence.accounts.models import Role
from credence.challenges import selectors, services
from credence.challenges.forms import ChallengeForm, DecideForm
from credence.exams import api as exams_api
from credence.items import api as items_api

reviewers = role_required(Role.AUTHOR)  # and the program office, which holds every role


def _refused(request: HttpRequest, refused: services.ChallengeRefused) -> None:
    messages.error(request, f"{refused.decision.rule}: {refused.decision.reason}")


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The candidate's submitted tests, each with the last day to challenge its items (C1),
    and their challenges with the decisions."""
    return render(
        request,
        "challenges/mine.html",
        {
            "tests": selectors.tests_to_challenge(
                request.user, selectors.program_day(timezone.now())
            )
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, sitting_pk: int) -> HttpResponse:
    """One submitted test's items as the candidate saw them, flagged ones first with the
    comment noted during the test, each with its own challenge form."""
    assert request.user.is_authenticated  # login_required
    try:
        test, items = exams_api.submitted_test(sitting_pk, request.user.pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    form = ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_file(
                sitting_id=sitting_pk,
                position=form.cleaned_data["position"],
                reasons=form.cleaned_data["reasons"],
                candidate=request.user,
            )
        except services.ChallengeRefused as refused:
            _refused(request, refused)
        else:
            messages.success(
                request, _("Your challenge is filed. The item's authors and the office review it.")
            )
            return redirect("challenges:mine")
    elif request.method == "POST":  # the forms are rebuilt below: say what was wrong here
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    refusals = selectors.item_refusals(
        sitting_pk, request.user, selectors.program_day(timezone.now())
    )
    rows = sorted(
        (
            (
                item,
                refusals.get(item.position),
                ChallengeForm(
                    initial={"position": item.position, "reasons": item.flag_comment},
                    prefix=None,
                    auto_id=f"id_{item.position}_%s",
                ),
            )
            for item in items
        ),
        key=lambda row: (not row[0].shown.flagged, row[0].position),
    )
    return render(request, "challenges/new.html", {"test": test, "rows": rows})


@reviewers
def queue(request: HttpRequest) -> HttpResponse:
    """The challenged items waiting for a decision, and the decisions taken."""
    return render(
        request,
        "challenges/queue.html",
        {"queue": selectors.review_queue(), "decided": selectors.decided_items()[:50]},
    )


@reviewers
@require_http_methods(["GET", "POST"])
def decide(request: AuthenticatedHttpRequest, version_pk: int) -> HttpResponse:
    """The item with its key and its challenges; a decision is first shown with its effect on
    every released result, then applied (C2)."""
    versions = items_api.versions_by_id([version_pk])
    challenges = selectors.challenges_of_item(version_pk)
    if version_pk not in versions or not challenges:
        raise Http404
    version = versions[version_pk]
    content = version.item_content
    options = [(i, choice.text) for i, choice in enumerate(content.choices)]
    form = DecideForm(request.POST or None, options=options)
    effect = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decision = {"version_id": version_pk, "kind": data["kind"], "key": data["key"]}
        try:
            if request.POST.get("action") == "apply":
                decided = services.challenge_decide(
                    **decision, reasons=data["reasons"], acting_user=request.user
                )
                messages.success(
                    request,
                    _(
                        "The decision is applied: %(results)s results rescored; the candidates "
                        "are told."
                    )
                    % {"results": len(decided.rescored)},
                )
                return redirect("challenges:decide", version_pk)
            effect = selectors.decision_preview(**decision, acting_user=request.user)
        except services.ChallengeRefused as refused:
            _refused(request, refused)
    return render(
        request,
        "challenges/decide.html",
        {
            "version": version,
            "content": content,
            "challenges": challenges,
            "ruling": items_api.ruling_of(version_pk),
            "form": form,
            "effect": effect,
            # authors judge the item, not the people: names for the office only
            "names": is_office(request.user),
        },
    )

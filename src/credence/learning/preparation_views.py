"""Pages for preparing: resources, suggested portfolio projects and the path planner
(issue 7). "My path" stays in views.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from credence.accounts.access import AuthenticatedHttpRequest
from credence.catalog import api as catalog_api
from credence.catalog.policy import ProgramRules
from credence.learning import selectors
from credence.learning.forms import ElectivesForm, ResourceFilterForm
from credence.learning.models import SuggestedProject
from credence.learning.planner import PlanStepState
from credence.learning.services import path_plan_save


def _rules() -> ProgramRules | None:
    try:
        return catalog_api.program_rules()
    except catalog_api.ProgramNotLoaded:
        return None


def resources(request: HttpRequest) -> HttpResponse:
    """Everyone sees every resource; a signed-in candidate sees, by default, only what their
    path still needs."""
    today = timezone.localdate()
    rules = _rules()
    signed_in = request.user.is_authenticated
    data = request.GET.copy()
    if signed_in and "kind" not in data and "needed" not in data:
        data["needed"] = "on"
    form = ResourceFilterForm(data, rules=rules)
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})
    needed = None
    if request.user.is_authenticated and filters.get("needed"):
        needed = selectors.needed_certifications(request.user, today)
    items = selectors.preparation_resources(
        today=today,
        kind=filters.get("kind", ""),
        certification=filters.get("certification", ""),
        needed=needed,
    )
    return render(
        request,
        "learning/resources.html",
        {"form": form, "resources": items, "signed_in": signed_in, "needed": needed},
    )


def projects(request: HttpRequest) -> HttpResponse:
    certification = request.GET.get("certification", "")
    rules = _rules()
    items = selectors.suggested_projects(certification)
    groups: dict[str, list[SuggestedProject]] = {}
    for item in items:
        groups.setdefault(item.certification.name, []).append(item)
    return render(
        request,
        "learning/projects.html",
        {
            "groups": groups,
            "certifications": rules.certifications if rules else (),
            "certification": certification,
        },
    )


def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_object_or_404(
        SuggestedProject.objects.select_related("certification"), pk=project_id, published=True
    )
    return render(request, "learning/project_detail.html", {"project": project})


@login_required
@require_http_methods(["GET", "POST"])
def planner(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Choose electives; see their overlap, an ordered plan with the earliest dates the rules
    allow, and the fees after subsidy."""
    rules = _rules()
    if rules is None:
        return render(request, "learning/planner.html", {"plan": None})
    saved = selectors.chosen_electives(request.user)
    if request.method == "POST":
        form = ElectivesForm(request.POST, rules=rules)
        if form.is_valid():
            path_plan_save(
                candidate=request.user,
                electives=form.cleaned_data["electives"],
                acting_user=request.user,
            )
            messages.success(request, _("Your electives are saved; the plan below follows them."))
            return redirect("learning:planner")
    else:
        form = ElectivesForm(initial={"electives": list(saved or ())}, rules=rules)
    electives = tuple(saved or ())
    plan = selectors.plan_for_candidate(request.user, electives, timezone.localdate())
    return render(
        request,
        "learning/planner.html",
        {
            "form": form,
            "rules": rules,
            "plan": plan,
            "overlaps": [
                {
                    "first_name": rules.certification(o.first).name,
                    "second_name": rules.certification(o.second).name,
                    "topic_names": o.topic_names,
                }
                for o in selectors.overlaps_between(electives)
            ],
            "saved": saved is not None,
            "planned_state": PlanStepState.PLANNED,
        },
    )

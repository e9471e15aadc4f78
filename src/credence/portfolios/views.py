"""Thin views: candidates submit and follow their portfolio; examiners read the evidence and
score; the program office assigns, schedules, reconciles and releases."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credence.accommodations import api as accommodations_api
from credence.accounts.access import (
    AuthenticatedHttpRequest,
    is_examiner,
    is_office,
    role_required,
    staff_only,
)
from credence.accounts.models import Role
from credence.catalog import api as catalog_api
from credence.exams.api import BookingRefused
from credence.portfolios import policy, selectors, services
from credence.portfolios.choices import submission_choices
from credence.portfolios.forms import (
    AssignForm,
    ReconcileForm,
    ReleaseForm,
    ScoreForm,
    SlotForm,
    SubmitForm,
)
from credence.portfolios.ics import submission_interview_ics
from credence.portfolios.permissions import Access, access_submission
from credence.portfolios.services import PortfolioError


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The candidate's submissions, and the form to submit a repository: it offers only the
    certifications the rules let them submit for today; the others are listed with the rule
    that says why not and the earliest day, if there is one."""
    choices = submission_choices(request.user, timezone.localdate())
    open_now = [c for c in choices if c.decision.allowed]
    form = SubmitForm(request.POST or None, certifications=[(c.code, c.name) for c in open_now])
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.submission_create(
                candidate=request.user,
                certification=form.cleaned_data["certification"],
                url=form.cleaned_data["url"],
                ref=form.cleaned_data["ref"],
                identities=form.identity_list(),
                acting_user=request.user,
            )
        except BookingRefused as exc:
            form.add_error(None, f"{exc.decision.rule}: {exc.decision.reason}")
        except PortfolioError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Submitted. The commit %(commit)s is the one that will be evaluated.")
                % {"commit": submission.commit[:12]},
            )
            return redirect("portfolios:detail", pk=submission.pk)
    return render(
        request,
        "portfolios/mine.html",
        {
            "form": form,
            "open_now": open_now,
            "not_yet": [c for c in choices if not c.decision.allowed],
            "submissions": selectors.submissions_of(request.user),
            "is_examiner": bool(is_examiner(request.user)),
            "is_office": bool(is_office(request.user)),
        },
    )


@role_required(Role.EXAMINER)
def examine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An examiner's lists: the submissions assigned to them, and those awaiting examiners."""
    return render(
        request,
        "portfolios/examine.html",
        {
            "submissions": selectors.submissions_assigned_to(request.user),
            "awaiting": selectors.submissions_awaiting_examiners(request.user),
        },
    )


@staff_only
def office(request: HttpRequest) -> HttpResponse:
    return render(request, "portfolios/office.html", {"submissions": selectors.submissions_all()})


def _rubric(submission: Any) -> policy.Rubric:
    """The rubric the submission was made under, its criteria named in the reader's language."""
    names = catalog_api.criterion_names(submission.certification)
    return policy.Rubric.from_json(submission.rubric).named(names)


def _detail_context(request: HttpRequest, access: Access, **forms: Any) -> dict[str, Any]:
    assert request.user.is_authenticated  # an Access is only granted to a signed-in user
    submission = access.submission
    rubric = _rubric(submission)
    context: dict[str, Any] = {
        "access": access,
        "s": submission,
        "report": submission.report,
        "slot": getattr(submission, "slot", None),
        "rubric": rubric,
        "scoring": selectors.scoring_for(submission, selectors.margin()),
        "margin": selectors.margin(),
        "assigned": [a.examiner for a in submission.assignments.select_related("examiner")],
    }
    if access.is_examiner or access.is_staff:
        # what the examiners must know for the interview (AC3), without the candidate's
        # reasons or documents: the kinds, the factor, and whether each applies that day
        slot = context["slot"]
        day = timezone.localdate(slot.starts_at) if slot else timezone.localdate()
        context["accommodations"] = accommodations_api.on_the_day(
            [submission.candidate_id], day
        ).get(submission.candidate_id, [])
    if access.is_examiner or access.is_staff:
        # blind scoring (decision 0029): the other examiner's score only after one's own
        context["sheet"] = selectors.score_sheet(
            submission, rubric, viewer=request.user, reads_all=access.reads_scores
        )
        if not access.reads_scores:
            context["blind"] = policy.scores_visible(
                office=access.is_staff, assigned=access.is_examiner, scored=False
            )
    if access.is_examiner and submission.status != "released":
        mine = submission.scores.filter(examiner=request.user).first()
        revision = policy.may_revise_score(
            released=False, scores=submission.scores.count(), own=mine is not None
        )
        if revision.allowed or forms.get("score_form"):
            initial = {f"c_{k}": v for k, v in (mine.points.items() if mine else [])}
            if mine:
                initial["notes"] = mine.notes
            context["score_form"] = forms.get("score_form") or ScoreForm(
                rubric=rubric, initial=initial
            )
        else:
            context["score_final"] = revision
        context["reconcile_form"] = forms.get("reconcile_form") or ReconcileForm()
    if access.is_staff and submission.status != "released":
        examiners = (
            get_user_model()
            .objects.filter(groups__name=Role.EXAMINER.value)
            .exclude(pk=submission.candidate_id)
        )
        context["assign_form"] = forms.get("assign_form") or AssignForm(examiners=examiners)
        context["slot_form"] = forms.get("slot_form") or SlotForm()
        context["release_form"] = forms.get("release_form") or ReleaseForm()
        context["reconcile_form"] = forms.get("reconcile_form") or ReconcileForm()
    return context


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_submission(request, pk)
    return render(request, "portfolios/detail.html", _detail_context(request, access))


def _act(
    request: HttpRequest, access: Access, form_name: str, form: Any, action: Any
) -> HttpResponse:
    if form.is_valid():
        try:
            action(access.submission, form)
        except PortfolioError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("portfolios:detail", pk=access.submission.pk)
    return render(
        request,
        "portfolios/detail.html",
        _detail_context(request, access, **{form_name: form}),
        status=400,
    )


@login_required
@require_POST
def assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = access_submission(request, pk, "portfolios.manage_submission")
    examiners = get_user_model().objects.filter(groups__name=Role.EXAMINER.value)
    return _act(
        request,
        access,
        "assign_form",
        AssignForm(request.POST, examiners=examiners),
        lambda s, f: services.examiners_assign(
            submission=s,
            examiners=[f.cleaned_data["first"], f.cleaned_data["second"]],
            acting_user=request.user,
        ),
    )


@login_required
@require_POST
def schedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = access_submission(request, pk, "portfolios.manage_submission")
    return _act(
        request,
        access,
        "slot_form",
        SlotForm(request.POST),
        lambda s, f: services.slot_schedule(
            submission=s,
            starts_at=f.cleaned_data["starts_at"],
            minutes=f.cleaned_data["minutes"],
            location=f.cleaned_data["location"],
            acting_user=request.user,
        ),
    )


@login_required
@require_POST
def score(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = access_submission(request, pk, "portfolios.score_submission")
    rubric = _rubric(access.submission)
    return _act(
        request,
        access,
        "score_form",
        ScoreForm(request.POST, rubric=rubric),
        lambda s, f: services.score_record(
            submission=s,
            points=f.points(),
            notes=f.cleaned_data["notes"],
            acting_user=request.user,
        ),
    )


@login_required
@require_POST
def reconcile(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = access_submission(request, pk, "portfolios.reconcile_submission")
    return _act(
        request,
        access,
        "reconcile_form",
        ReconcileForm(request.POST),
        lambda s, f: services.submission_reconcile(
            submission=s,
            score=f.cleaned_data["score"],
            note=f.cleaned_data["note"],
            acting_user=request.user,
        ),
    )


@login_required
@require_POST
def release(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = access_submission(request, pk, "portfolios.manage_submission")
    return _act(
        request,
        access,
        "release_form",
        ReleaseForm(request.POST),
        lambda s, f: services.submission_release(
            submission=s, feedback=f.cleaned_data["feedback"], acting_user=request.user
        ),
    )


@login_required
@require_POST
def reanalyse(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The office prepares a failed evidence report again (the same pinned commit)."""
    access = access_submission(request, pk, "portfolios.manage_submission")
    try:
        services.submission_reanalyse(submission=access.submission, acting_user=request.user)
    except PortfolioError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The evidence report is being prepared again."))
    return redirect("portfolios:detail", pk=access.submission.pk)


@login_required
def slot_ics(request: HttpRequest, pk: int) -> HttpResponse:
    submission = access_submission(request, pk).submission
    slot = getattr(submission, "slot", None)
    if slot is None:
        raise Http404  # no interview scheduled yet, so no calendar file
    body = submission_interview_ics(submission, timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interview-{submission.pk}.ics"'
    return response

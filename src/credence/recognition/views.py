"""Pages of the signal guide, the advisor, and partial-credit claims (candidate and staff)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Field
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from credence.accounts.access import (
    AuthenticatedHttpRequest,
    is_office,
    require_permission,
    staff_only,
)
from credence.catalog import api as catalog_api
from credence.recognition import evidence as evidence_store
from credence.recognition import selectors
from credence.recognition.forms import AdvisorForm, ClaimForm, DecisionForm, RespondForm
from credence.recognition.models import (
    Claim,
    ClaimStatus,
    GuidancePage,
    GuideEntry,
    SignalCategory,
)
from credence.recognition.permissions import access_claim, access_evidence
from credence.recognition.policy import EvidenceRejected, Verdict, advise
from credence.recognition.services import (
    ClaimRefused,
    ClaimStateError,
    claim_approve,
    claim_file,
    claim_reject,
    claim_request_info,
    claim_respond,
)


def guide_index(request: HttpRequest) -> HttpResponse:
    category = request.GET.get("category", "")
    provider = request.GET.get("provider", "")
    if category not in SignalCategory.values:
        category = ""
    entries = selectors.guide_entries(category=category, provider=provider)
    notes = selectors.category_notes()
    groups = [
        (value, label, notes.get(value), [e for e in entries if e.category == value])
        for value, label in SignalCategory.choices
    ]
    return render(
        request,
        "recognition/guide_index.html",
        {
            "groups": [g for g in groups if g[3]],
            "categories": SignalCategory.choices,
            "providers": selectors.guide_providers(),
            "category": category,
            "provider": provider,
            "pages": selectors.guidance_pages(),
            "count": len(entries),
        },
    )


def guide_entry(request: HttpRequest, slug: str) -> HttpResponse:
    entry = get_object_or_404(GuideEntry, slug=slug)
    note = selectors.category_notes().get(entry.category)
    # the five ratings are columns of the entry (get_field's type includes relations)
    criteria = [
        (
            cast(Field[Any, Any], GuideEntry._meta.get_field(name)).verbose_name,
            getattr(entry, f"get_{name}_display")(),
        )
        for name in (
            "technical_depth",
            "rigor",
            "independence",
            "industry_recognition",
            "signal_quality",
        )
    ]
    return render(
        request,
        "recognition/guide_entry.html",
        {"entry": entry, "note": note, "criteria": criteria},
    )


def guidance_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(GuidancePage, slug=slug)
    return render(
        request,
        "recognition/guidance_page.html",
        {"page": page, "pages": selectors.guidance_pages()},
    )


def advisor(request: HttpRequest) -> HttpResponse:
    """The questionnaire; answered by GET, so advice can be bookmarked and nothing is stored."""
    form = AdvisorForm(request.GET or None)
    advice = None
    if form.is_valid():
        advice = advise(selectors.guide_specs(), form.answers())
    return render(
        request,
        "recognition/advisor.html",
        {
            "form": form,
            "advice": advice,
            "worth": advice.with_verdict(Verdict.WORTH_PURSUING) if advice else (),
            "not_for_you": advice.with_verdict(Verdict.NOT_FOR_YOU) if advice else (),
            "avoid": advice.with_verdict(Verdict.AVOID) if advice else (),
        },
    )


@login_required
def claims(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "recognition/claims.html",
        {"claims": selectors.claims_of(request.user), "is_staff": bool(is_office(request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    externals = selectors.external_certifications()
    form = ClaimForm(request.POST or None, request.FILES or None, externals=externals)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = claim_file(
                candidate=request.user,
                external=data["external"],
                other_name=data["other_name"],
                other_provider=data["other_provider"],
                credential_id=data["credential_id"],
                credential_url=data["credential_url"],
                issued_on=data["issued_on"],
                expires_on=data["expires_on"],
                note=data["note"],
                evidence=[data["evidence"]],
                acting_user=request.user,
            )
        except ClaimRefused as refused:
            form.add_error(
                None,
                _("Rule %(rule)s: %(reason)s")
                % {"rule": refused.decision.rule, "reason": refused.decision.reason},
            )
        except EvidenceRejected as rejected:
            form.add_error("evidence", str(rejected))
        except ValueError as invalid:
            form.add_error(None, str(invalid))
        else:
            messages.success(
                request, _("Your claim is filed. We will tell you when it is decided.")
            )
            return redirect("recognition:claim", claim_id=claim.pk)
    return render(
        request, "recognition/claim_new.html", {"form": form, "has_externals": externals.exists()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_detail(request: AuthenticatedHttpRequest, claim_id: int) -> HttpResponse:
    claim = access_claim(request, claim_id)
    if request.method == "POST":
        require_permission(request, "recognition.respond_claim", claim)
    form = RespondForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["evidence"]
        try:
            claim_respond(
                claim=claim,
                note=form.cleaned_data["note"],
                evidence=[upload] if upload else [],
                acting_user=request.user,
            )
        except EvidenceRejected as rejected:
            form.add_error("evidence", str(rejected))
        except (ValueError, ClaimStateError) as invalid:
            form.add_error(None, str(invalid))
        else:
            messages.success(request, _("Thank you. The program office will look at it again."))
            return redirect("recognition:claim", claim_id=claim.pk)
    return render(
        request,
        "recognition/claim_detail.html",
        {
            "claim": claim,
            "form": form
            if claim.status == ClaimStatus.INFO_REQUESTED
            and request.user.has_perm("recognition.respond_claim", claim)
            else None,
        },
    )


@login_required
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    """Evidence goes back as a download with the type its bytes proved, to the candidate who
    uploaded it and to staff only; a sandboxing CSP covers anything a browser might render."""
    item = access_evidence(request, evidence_id)
    try:
        handle = open(evidence_store.FOLDER.path_of(item.stored_name), "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence_store.FOLDER.download_name(item.original_name, item.kind),
        content_type=evidence_store.CONTENT_TYPES[item.kind],
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_only
def claim_queue(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    return render(
        request,
        "recognition/queue.html",
        {"rows": selectors.claim_queue(open_only=not show_all), "show_all": show_all},
    )


@staff_only
@require_http_methods(["GET", "POST"])
def claim_decide(request: AuthenticatedHttpRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(
        Claim.objects.select_related("candidate", "external").prefetch_related("evidence"),
        pk=claim_id,
    )
    rules = catalog_api.program_rules()
    row = selectors.queue_row(claim, rules)
    suggested = (
        f"{row.suggestions[0].certification}/{row.suggestions[0].evaluation}"
        if row.suggestions
        else ""
    )
    form = DecisionForm(request.POST or None, rules=rules, suggested=suggested)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "approve":
                certification, evaluation = data["waive"].split("/", 1)
                claim_approve(
                    claim=claim,
                    certification=certification,
                    evaluation=evaluation,
                    message=data["message"],
                    acting_user=request.user,
                )
                messages.success(request, _("Approved; the waiver is granted."))
            elif data["action"] == "reject":
                claim_reject(claim=claim, reason=data["message"], acting_user=request.user)
                messages.success(request, _("Rejected; the candidate is told why."))
            else:
                claim_request_info(claim=claim, message=data["message"], acting_user=request.user)
                messages.success(request, _("Sent back to the candidate for more information."))
        except (ClaimStateError, ValueError, KeyError) as invalid:
            form.add_error(None, str(invalid))
        else:
            return redirect("recognition:queue")
    return render(request, "recognition/decide.html", {"row": row, "form": form})

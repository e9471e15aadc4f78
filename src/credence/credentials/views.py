"""Thin views: the issuer's DID document and status lists, the public verification page and
its JSON, the holder's certificates and downloads, and the staff status page."""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from credence.accounts.access import AuthenticatedHttpRequest
from credence.catalog import api as catalog_api
from credence.credentials import artwork, bulk, chain, selectors, services
from credence.credentials.keystore import KeyUnavailable
from credence.credentials.models import Certificate
from credence.credentials.permissions import access_certificate
from credence.credentials.policy import PublicSet
from credence.credentials.statuses import StatusPurpose
from credence.portfolios import api as portfolios_api

_JSON_LD = "application/ld+json"


def _json(data: Any, content_type: str = "application/json") -> HttpResponse:
    return HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type=content_type)


def _certificate(serial: str) -> Certificate:
    try:
        return selectors.certificate_for_verification(serial)
    except Certificate.DoesNotExist:
        raise Http404(_("No certificate has this serial number.")) from None


def _issue(certificate: Certificate) -> None:
    """Sign on first use; when no key is at hand the page still answers, saying the status
    could not be checked."""
    if certificate.credential is None:
        try:
            services.credential_issue(certificate=certificate)
        except KeyUnavailable:
            return
        certificate.refresh_from_db()


@require_GET
def did_document(request: HttpRequest) -> HttpResponse:
    return _json(selectors.did_document(), "application/did+ld+json")


@require_GET
def status_list(request: HttpRequest, purpose: str) -> HttpResponse:
    if purpose not in StatusPurpose.values:
        raise Http404
    try:
        credential = selectors.status_list_credential(purpose)
    except KeyUnavailable:
        return JsonResponse({"error": _("The status list cannot be signed now.")}, status=503)
    response = _json(credential, _JSON_LD)
    # a revocation must show at once: verifiers may not keep a stale copy
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def achievement(request: HttpRequest, award: str) -> HttpResponse:
    rules = catalog_api.program_rules()
    try:
        described = selectors.describe_award(rules, award)
    except KeyError:
        raise Http404 from None
    return _json(
        {
            "@context": selectors.openbadges_context(),
            "id": selectors.achievement_url(award),
            "type": ["Achievement"],
            "achievementType": "Certification",
            "name": described.name,
            "description": described.description,
            "criteria": {"narrative": described.criteria},
        },
        _JSON_LD,
    )


# The certificate's part of the page, rendered, by everything it is rendered from (the view
# holds frozen plain values, so equal views render equal text): rendering it is most of the
# page's time, and most requests ask again for a page whose verification did not change.
_ARTICLES: dict[tuple[selectors.VerificationView, bool, str, str], str] = {}
_ARTICLES_MAX = 1024


def _article(view: selectors.VerificationView, can_manage: bool) -> str:
    key = (view, can_manage, get_language(), get_script_prefix())
    article = _ARTICLES.get(key)
    if article is None:
        # no request: context processors stay out, so the key is all the template can see
        article = render_to_string(
            "credentials/_verification.html", {"v": view, "can_manage": can_manage}
        )
        if len(_ARTICLES) >= _ARTICLES_MAX:
            _ARTICLES.clear()
        _ARTICLES[key] = article
    return article


# The whole page for a visitor who is not signed in (a hiring manager: the page's audience),
# kept rendered in the pieces between which the visitor's CSRF token goes (the language form
# posts). Around the certificate's part such a visitor's page depends only on the language,
# the script prefix and the path with its query (the navigation marks the current page; the
# language form returns to it): with the page's context that is the key. Rendering the site's
# frame was what the page cost beyond its JSON.
_VISITOR_PAGES: dict[tuple[Any, ...], tuple[str, ...]] = {}
_VISITOR_PAGES_MAX = 1024


def _visitor_page(request: HttpRequest, context: dict[str, Any]) -> str:
    key = (
        context["v"],
        context["article"],
        context["program_contact"],
        get_language(),
        get_script_prefix(),
        request.get_full_path(),
    )
    pieces = _VISITOR_PAGES.get(key)
    if pieces is None:
        # rendered once with a stand-in for the token, fresh each time so that no text on the
        # page (a holder's name) can be taken for it
        stand_in = secrets.token_hex(16)
        page = render_to_string(
            "credentials/verify.html", context | {"csrf_token": stand_in}, request
        )
        pieces = tuple(page.split(stand_in))
        if len(_VISITOR_PAGES) >= _VISITOR_PAGES_MAX:
            _VISITOR_PAGES.clear()
        _VISITOR_PAGES[key] = pieces
    # the visitor's own token, as {% csrf_token %} gives it (and the cookie it needs)
    return get_token(request).join(pieces)


@require_GET
def verify(request: HttpRequest, serial: str) -> HttpResponse:
    certificate = _certificate(serial)
    if serial != certificate.serial:
        return redirect("credentials:verify", certificate.serial)
    _issue(certificate)
    view = selectors.verification_for(certificate)
    can_manage = request.user.has_perm("credentials.manage_certificate")
    context = {
        "v": view,
        "article": _article(view, can_manage),
        "program_contact": certificate.program.contact_email,
    }
    # a message waiting for the visitor (after signing out, say) is shown by the full render
    if request.user.is_authenticated or len(messages.get_messages(request)):
        return render(request, "credentials/verify.html", context)
    return HttpResponse(_visitor_page(request, context))


@require_GET
def verify_json(request: HttpRequest, serial: str) -> HttpResponse:
    certificate = _certificate(serial)
    _issue(certificate)
    view = selectors.verification_for(certificate)
    return _json(selectors.verification_json(view))


@login_required
@require_GET
def credential_download(request: HttpRequest, serial: str) -> HttpResponse:
    certificate = access_certificate(request, serial, "credentials.download_certificate")
    credential = services.credential_issue(certificate=certificate)
    response = _json(credential, _JSON_LD)
    response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.json"'
    return response


@login_required
@require_GET
def pdf_download(request: HttpRequest, serial: str) -> HttpResponse:
    certificate = access_certificate(request, serial, "credentials.download_certificate")
    response = HttpResponse(artwork.certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.pdf"'
    return response


def _attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def image_download(request: HttpRequest, serial: str, kind: str) -> HttpResponse:
    """The certificate as an image for social posts (PNG or SVG), in the holder's language."""
    certificate = access_certificate(request, serial, "credentials.download_certificate")
    if kind == "svg":
        image: bytes | str = artwork.social_svg(certificate)
        return _attachment(image, "image/svg+xml", f"{certificate.serial}.svg")
    return _attachment(artwork.social_png(certificate), "image/png", f"{certificate.serial}.png")


@login_required
@require_GET
def badge_download(request: HttpRequest, serial: str, kind: str) -> HttpResponse:
    """The Open Badges image (PNG or SVG) with the signed credential baked in."""
    certificate = access_certificate(request, serial, "credentials.download_certificate")
    credential = services.credential_issue(certificate=certificate)
    name = f"{certificate.serial}-badge.{kind}"
    if kind == "svg":
        return _attachment(artwork.baked_badge_svg(certificate, credential), "image/svg+xml", name)
    return _attachment(artwork.baked_badge_png(certificate, credential), "image/png", name)


@login_required
@require_GET
def my_certificates(request: AuthenticatedHttpRequest) -> HttpResponse:
    certificates = selectors.certificates_for(request.user)
    rules = catalog_api.program_rules() if certificates else None
    rows = [
        {
            "certificate": c,
            "name": selectors.describe_award(rules, c.award).name if rules else c.award,
            "standing": selectors.standing_on(c),
            "linkedin": selectors.linkedin_url(
                c, selectors.describe_award(rules, c.award).name if rules else c.award
            ),
        }
        for c in certificates
    ]
    return render(request, "credentials/mine.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def manage_status(request: AuthenticatedHttpRequest, serial: str) -> HttpResponse:
    certificate = access_certificate(request, serial, "credentials.manage_certificate")
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        reason = request.POST.get("reason", "")
        change = {
            "revoke": services.certificate_revoke,
            "suspend": services.certificate_suspend,
            "reinstate": services.certificate_reinstate,
        }.get(action)
        if change is None:
            error = _("Choose revoke, suspend or reinstate.")
        else:
            try:
                change(certificate=certificate, reason=reason, acting_user=request.user)
            except services.StatusChangeRefused as refused:
                error = str(refused)
            else:
                messages.success(request, _("The certificate's status was changed."))
                return redirect("credentials:manage-status", certificate.serial)
    return render(
        request,
        "credentials/manage_status.html",
        {
            "certificate": certificate,
            # the award's name, not its code: a certification's, or the composite award's
            "award_name": (
                certificate.certification.name
                if certificate.certification
                else catalog_api.program_rules().composite.name
            ),
            "standing": selectors.standing_on(certificate),
            "error": error,
            "reason": request.POST.get("reason", ""),
        },
        status=400 if error else 200,
    )


_THROTTLE = bulk.BatchThrottle()


@require_http_methods(["GET", "POST"])
def verify_many(request: HttpRequest) -> HttpResponse:
    """An employer checks many certificates at once: pasted credentials, serial numbers or
    the links of their QR codes, or uploaded JSON files; the same results as the API's
    ``POST /api/v1/verifications``. What was pasted stays in the form when it is refused."""
    context: dict[str, Any] = {"most": bulk.MAX_ITEMS, "text": "", "problems": []}
    template = "credentials/verify_many.html"
    if request.method != "POST":
        return render(request, template, context)
    context["text"] = text = request.POST.get("items", "")
    if not _THROTTLE.allow_request(request):
        context["problems"] = [
            _("Too many checks from your address; please wait a minute and try again.")
        ]
        return render(request, template, context, status=429)
    try:
        found = bulk.items_from_text(text)
        for upload in request.FILES.getlist("files"):
            # an uploaded file always has a name; Django's types allow none for any File
            found += bulk.items_from_file(upload.name or "", upload.read())
        items = bulk.read_items(found)
    except bulk.BatchRefused as refused:
        context["problems"] = refused.problems
        return render(request, template, context, status=422)
    checks = bulk.check_items(items, now=timezone.now())
    context.update(checks=checks, counts=bulk.counts(checks))
    return render(request, template, context)


# --- the evidence chain and what the holder makes public (decision 0054) ------------------

_CHOICE_FIELDS = (
    ("name", "show_name"),
    ("bands", "show_bands"),
    ("repository", "show_repository"),
    ("report", "show_report"),
)


def _posted_choice(request: HttpRequest) -> PublicSet:
    return PublicSet(**{field: request.POST.get(name) == "on" for field, name in _CHOICE_FIELDS})


@login_required
@require_http_methods(["GET", "POST"])
def evidence_choice(request: AuthenticatedHttpRequest, serial: str | None = None) -> HttpResponse:
    """The holder chooses what is public: for one certificate (``serial``) or for every
    certificate without its own choice, including those not issued yet."""
    certificate = (
        access_certificate(request, serial, "credentials.choose_evidence") if serial else None
    )
    if certificate is not None and serial != certificate.serial:
        return redirect("credentials:evidence-choice-certificate", certificate.serial)
    error = ""
    if request.method == "POST":
        choice = _posted_choice(request)
        try:
            services.evidence_choice_set(
                holder=request.user,
                choice=choice,
                certificate=certificate,
                acting_user=request.user,
            )
        except services.EvidenceChoiceRefused as refused:
            error = str(refused)
        else:
            messages.success(request, _("Your choice was saved."))
            if certificate is not None:
                return redirect("credentials:evidence-choice-certificate", certificate.serial)
            return redirect("credentials:evidence-choice")
    else:
        choice = (
            selectors.evidence_choice_for(certificate)
            if certificate is not None
            else selectors.holder_evidence_choice(request.user)
        )
    return render(
        request,
        "credentials/evidence_choice.html",
        {
            "certificate": certificate,
            "choice": choice,
            "own": certificate is not None and selectors.has_own_evidence_choice(certificate),
            "certificates": (
                selectors.certificates_for(request.user) if certificate is None else []
            ),
            "error": error,
        },
        status=400 if error else 200,
    )


@require_GET
def evidence(request: HttpRequest, serial: str) -> HttpResponse:
    """The public evidence page: exactly what the holder approves now."""
    certificate = _certificate(serial)
    if serial != certificate.serial:
        return redirect("credentials:evidence", certificate.serial)
    _issue(certificate)
    page = chain.evidence_page(certificate, catalog_api.rules_for(certificate.program))
    return render(request, "credentials/evidence.html", {"page": page})


@require_GET
def evidence_report(request: HttpRequest, serial: str, evaluation: str) -> HttpResponse:
    """The evidence report behind a passed evaluation, in the canonical bytes whose SHA-256
    the credential signs; only when the holder made it public."""
    certificate = _certificate(serial)
    page = chain.evidence_page(certificate, catalog_api.rules_for(certificate.program))
    item = next(
        (r.item for r in page.rows if r.item.evaluation == evaluation and r.item.submission),
        None,
    )
    if item is None or not page.choice.report or item.submission is None:
        raise Http404(_("The holder has not made this evidence report public."))
    report = portfolios_api.stored_report(item.submission)
    if report is None:
        raise Http404(_("No evidence report is stored for this evaluation."))
    return _attachment(
        portfolios_api.report_bytes(report),
        "application/json",
        f"{certificate.serial}-{evaluation}-report.json",
    )

"""The public transparency pages of the certifications (decision 0045): thin, every figure
from ``transparency``; no login, nothing personal."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from credence.catalog import api as catalog_api
from credence.psychometrics import transparency


def _page(code: str) -> transparency.Transparency:
    try:
        return transparency.transparency_for(code)
    except (KeyError, catalog_api.ProgramNotLoaded):
        raise Http404 from None


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    try:
        rules = catalog_api.program_rules()
    except catalog_api.ProgramNotLoaded:
        raise Http404 from None
    return render(
        request,
        "psychometrics/transparency_index.html",
        {"program": rules, "certifications": rules.certifications},
    )


@require_GET
def certification(request: HttpRequest, code: str) -> HttpResponse:
    return render(
        request,
        "psychometrics/transparency.html",
        {"page": _page(code), "figures": transparency.FIGURES},
    )


@require_GET
def figure(request: HttpRequest, code: str, name: str) -> HttpResponse:
    if name not in transparency.FIGURES:
        raise Http404
    return HttpResponse(transparency.figure(name, _page(code)), content_type="image/svg+xml")

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from credence.catalog.selectors import program_overview


def home(request: HttpRequest) -> HttpResponse:
    """The program, public: what it awards, how, at what cost, under which rules."""
    return render(request, "catalog/home.html", {"overview": program_overview()})

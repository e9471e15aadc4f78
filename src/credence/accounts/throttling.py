"""How django-axes names who is guessing (docs/security.md, docs/decisions/0024).

allauth logs people in by e-mail and hands ``authenticate`` an ``email`` credential; axes
would look for ``username``. The address is compared case-insensitively, as allauth does, so
that ``Ada@Example.org`` and ``ada@example.org`` share one count."""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def login_of(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The login being tried: from the credentials, else from allauth's login form field."""
    login = (credentials or {}).get("email") or (credentials or {}).get("username")
    if not login and request is not None:
        login = request.POST.get("login", "")
    return str(login or "").strip().lower()


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind a proxy that the deployment says it trusts, that is the
    last X-Forwarded-For entry, the one the proxy appended (earlier ones come from the client
    and can be forged); otherwise the peer's address."""
    if settings.CREDENCE_TRUST_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return str(request.META.get("REMOTE_ADDR", ""))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """The translated lockout page (429), saying how long the pause lasts in minutes."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    return render(
        request,
        "account/lockout.html",
        {"failure_limit": get_failure_limit(request, credentials), "minutes": minutes},
        status=429,
    )

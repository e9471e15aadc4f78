"""Cross-cutting HTTP guards (docs/security.md): a cap on request bodies, UTF-8 only for forms
and query strings, and an idle timeout for logins. Refusals answer in the visitor's language."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

Handler = Callable[[HttpRequest], HttpResponse]


class HtmxHttpRequest(HttpRequest):
    """A request as views see it behind django-htmx's middleware (settings.MIDDLEWARE)."""

    htmx: HtmxDetails


class RequestSizeLimitMiddleware:
    """Answer 413 before reading a body larger than ``CREDENCE_MAX_REQUEST_BYTES``.

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams any size of file upload
    to a temporary file, and a view reading ``request.body`` of a too-large request gets a bare
    400. This says what happened, in JSON for JSON clients. A front web server should have
    the same limit; this one holds when it does not."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = int(settings.CREDENCE_MAX_REQUEST_BYTES)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django treats an unreadable length as no body
        if length <= limit:
            return self.get_response(request)
        message = _("The request is larger than %(limit)s, the most this site accepts.") % {
            "limit": filesizeformat(limit)
        }
        return refusal(request, 413, _("Request too large"), message)


def refusal(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    """A request refused before any view saw it: problem details (RFC 9457) for JSON clients,
    a page for people."""
    wants_json = request.content_type == "application/json" or "json" in request.headers.get(
        "Accept", ""
    )
    if wants_json:
        return JsonResponse(
            {"title": title, "status": status, "detail": message},
            status=status,
            content_type="application/problem+json",
        )
    return render(
        request, "core/request_refused.html", {"title": title, "message": message}, status=status
    )


def _is_utf8_form(raw: bytes) -> bool:
    try:
        unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class Utf8RequestMiddleware:
    """Refuse (400) a query string or form body that is not UTF-8, and answer 404 for a path
    holding a NUL character.

    Django decodes both with errors="replace", so Latin-1 input would otherwise be stored
    with U+FFFD where the accented letters were, silently. Multipart bodies are decoded
    field by field by Django and are not checked here."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            # No key holds NUL (PostgreSQL text cannot), so such a path names nothing; looking
            # it up would make PostgreSQL refuse the query (a server error).
            raise Http404
        query = request.META.get("QUERY_STRING", "")
        ok = _is_utf8_form(query.encode("latin-1", errors="ignore"))
        if ok and request.content_type == "application/x-www-form-urlencoded":
            # a body over DATA_UPLOAD_MAX_MEMORY_SIZE: Django answers it when the view reads it
            with suppress(RequestDataTooBig):
                ok = _is_utf8_form(request.body)
        if ok:
            return self.get_response(request)
        return refusal(
            request,
            400,
            _("Unreadable characters"),
            _(
                "The request holds characters that are not UTF-8. Send the form again from "
                "its page."
            ),
        )


SEEN_KEY = "_credence_last_seen"
STARTED_KEY = "_credence_signed_in_at"
# The session is written at most this often only to note activity, not on every request.
SEEN_RESOLUTION_SECONDS = 60


class SessionIdleTimeoutMiddleware:
    """Log out a user who has sent no request for ``CREDENCE_SESSION_IDLE_SECONDS``, or who
    signed in more than ``SESSION_COOKIE_AGE`` ago.

    Django's SESSION_COOKIE_AGE alone slides: every change to the session (this middleware's
    own note of activity included) pushes the expiry on. So the age is counted here from the
    first request after signing in, and the idle time from the last request, so that a shared
    computer left alone does not stay signed in for the rest of the day."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(SEEN_KEY)
            started = request.session.get(STARTED_KEY)
            idle = isinstance(seen, int) and now - seen > settings.CREDENCE_SESSION_IDLE_SECONDS
            old = isinstance(started, int) and now - started > settings.SESSION_COOKIE_AGE
            if idle or old:
                logout(request)  # flushes the session; the view sees an anonymous visitor
            else:
                if not isinstance(started, int):
                    request.session[STARTED_KEY] = now
                if not isinstance(seen, int) or now - seen >= SEEN_RESOLUTION_SECONDS:
                    request.session[SEEN_KEY] = now
        return self.get_response(request)

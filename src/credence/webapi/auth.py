"""Who is calling: a personal API token (``Authorization: Bearer``) or the browser's Django
session. Session calls with unsafe methods need the CSRF token like any form post (the
``X-CSRFToken`` header); token calls do not, because a browser never adds the token by itself.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from credence.accounts.access import is_office
from credence.webapi.services import token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = token_authenticate(token)
        if user is not None:
            # The permission predicates and services read ``request.user``.
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # An anonymous caller is told to authenticate (401), not that its CSRF token is
        # missing: the CSRF check only matters for a session that could be abused.
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        return request.user if request.user.is_authenticated else None


token_auth = TokenAuth()
session_auth = SessionAuth()
# The token first: a script that sends one is judged by it, whatever cookies it carries.
signed_in = [token_auth, session_auth]


def require_office(request: HttpRequest) -> None:
    """403 unless the caller is the program office (the same predicate as the web pages)."""
    if not is_office(request.user):
        raise PermissionDenied

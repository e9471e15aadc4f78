"""Personal API tokens: created (shown once), checked on every API request, revoked.

Tokens carry 256 random bits, so one SHA-256 digest is enough to store them safely: a slow
password hash protects guessable secrets, and nothing about these is guessable.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credence.accounts.models import User
from credence.audit.api import record
from credence.webapi.models import ApiToken

TOKEN_PREFIX = "cred_"
# The first characters identify a token in lists; they are a small part of the secret.
SHOWN_PREFIX_LENGTH = len(TOKEN_PREFIX) + 6
# Writing "last used" on every request would turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=5)


class TokenError(ValueError):
    """A token request that cannot be carried out, with a message for the user."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str, acting_user: User | None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the token, which is never shown again."""
    name = name.strip()
    if not name or len(name) > 100:
        raise TokenError(_("Give the token a name of 1 to 100 characters."))
    if not user.is_active:
        raise TokenError(_("Inactive accounts cannot have API tokens."))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(
        user=user, name=name, prefix=token[:SHOWN_PREFIX_LENGTH], digest=token_digest(token)
    )
    record(
        action="api_token.created",
        subject=api_token,
        actor=acting_user,
        subject_user=user,
        after={"token": api_token.pk, "prefix": api_token.prefix},
    )
    return api_token, token


@transaction.atomic
def token_revoke(
    *, token: ApiToken, acting_user: User | None, now: datetime | None = None
) -> ApiToken:
    """Revoke ``token``; revoking twice keeps the first revocation."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = now or timezone.now()
    token.save(update_fields=["revoked_at"])
    record(
        action="api_token.revoked",
        subject=token,
        actor=acting_user,
        subject_user=token.user,
        before={"revoked_at": None},
        after={"revoked_at": token.revoked_at.isoformat()},
    )
    return token


def token_authenticate(token: str, now: datetime | None = None) -> Any | None:
    """The active user the token belongs to, or None for an unknown or revoked token."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    api_token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if api_token is None:
        return None
    now = now or timezone.now()
    if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    return api_token.user

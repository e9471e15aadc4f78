"""The API's part of the data-protection rights: a person's API tokens. The export leaves out
the digest (a secret's fingerprint, not data about the person); erasure revokes every token
and blanks the names the person gave them, keeping the rows their audit events point to."""

from __future__ import annotations

from datetime import datetime

from credence.accounts.models import User
from credence.core.personal_data import ErasureSummary, Export, label, rows
from credence.webapi.models import ApiToken


def export_user_data(user: User) -> Export:
    return {label(ApiToken): rows(ApiToken.objects.filter(user=user), exclude=("digest",))}


def erase_user_data(user: User, *, now: datetime) -> ErasureSummary:
    tokens = ApiToken.objects.filter(user=user)
    revoked = tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
    tokens.update(name="")
    return {label(ApiToken): f"revoked {revoked}, names blanked"}

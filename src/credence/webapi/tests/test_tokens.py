"""Personal API tokens: created once, stored as a digest, checked, revoked, audited; the CLI;
the data-protection rights."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from credence.accounts.models import User
from credence.audit.models import AuditEvent
from credence.webapi import personal_data
from credence.webapi.models import ApiToken
from credence.webapi.services import (
    TokenError,
    token_authenticate,
    token_create,
    token_revoke,
)


@pytest.fixture
def user(db: Any) -> Any:
    return User.objects.create_user("tok@example.invalid", None, full_name="Tok")


def test_only_the_digest_is_stored_and_the_token_finds_its_user(user: Any):
    row, token = token_create(user=user, name="export", acting_user=user)
    assert token.startswith("cred_") and len(token) > 40
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {row.digest, row.prefix, row.name}
    assert token.startswith(row.prefix)
    assert token_authenticate(token) == user
    assert token_authenticate(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert AuditEvent.objects.filter(action="api_token.created", subject_user=user).count() == 1


def test_last_use_is_noted_at_most_every_few_minutes(user: Any):
    row, token = token_create(user=user, name="export", acting_user=user)
    now = timezone.now()
    token_authenticate(token, now=now)
    token_authenticate(token, now=now + timedelta(minutes=1))
    row.refresh_from_db()
    assert row.last_used_at == now
    token_authenticate(token, now=now + timedelta(minutes=6))
    row.refresh_from_db()
    assert row.last_used_at == now + timedelta(minutes=6)


def test_revoked_tokens_and_inactive_accounts_are_refused(user: Any):
    row, token = token_create(user=user, name="export", acting_user=user)
    user.is_active = False
    user.save()
    assert token_authenticate(token) is None
    user.is_active = True
    user.save()
    first = token_revoke(token=row, acting_user=user).revoked_at
    assert token_authenticate(token) is None
    assert token_revoke(token=row, acting_user=user).revoked_at == first
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_needs_a_name(user: Any, name: str):
    with pytest.raises(TokenError):
        token_create(user=user, name=name, acting_user=user)
    assert not ApiToken.objects.exists()


def test_the_cli_creates_lists_and_revokes(user: Any):
    out, err = StringIO(), StringIO()
    call_command(
        "api", "token", "create", "TOK@example.invalid", "--name", "ci", stdout=out, stderr=err
    )
    token = out.getvalue().strip()
    assert token_authenticate(token) == user
    assert "only this once" in err.getvalue()
    listing = StringIO()
    call_command("api", "token", "list", user.email, stdout=listing)
    prefix = ApiToken.objects.get().prefix
    assert prefix in listing.getvalue() and token not in listing.getvalue()
    call_command("api", "token", "revoke", prefix, stdout=StringIO())
    assert token_authenticate(token) is None
    with pytest.raises(CommandError):
        call_command("api", "token", "revoke", prefix, stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("api", "token", "create", "nobody@example.invalid", stdout=StringIO())


def test_export_leaves_out_the_digest_and_erasure_revokes(user: Any):
    token_create(user=user, name="my laptop", acting_user=user)
    (exported,) = personal_data.export_user_data(user)["webapi.apitoken"]
    assert exported["name"] == "my laptop"
    assert "digest" not in exported
    personal_data.erase_user_data(user, now=timezone.now())
    row = ApiToken.objects.get()
    assert row.revoked_at is not None
    assert row.name == ""

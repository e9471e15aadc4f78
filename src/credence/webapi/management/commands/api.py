"""``credence api token create EMAIL [--name NAME]``, ``credence api token list EMAIL`` and
``credence api token revoke PREFIX``: personal API tokens for scripts (docs/api.md).

The token is printed once, on creation; only its digest is stored."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from credence.webapi.models import ApiToken
from credence.webapi.services import TokenError, token_create, token_revoke


class Command(BaseCommand):
    # An operator's routine command: the system checks (every URL module, templates) are
    # `credence check`'s and `migrate`'s job and would cost seconds on every call.
    requires_system_checks: list[str] = []
    help = "Manage personal API tokens."

    def add_arguments(self, parser: ArgumentParser) -> None:
        groups = parser.add_subparsers(dest="group", required=True, metavar="{token}")
        token = groups.add_parser("token", help="Personal API tokens.")
        actions = token.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        create = actions.add_parser("create", help="Create a token for a user and print it once.")
        create.add_argument("email")
        create.add_argument("--name", default="script", help="what the token is for")
        listing = actions.add_parser("list", help="List a user's tokens (prefixes only).")
        listing.add_argument("email")
        revoke = actions.add_parser("revoke", help="Revoke the token with this prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"_{action}")(**options)

    def _user(self, email: str) -> Any:
        try:
            return get_user_model().objects.get(email__iexact=email.strip())
        except get_user_model().DoesNotExist:
            raise CommandError(f"No account has the e-mail address {email}.") from None

    def _create(self, *, email: str, name: str, **options: Any) -> None:
        try:
            _, token = token_create(user=self._user(email), name=name, acting_user=None)
        except TokenError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(token)
        self.stderr.write("Keep it secret: it is shown only this once.")

    def _list(self, *, email: str, **options: Any) -> None:
        for token in ApiToken.objects.filter(user=self._user(email)):
            state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(f"{token.prefix}  {token.name}  {state}  last used {used}")

    def _revoke(self, *, prefix: str, **options: Any) -> None:
        found = list(ApiToken.objects.filter(prefix=prefix.strip(), revoked_at__isnull=True)[:2])
        if len(found) != 1:
            raise CommandError(
                "No active token has this prefix."
                if not found
                else "Several active tokens have this prefix; give more of it."
            )
        token_revoke(token=found[0], acting_user=None)
        self.stdout.write(f"Revoked {found[0].prefix}.")

"""`credence keys create|rotate|list`: the issuer's Ed25519 signing keys (did:web)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    no_translations,
)


class Command(BaseCommand):
    # An operator's routine command: the system checks (every URL module, templates) are
    # `credence check`'s and `migrate`'s job and would cost seconds on every call.
    requires_system_checks: list[str] = []
    help = "Manage the issuer's signing keys: create the first, rotate to a new one, list them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("create", help="create the first signing key")
        sub.add_parser("rotate", help="sign with a new key from now on; old keys still verify")
        sub.add_parser("list", help="list the keys of the issuer's DID document")

    # operators read the output, and scripts parse it: the same in every process
    @no_translations
    def handle(self, *args: Any, action: str, **options: Any) -> None:
        # imported when run, not for `credence keys --help` (half a second, issue 14)
        from credence.credentials import selectors, services

        if action == "create":
            try:
                key = services.signing_key_create(acting_user=None)
            except services.StatusChangeRefused as refused:
                raise CommandError(str(refused)) from None
            self.stdout.write(f"created {selectors.verification_method_id(key)}")
        elif action == "rotate":
            key = services.signing_key_rotate(acting_user=None)
            self.stdout.write(f"now signing with {selectors.verification_method_id(key)}")
        else:
            self.stdout.write(f"issuer {selectors.issuer_did()}")
            for key in selectors.signing_keys():
                state = "signing" if key.signing else f"rotated {key.rotated_at:%Y-%m-%d %H:%M}"
                self.stdout.write(
                    f"{key.key_id}  {key.public_key_multibase}  "
                    f"created {key.created_at:%Y-%m-%d %H:%M}  {state}"
                )

"""``credence demo``: migrate, load the default program, create demo users, serve."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from credence.core import public


class Command(BaseCommand):
    help = "Set up a demo database with the AI Engineer program and demo users, then serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="set up, but do not serve")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-worker", action="store_true", help="serve without the background task worker"
        )

    def handle(
        self, *args: Any, no_serve: bool, host: str, port: int, no_worker: bool, **options: Any
    ) -> None:
        # imported when run, not for `credence demo --help` (half a second, issue 14)
        from credence.credentials import api as credentials_api
        from credence.demo.data import DEMO_PASSWORD, demo_populate

        call_command("migrate", interactive=False, verbosity=0)
        call_command("program", "load", stdout=self.stdout)
        call_command("items", "load", stdout=self.stdout)  # the program's shipped item bank
        public_url = public.use_local_address(host=host, port=port)
        logins = demo_populate(timezone.localdate())
        # every demo certificate gets its signed, verifiable credential
        credentials_api.credentials_issue_all()
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})\n")
        for login in logins:
            self.stdout.write(f"  {login.email:<40} {login.role:<10} {login.shows}")
        self.stdout.write(
            f"\nCertificates are issued by {public_url} (kept in var/public_url: `credence "
            "serve`, the worker and `credence credentials verify` use the same issuer)\n"
        )
        if not no_serve:
            call_command("serve", host=host, port=port, no_worker=no_worker)

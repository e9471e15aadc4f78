"""`credence credentials export|list|verify|remind|issue`: signed credentials from the shell.

`verify` exits 0 when the credential is valid, 2 when its signature or its status could not be
checked (the issuer's DID document or a status list is not at hand), and 1 otherwise (with the
reason).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    no_translations,
)
from django.db import DatabaseError
from django.utils import timezone

from credence.credentials.models import Certificate
from credence.credentials.statuses import Standing

# Each action imports the credential services and selectors when it runs: with them (and the
# cryptography they load) `credence credentials … --help` took over half a second (issue 14).


def _read_json(path: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text())
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from None
    except json.JSONDecodeError as error:
        raise CommandError(f"{path} is not JSON: {error}") from None
    if not isinstance(data, dict):
        raise CommandError(f"{path} is not a JSON object")
    return data


def _issuer_line(issuer: str | None, own_did: str | None) -> str:
    """Who signed, and whether it is this platform: a credential that copies the platform's
    name but is signed by any other key must not read as ours (issue 18)."""
    if issuer is None:
        return "none named"
    if own_did is None:
        return f"{issuer} (no Credence platform is set up here to compare it with)"
    if issuer == own_did:
        return f"{issuer} (this platform)"
    return f"{issuer} (not this platform, which issues as {own_did})"


class Command(BaseCommand):
    # An operator's routine command: the system checks (every URL module, templates) are
    # `credence check`'s and `migrate`'s job and would cost seconds on every call.
    requires_system_checks: list[str] = []
    help = "Export, list and verify signed Open Badges 3.0 credentials; send expiry reminders."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="print a certificate's signed credential")
        export.add_argument("serial")
        listing = sub.add_parser("list", help="list certificates")
        listing.add_argument("--json", action="store_true", dest="as_json")
        verify = sub.add_parser("verify", help="verify a credential file offline")
        verify.add_argument("file")
        verify.add_argument(
            "--did-document",
            action="append",
            default=[],
            metavar="FILE",
            help="a trusted DID document for a did:web issuer (repeatable)",
        )
        verify.add_argument(
            "--status-list",
            action="append",
            default=[],
            metavar="FILE",
            help="a status list credential to check status with (repeatable)",
        )
        verify.add_argument("--json", action="store_true", dest="as_json")
        remind = sub.add_parser(
            "remind",
            help="daily job: queue expiry reminders and recompute awards after expiries",
        )
        remind.add_argument("--today", type=date.fromisoformat, default=None)
        sub.add_parser("issue", help="sign every certificate that has no credential yet")

    # operators read the output, and scripts parse it: the same in every process
    @no_translations
    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"_{action}")(**options)

    def _export(self, *, serial: str, **options: Any) -> None:
        from credence.credentials import selectors, services

        try:
            certificate = selectors.certificate_get(serial)
        except Certificate.DoesNotExist:
            raise CommandError(f"no certificate has the serial {serial}") from None
        credential = services.credential_issue(certificate=certificate)
        self.stdout.write(json.dumps(credential, indent=2, ensure_ascii=False))

    def _list(self, *, as_json: bool, **options: Any) -> None:
        from credence.credentials import selectors

        rows = [
            {
                "serial": c.serial,
                "holder": c.holder.full_name or c.holder.email,
                "certification": c.award,
                "issued_on": c.issued_on.isoformat(),
                "valid_until": c.valid_until.isoformat(),
                "standing": str(selectors.standing_on(c)),
            }
            for c in Certificate.objects.select_related("holder").order_by("issued_on", "id")
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write("  ".join(str(v) for v in row.values()))

    def _verify(
        self,
        *,
        file: str,
        did_document: list[str],
        status_list: list[str],
        as_json: bool,
        **options: Any,
    ) -> None:
        from credence.credentials import selectors
        from credence.credentials.verification import verify_credential

        credential = _read_json(file)
        issuer = selectors.issuer_did()
        own_did: str | None = issuer
        documents: dict[str, dict[str, Any]]
        try:
            documents = {issuer: selectors.did_document()}
        except DatabaseError:
            # a hiring manager's machine: no platform is set up here, so only the documents
            # and lists given count, and no issuer is this platform (issue 18)
            own_did, documents = None, {}
        for path in did_document:
            doc = _read_json(path)
            documents[str(doc.get("id"))] = doc
        lists = {str(d.get("id")): d for d in map(_read_json, status_list)}

        def source(url: str) -> dict[str, Any] | None:
            return lists.get(url) or (selectors.own_status_list(url) if own_did else None)

        report = verify_credential(
            credential, now=timezone.now(), did_documents=documents, status_lists=source
        )
        if as_json:
            verdict = report.as_dict()
            verdict["issuer_is_this_platform"] = own_did is not None and report.issuer == own_did
            self.stdout.write(json.dumps(verdict, indent=2))
        else:
            self.stdout.write(f"{report.standing.label} ({report.standing})")
            self.stdout.write(f"  issuer: {_issuer_line(report.issuer, own_did)}")
            for problem in report.problems:
                self.stdout.write(f"  - {problem}")
            if report.unchecked:
                self.stdout.write(f"  - {report.unchecked}")
            for status in report.statuses:
                message = f" ({status.message})" if status.message else ""
                detail = f": {status.detail}" if status.detail else ""
                self.stdout.write(f"  {status.purpose}: {status.state.label}{message}{detail}")
        if report.standing in (Standing.STATUS_UNKNOWN, Standing.SIGNATURE_UNCHECKED):
            raise SystemExit(2)
        if report.standing != Standing.VALID:
            raise SystemExit(1)

    def _remind(self, *, today: date | None, **options: Any) -> None:
        from credence.credentials import services

        day = today or timezone.localdate()
        reminders = services.reminders_send_due(today=day)
        awarded = services.composites_recompute(today=day)
        self.stdout.write(f"{len(reminders)} reminder(s) queued, {len(awarded)} award(s) made")

    def _issue(self, **options: Any) -> None:
        from credence.credentials import services

        self.stdout.write(f"{services.credentials_issue_all()} credential(s) signed")

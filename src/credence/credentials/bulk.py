"""An employer's check of many credentials at once (issue 18, item 4; decision 0048): each
item is a signed credential (a JSON object), a certificate's serial number, or the link its
QR code holds. The API (``POST /api/v1/verifications``) and the page (``/verify/``) answer
with the same results, item by item, in the order given.

The items are read first and the whole request is refused if one cannot be read, before
anything is looked up (or signed: a certificate's credential is signed on first use, as on
its page). Each credential is verified as an outside verifier would (``verification``), with
this platform's DID document and status lists read once for the whole batch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.throttling import AnonRateThrottle

from credence.core import jsonin
from credence.credentials import selectors, services
from credence.credentials.keystore import KeyUnavailable
from credence.credentials.models import Certificate
from credence.credentials.statuses import Standing
from credence.credentials.verification import VerificationReport

MAX_ITEMS = 1000
MAX_TEXT = 2000  # a serial or a link; longer text is not one
_SERIAL = re.compile(r"CRD-[0-9A-HJKMNP-TV-Z]{10}")
_LINK_PATH = re.compile(r"/certificates/(?P<serial>[^/]+)/(?:verification\.json)?")


class BatchThrottle(AnonRateThrottle):
    """Checks per client address, whoever is signed in, counted together for the API and
    the page (``CREDENCE_VERIFICATIONS_RATE``; a check can hold 1,000 items)."""

    def __init__(self) -> None:
        super().__init__(settings.CREDENCE_VERIFICATIONS_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        # the setting as it is now (one instance serves every request of a process)
        self.rate = settings.CREDENCE_VERIFICATIONS_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        return self.cache_format % {"scope": "verifications", "ident": self.get_ident(request)}


class BatchRefused(ValueError):
    """The request cannot be checked as sent; ``problems`` names each item (from 0) that
    cannot be read, or the limit."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Item:
    index: int
    kind: str  # "credential", "serial" or "link"
    credential: dict[str, Any] | None = None
    serial: str | None = None  # a serial number, or the one a link of this site names
    foreign_link: str | None = None  # a link to a certificate page of another site


@dataclass(frozen=True)
class ItemCheck:
    index: int
    kind: str
    serial: str | None
    verification: str  # "valid", "invalid" or "could_not_check"
    status: str | None  # "active", "expired", "suspended", "revoked", "not_yet_valid"
    standing: str  # the one-word verdict of the verification page (``Standing``)
    issuer: str | None
    issuer_is_this_platform: bool
    holder: str | None
    achievement: str | None
    valid_until: str | None
    reason: str

    @property
    def expires_on(self) -> date | None:
        """The day ``valid_until`` names, for people (None when absent or unreadable)."""
        try:
            return datetime.fromisoformat(self.valid_until).date() if self.valid_until else None
        except ValueError:
            return None


def _serial_in(text: str) -> str | None:
    candidate = text.strip().upper()
    return candidate if _SERIAL.fullmatch(candidate) else None


def items_from_text(text: str) -> list[object]:
    """What a person pasted: a credential or a JSON list of items, or serial numbers and
    links one per line."""
    stripped = text.strip()
    if not stripped:
        return []
    if stripped[0] in "[{":
        return _json_items(stripped.encode(), _("The pasted text is not JSON: %(why)s"))
    return [line.strip() for line in stripped.splitlines() if line.strip()]


def items_from_file(name: str, data: bytes) -> list[object]:
    """An uploaded JSON file: one credential, or a list of items."""
    return _json_items(data, _("%(file)s is not a JSON file: %(why)s"), file=name)


def _json_items(data: bytes, refusal: str, **names: str) -> list[object]:
    """A JSON list of items, or one item; ``refusal`` says why not (``%(why)s`` and
    ``names``)."""
    try:
        parsed = jsonin.parse(data)
    except jsonin.BadJSON as error:
        raise BatchRefused([refusal % {**names, "why": error}]) from None
    return parsed if isinstance(parsed, list) else [parsed]


def read_items(items: object) -> list[Item]:
    """The items of a request, or ``BatchRefused`` naming every one that is neither a JSON
    object nor a serial number nor a link to a certificate page."""
    if not isinstance(items, list) or not items:
        raise BatchRefused([_("Send a list of 1 to %(most)s items.") % {"most": MAX_ITEMS}])
    if len(items) > MAX_ITEMS:
        raise BatchRefused(
            [
                _("%(count)s items: at most %(most)s can be checked at once.")
                % {"count": len(items), "most": MAX_ITEMS}
            ]
        )
    read: list[Item] = []
    problems: list[str] = []
    own_host = urlsplit(selectors.verification_url("X")).netloc
    for index, item in enumerate(items):
        if isinstance(item, dict):
            read.append(Item(index, "credential", credential=item))
            continue
        if not isinstance(item, str) or not item.strip() or len(item) > MAX_TEXT:
            problems.append(
                _(
                    "Item %(index)s is neither a credential (a JSON object) nor a serial number "
                    "nor a certificate's link."
                )
                % {"index": index}
            )
            continue
        if serial := _serial_in(item):
            read.append(Item(index, "serial", serial=serial))
            continue
        link = urlsplit(item.strip())
        match = _LINK_PATH.fullmatch(link.path) if link.scheme in {"http", "https"} else None
        if match is None:
            problems.append(
                _(
                    "Item %(index)s is not a serial number (CRD- and ten letters or digits) nor a "
                    "link to a certificate page."
                )
                % {"index": index}
            )
        elif link.netloc != own_host:
            read.append(Item(index, "link", foreign_link=item.strip()))
        else:
            read.append(Item(index, "link", serial=_serial_in(match["serial"]) or match["serial"]))
    if problems:
        raise BatchRefused(problems)
    return read


_STATUS = {
    Standing.VALID: "active",
    Standing.EXPIRED: "expired",
    Standing.REVOKED: "revoked",
    Standing.SUSPENDED: "suspended",
    Standing.NOT_YET_VALID: "not_yet_valid",
}


def _reason(report: VerificationReport) -> str:
    if report.standing == Standing.INVALID:
        return "; ".join(report.problems)
    if report.standing == Standing.SIGNATURE_UNCHECKED:
        return report.unchecked or _("The issuer's public key could not be obtained.")
    if report.standing == Standing.STATUS_UNKNOWN:
        return _(
            "The signature verifies, but whether the credential was revoked or suspended "
            "could not be checked."
        )
    detail = {
        Standing.VALID: _("The signature verifies and the credential is in force."),
        Standing.EXPIRED: _("The signature verifies; the credential has expired."),
        Standing.REVOKED: _("The signature verifies; the issuer has revoked the credential."),
        Standing.SUSPENDED: _("The signature verifies; the issuer has suspended the credential."),
        Standing.NOT_YET_VALID: _("The signature verifies; the credential is not valid yet."),
    }
    return detail[report.standing]


def _named(value: object) -> str | None:
    name = value.get("name") if isinstance(value, dict) else None
    return name if isinstance(name, str) else None


def _check(
    item: Item,
    report: VerificationReport,
    own_did: str,
    serial: str | None,
    document: dict[str, Any] | None,
) -> ItemCheck:
    if report.standing == Standing.INVALID:
        verification = "invalid"
    elif report.standing in _STATUS:
        verification = "valid"
    else:
        verification = "could_not_check"
    signed = verification != "invalid"
    subject = document.get("credentialSubject") if document else None
    subject = subject if isinstance(subject, dict) else None
    return ItemCheck(
        index=item.index,
        kind=item.kind,
        serial=serial,
        verification=verification,
        status=_STATUS.get(report.standing),
        standing=str(report.standing),
        issuer=report.issuer,
        issuer_is_this_platform=report.issuer == own_did,
        # what the signed credential says, only when its signature is not known to be wrong
        holder=_named(subject) if signed else None,
        achievement=_named(subject.get("achievement")) if signed and subject else None,
        valid_until=report.valid_until,
        reason=_reason(report),
    )


def _unchecked(item: Item, reason: str, *, own: bool, serial: str | None = None) -> ItemCheck:
    verification = "invalid" if own else "could_not_check"
    return ItemCheck(
        index=item.index,
        kind=item.kind,
        serial=serial,
        verification=verification,
        status=None,
        standing=str(Standing.INVALID if own else Standing.SIGNATURE_UNCHECKED),
        issuer=None,
        issuer_is_this_platform=own,
        holder=None,
        achievement=None,
        valid_until=None,
        reason=reason,
    )


def check_items(items: list[Item], *, now: datetime) -> list[ItemCheck]:
    """Verify every item; a certificate of this site whose credential is not signed yet is
    signed now, as its page would. One query for all the serials, one for the keys and one
    for the status lists, however many items there are."""
    serials = {item.serial for item in items if item.serial}
    certificates = {
        c.serial: c
        for c in Certificate.objects.filter(serial__in=serials).select_related("holder", "program")
    }
    for unsigned in certificates.values():
        if unsigned.credential is None:
            try:
                unsigned.credential = services.credential_issue(certificate=unsigned)
            except KeyUnavailable:
                continue
    trust = selectors.OwnTrust.read()
    checks: list[ItemCheck] = []
    for item in items:
        if item.credential is not None:
            report = trust.verify(item.credential, now)
            serial = selectors.serial_of(item.credential)
            checks.append(_check(item, report, trust.did, serial, item.credential))
        elif item.foreign_link is not None:
            checks.append(
                _unchecked(
                    item,
                    _("A certificate page of another site: open the link to check it there."),
                    own=False,
                )
            )
        elif (certificate := certificates.get(item.serial or "")) is None:
            checks.append(
                _unchecked(
                    item, _("No certificate has this serial number."), own=True, serial=item.serial
                )
            )
        else:
            report = selectors.verify_certificate(certificate, now, trust=trust)
            checks.append(
                _check(item, report, trust.did, certificate.serial, certificate.credential)
            )
    return checks


def counts(checks: list[ItemCheck]) -> dict[str, int]:
    """How many items verified, did not, or could not be checked."""
    found = dict.fromkeys(("valid", "invalid", "could_not_check"), 0)
    for check in checks:
        found[check.verification] += 1
    return found

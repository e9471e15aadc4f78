"""Offline verification of an Open Badges 3.0 credential uploaded as claim evidence, with the
Credentials app's verifier (``credentials.verification.verify_credential``: proof, dates,
status lists; no network).

An external issuer's key is resolvable offline only for ``did:key`` issuers; for any other
(``did:web`` …) the verifier says so and the badge stays "not verified" for staff to check
by hand, which is also what a badge without a proof gets. A badge whose proof fails, or that
is revoked or suspended, is "verification failed". Its validity dates are returned so that
filing can refuse an expired credential (R10).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from credence.credentials.statuses import Standing
from credence.credentials.verification import verify_credential
from credence.recognition.models import VerificationStatus


@dataclass(frozen=True)
class BadgeCheck:
    status: VerificationStatus
    detail: str
    valid_until: date | None  # from a badge whose proof verifies, in the program's zone


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return timezone.localdate(moment) if moment.tzinfo else None


def verify_open_badge(data: bytes, *, now: datetime | None = None) -> BadgeCheck:
    """Verify a badge file (already recognised as Open Badges 3.0 JSON by its bytes)."""
    document = json.loads(data.decode("utf-8"))
    report = verify_credential(document, now=now or timezone.now())
    problems = "; ".join(report.problems)
    if not report.signature_valid:
        if report.standing == Standing.SIGNATURE_UNCHECKED or "no proof" in problems:
            return BadgeCheck(
                VerificationStatus.NOT_VERIFIED,
                _("Not verified offline (%(why)s). Check the issuer and the credential by hand.")
                % {"why": report.unchecked or problems},
                None,
            )
        return BadgeCheck(
            VerificationStatus.FAILED,
            _("The credential does not verify: %(why)s") % {"why": problems},
            None,
        )
    until = _day(report.valid_until)
    if report.standing in (
        Standing.REVOKED,
        Standing.SUSPENDED,
        Standing.INVALID,
        Standing.NOT_YET_VALID,
    ):
        return BadgeCheck(
            VerificationStatus.FAILED,
            _("The issuer's signature verifies, but the credential is %(standing)s. %(why)s")
            % {"standing": report.standing.label.lower(), "why": problems},
            until,
        )
    detail = _("The issuer's signature verifies (issuer %(issuer)s).") % {"issuer": report.issuer}
    if report.standing == Standing.STATUS_UNKNOWN:
        detail += " " + _("Whether it was revoked could not be checked offline.")
    return BadgeCheck(VerificationStatus.VERIFIED, detail, until)

"""The rules of accommodations, as pure functions over plain data (decision 0052).

AC1 — a request names its kind, says what is needed, carries one to five supporting
documents and, for extra time, a factor from 1.1 to 3.
AC2 — the program office decides a request once: it approves it with a validity period or
refuses it with a note.
AC3 — an accommodation applies by itself, and only when approved and valid on the day:
extra time multiplies a test's time limit and an interview's length (rounded up to the
minute), every other kind is shown to the proctor and to the examiners.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from credence.core.decisions import MAX_TEXT, Allowed, Refused

EXTRA_TIME = "extra_time"
KINDS = frozenset({EXTRA_TIME, "rest_breaks", "separate_room", "assistive_technology", "other"})
FACTOR_MIN = Decimal("1.1")
FACTOR_MAX = Decimal("3")
MAX_DOCUMENTS = 5

# An approval lasts at most as long as a certificate (R5): five years, leap days included.
MAX_VALIDITY_DAYS = 5 * 366


@dataclass(frozen=True)
class Request:
    kind: str
    time_factor: Decimal | None
    details: str
    documents: int


def may_request(request: Request) -> Allowed | Refused:
    """AC1."""
    if request.kind not in KINDS:
        return Refused(rule="AC1", reason=_("Choose the kind of accommodation you need."))
    if request.kind == EXTRA_TIME:
        factor = request.time_factor
        if factor is None or not factor.is_finite() or not FACTOR_MIN <= factor <= FACTOR_MAX:
            return Refused(
                rule="AC1",
                reason=_("Extra time is asked for as a factor from %(low)s to %(high)s.")
                % {"low": FACTOR_MIN, "high": FACTOR_MAX},
            )
        if factor != factor.quantize(Decimal("0.01")):
            return Refused(rule="AC1", reason=_("Give the factor with at most two decimals."))
    elif request.time_factor is not None:
        return Refused(rule="AC1", reason=_("Only extra time has a factor."))
    if not request.details.strip():
        return Refused(rule="AC1", reason=_("Say what you need and why."))
    if len(request.details) > MAX_TEXT:
        return Refused(
            rule="AC1", reason=_("At most %(most)s characters, please.") % {"most": MAX_TEXT}
        )
    if not 1 <= request.documents <= MAX_DOCUMENTS:
        return Refused(
            rule="AC1",
            reason=_(
                "A request carries one to %(most)s supporting documents (e.g. a medical "
                "certificate)."
            )
            % {"most": MAX_DOCUMENTS},
        )
    return Allowed(rule="AC1")


# What only the program office sets (AC2): a request that carries any of these asks for an
# accommodation without the office's approval.
DECIDED_BY_THE_OFFICE = frozenset(
    {"status", "approved", "valid_from", "valid_until", "decided_at", "decided_by", "note"}
)


def may_claim_fields(fields: Iterable[str]) -> Allowed | Refused:
    """AC2: a candidate's request cannot approve itself or set its own validity period."""
    claimed = sorted(DECIDED_BY_THE_OFFICE.intersection(fields))
    if claimed:
        return Refused(
            rule="AC2",
            reason=_(
                "Only the program office approves an accommodation and sets its validity "
                "period; a request cannot carry %(fields)s."
            )
            % {"fields": ", ".join(claimed)},
            never=True,
        )
    return Allowed(rule="AC2")


def may_decide(
    *,
    status: str,
    approve: bool,
    valid_from: date | None,
    valid_until: date | None,
    note: str,
    today: date,
) -> Allowed | Refused:
    """AC2: once, an approval with its validity period, a refusal with its reasons."""
    if status != "pending":
        return Refused(rule="AC2", reason=_("This request has been decided already."), never=True)
    if len(note) > MAX_TEXT:
        return Refused(
            rule="AC2", reason=_("At most %(most)s characters, please.") % {"most": MAX_TEXT}
        )
    if not approve:
        if not note.strip():
            return Refused(rule="AC2", reason=_("A refusal tells the candidate why."))
        return Allowed(rule="AC2")
    if valid_from is None or valid_until is None:
        return Refused(
            rule="AC2", reason=_("An approval needs its validity period: from and until.")
        )
    if valid_until < valid_from:
        return Refused(rule="AC2", reason=_("The validity period ends before it begins."))
    if valid_until < today:
        return Refused(rule="AC2", reason=_("The validity period has ended already."))
    if (valid_until - valid_from).days > MAX_VALIDITY_DAYS:
        return Refused(rule="AC2", reason=_("An approval is valid for at most five years."))
    return Allowed(rule="AC2")


@dataclass(frozen=True)
class Granted:
    """An accommodation as the rules see it."""

    kind: str
    status: str
    time_factor: Decimal | None
    valid_from: date | None
    valid_until: date | None


def applies_on(accommodation: Granted, day: date) -> Allowed | Refused:
    """AC3: only an approved accommodation applies, and only within its validity period."""
    if accommodation.status != "approved":
        return Refused(
            rule="AC3",
            reason=_(
                "Not approved by the program office: it does not apply (requested "
                "accommodations apply once approved)."
            ),
        )
    assert accommodation.valid_from is not None and accommodation.valid_until is not None
    if not accommodation.valid_from <= day <= accommodation.valid_until:
        return Refused(
            rule="AC3",
            reason=_("Approved for %(start)s to %(end)s: it does not apply on %(day)s.")
            % {
                "start": date_format(accommodation.valid_from, "DATE_FORMAT"),
                "end": date_format(accommodation.valid_until, "DATE_FORMAT"),
                "day": date_format(day, "DATE_FORMAT"),
            },
        )
    return Allowed(rule="AC3")


def time_factor_on(accommodations: Iterable[Granted], day: date) -> Decimal:
    """AC3: the factor of the approved extra time valid on ``day`` (the largest, should
    two overlap), else 1."""
    factors = [
        a.time_factor
        for a in accommodations
        if a.kind == EXTRA_TIME and a.time_factor is not None and applies_on(a, day).allowed
    ]
    return max(factors, default=Decimal(1))


def extended_minutes(minutes: int, factor: Decimal) -> int:
    """AC3: a time limit or an interview's length with extra time, rounded up to the minute
    (in the candidate's favour)."""
    return math.ceil(Decimal(minutes) * factor)

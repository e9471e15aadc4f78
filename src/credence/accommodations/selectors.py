"""Reads of the accommodations app."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F, QuerySet

from credence.accommodations.models import Accommodation, AccommodationStatus
from credence.accommodations.policy import Granted, applies_on, time_factor_on
from credence.accounts.models import User
from credence.core.decisions import Allowed, Refused


def _granted(accommodation: Accommodation) -> Granted:
    return Granted(
        kind=accommodation.kind,
        status=accommodation.status,
        time_factor=accommodation.time_factor,
        valid_from=accommodation.valid_from,
        valid_until=accommodation.valid_until,
    )


def accommodation_of(pk: int) -> Accommodation:
    """One accommodation with its candidate and documents; ``Accommodation.DoesNotExist``."""
    return Accommodation.objects.shown().get(pk=pk)


def accommodations_of(candidate: User) -> QuerySet[Accommodation]:
    return Accommodation.objects.shown().filter(candidate=candidate)


def accommodations_to_decide_first() -> QuerySet[Accommodation]:
    """Every accommodation, the undecided first (oldest request first), then the latest
    decisions."""
    return Accommodation.objects.shown().order_by(
        F("decided_at").desc(nulls_first=True), "requested_at"
    )


@dataclass(frozen=True)
class OnTheDay:
    """An accommodation and what rule AC3 says about it on one day."""

    accommodation: Accommodation
    decision: Allowed | Refused

    @property
    def applies(self) -> bool:
        return self.decision.allowed


def on_the_day(candidate_ids: Iterable[int], day: date) -> dict[int, list[OnTheDay]]:
    """Per candidate: their approved and requested accommodations with AC3's word on
    ``day`` (a refused request is left out: there is nothing to tell the proctor)."""
    found: dict[int, list[OnTheDay]] = {}
    for accommodation in Accommodation.objects.filter(
        candidate_id__in=list(candidate_ids),
        status__in=[AccommodationStatus.APPROVED, AccommodationStatus.PENDING],
    ).order_by("kind", "pk"):
        found.setdefault(accommodation.candidate_id, []).append(
            OnTheDay(accommodation, applies_on(_granted(accommodation), day))
        )
    return found


def time_factor_for(candidate_id: int, day: date) -> Decimal:
    """The factor of the candidate's approved extra time valid on ``day``, else 1 (AC3)."""
    approved = Accommodation.objects.filter(
        candidate_id=candidate_id, status=AccommodationStatus.APPROVED
    )
    return time_factor_on([_granted(a) for a in approved], day)

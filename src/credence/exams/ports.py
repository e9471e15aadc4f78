"""What the exams app asks of apps above it, without importing them (decision 0055).

Three questions come from above: a candidate's certificates (the booking rules' cycles, R12,
from the credentials app), a form's equated score (R4 under an adopted standard, from the
psychometrics app) and the preparation resources for a diagnostic report's weakest domains
(from the learning app). Each is a port: the exams app calls it here, and the app that
answers it sets its function in its ``AppConfig.ready()`` with ``provide_...``. The types the
answers take are the exams app's, so the answering app imports them from ``exams.api``.

With no app providing one, each port answers as if that app held nothing: no certificates,
every form scored on its raw percent, no resources. The exams app then books, scores and
releases on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from credence.core.decisions import Allowed, Decision
from credence.exams.policy import CertificateRecord


@dataclass(frozen=True)
class Equating:
    """A form's score under the adopted standard: the equated percent, or why there is none.
    ``score`` is None when refused, and when no standard is adopted (then every form is
    scored on its raw percent: ``decision`` allows, ``calibration`` is None)."""

    decision: Decision
    score: Decimal | None
    calibration: int | None = None
    #: items with full marks among those scored: the raw score that was equated
    full_marks: int | None = None


@dataclass(frozen=True)
class ResourceLink:
    """A preparation resource as the diagnostic report's page or PDF lists it."""

    title: str
    kind: str  # its kind, named in the active language
    provider: str
    url: str
    starts_on: date | None
    place: str


class CertificateSource(Protocol):
    def __call__(self, holder: Any) -> tuple[CertificateRecord, ...]: ...


class EquatingSource(Protocol):
    def __call__(
        self, *, certification: str, items: Sequence[str], shares: Sequence[Decimal | None]
    ) -> Equating: ...


class ResourceSource(Protocol):
    def __call__(
        self, *, certification: str, topics: Sequence[str], today: date
    ) -> dict[str, list[ResourceLink]]: ...


def _no_certificates(holder: Any) -> tuple[CertificateRecord, ...]:
    return ()


def _raw_percent(
    *, certification: str, items: Sequence[str], shares: Sequence[Decimal | None]
) -> Equating:
    return Equating(Allowed(rule="R4"), None)


def _no_resources(
    *, certification: str, topics: Sequence[str], today: date
) -> dict[str, list[ResourceLink]]:
    return {}


@dataclass
class _Ports:
    certificates: CertificateSource = _no_certificates
    equating: EquatingSource = _raw_percent
    resources: ResourceSource = _no_resources


_ports = _Ports()


def provide_certificates(source: CertificateSource) -> None:
    """Set where a candidate's certificate records come from (the credentials app)."""
    _ports.certificates = source


def provide_equating(source: EquatingSource) -> None:
    """Set who equates a form to the adopted standard (the psychometrics app)."""
    _ports.equating = source


def provide_resources(source: ResourceSource) -> None:
    """Set where preparation resources per topic come from (the learning app)."""
    _ports.resources = source


def certificate_records_for(holder: Any) -> tuple[CertificateRecord, ...]:
    """The certificates ``holder`` was awarded (revoked ones too), oldest first."""
    return _ports.certificates(holder)


def equated_score(
    *, certification: str, items: Sequence[str], shares: Sequence[Decimal | None]
) -> Equating:
    """A sitting's form (items = item version ids, shares = marks earned 0..1) equated to the
    adopted standard, or refused with the reason (decision 0043)."""
    return _ports.equating(certification=certification, items=items, shares=shares)


def resources_for_topics(
    *, certification: str, topics: Sequence[str], today: date
) -> dict[str, list[ResourceLink]]:
    """Per topic code: the preparation resources for it, or for ``certification`` as a
    whole where none is tagged with it."""
    return _ports.resources(certification=certification, topics=topics, today=today)

"""The diagnostic score report of one released knowledge test (decision 0044): the released
sitting's figures, its reference group, R2's earliest retake and the learning app's resources
for the weakest domains (asked through ``ports``), put together for the page, the PDF and the
data export."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from credence.catalog import api as catalog_api
from credence.core.decisions import Decision
from credence.exams import ports
from credence.exams.models import Sitting
from credence.exams.policy import may_book
from credence.exams.reports.policy import (
    MIN_GROUP,
    MIN_RELIABILITY,
    DomainReport,
    DomainResult,
    Z,
    diagnose,
    weakest,
)
from credence.exams.selectors import history_for
from credence.exams.statuses import AttemptStatus


@dataclass(frozen=True)
class NamedDomain:
    name: str
    report: DomainReport


@dataclass(frozen=True)
class WeakDomain:
    name: str
    percent: Decimal
    resources: list[ports.ResourceLink]


@dataclass(frozen=True)
class DiagnosticReport:
    sitting: int
    candidate: str
    certification: str  # names, in the active language
    evaluation: str
    held_on: date
    released_on: date
    total: Decimal  # on the reporting scale: the released (equated) percent
    raw: Decimal | None  # percent of the own form, when equating made it differ
    cut: Decimal  # R4's pass mark on the same scale
    status: AttemptStatus
    domains: tuple[NamedDomain, ...]
    retake: Decision | None  # R1-R3 through may_book; None once passed
    weakest: tuple[WeakDomain, ...]
    # the method's constants, for the report's note on how to read it
    z: float = Z
    min_reliability: float = MIN_RELIABILITY
    min_group: int = MIN_GROUP

    @property
    def passed(self) -> bool:
        return self.status == AttemptStatus.PASSED


def _reference_groups(sitting: Sitting, items: Counter[str]) -> dict[str, list[Decimal]]:
    """Per topic: the subscores of every result of the certification released up to this one
    whose form had as many items in that topic. Results released later never change a report
    already released."""
    groups: dict[str, list[Decimal]] = {topic: [] for topic in items}
    others = Sitting.objects.filter(
        booking__attempt__certification_id=sitting.booking.attempt.certification_id,
        released_at__isnull=False,
        released_at__lte=sitting.released_at,
    ).values_list("form", "topic_scores")
    for form, scores in others.iterator():
        counts = Counter(entry["topic"] for entry in form)
        for topic, value in scores.items():
            if topic in groups and counts[topic] == items[topic]:
                groups[topic].append(Decimal(value))
    return groups


def diagnostic_report(sitting: Sitting, *, today: date | None = None) -> DiagnosticReport:
    """The report of a released ``sitting``; ``today`` (the program's day) dates the retake
    advice."""
    if sitting.released_at is None or sitting.score is None:
        raise ValueError("only a released result has a diagnostic report")
    today = today or timezone.localdate()
    attempt = sitting.booking.attempt
    certification, evaluation = attempt.certification.code, attempt.evaluation.code
    rules = catalog_api.program_rules()
    cut = rules.pass_mark(certification, evaluation)
    row = catalog_api.certification_model(certification)
    assert row is not None  # a test is of a certification, never of the award
    topics = list(row.topics.all())
    names = {t.code: t.name for t in topics}
    position = {t.code: i for i, t in enumerate(topics)}

    items = Counter(entry["topic"] for entry in sitting.form)
    results = sorted(
        (
            DomainResult(topic, items[topic], Decimal(value))
            for topic, value in sitting.topic_scores.items()
            if items[topic]
        ),
        key=lambda r: position.get(r.topic, len(position)),
    )
    domains = diagnose(results, cut=cut, groups=_reference_groups(sitting, items))
    weak = weakest(domains, cut=cut)
    # the learning app's resources, through the port it provides (decision 0055)
    resources = ports.resources_for_topics(
        certification=certification, topics=[d.topic for d in weak], today=today
    )
    status = AttemptStatus(attempt.status)
    retake = (
        None
        if status == AttemptStatus.PASSED
        else may_book(rules, history_for(attempt.candidate), certification, evaluation, today)
    )
    candidate = attempt.candidate
    return DiagnosticReport(
        sitting=sitting.pk,
        candidate=candidate.full_name or candidate.email,
        certification=attempt.certification.name,
        evaluation=attempt.evaluation.name,
        held_on=attempt.held_on,
        released_on=attempt.released_on or timezone.localdate(sitting.released_at),
        total=sitting.score,
        raw=sitting.raw_score if sitting.raw_score not in (None, sitting.score) else None,
        cut=cut,
        status=status,
        domains=tuple(NamedDomain(names.get(d.topic, d.topic), d) for d in domains),
        retake=retake,
        weakest=tuple(
            WeakDomain(names.get(d.topic, d.topic), d.percent, resources.get(d.topic, []))
            for d in weak
        ),
    )

"""Reads for "My path": the candidate's history run through the rules, named for the page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from credence.accounts.models import User
from credence.catalog import api as catalog_api
from credence.catalog.api import TopicOverlap
from credence.catalog.policy import CertificationSpec, ProgramRules
from credence.credentials.policy import held_on
from credence.exams import api as exams_api
from credence.exams.api import CertificateRecord, ResourceLink, history_for
from credence.learning.models import PathPlan, PreparationResource, SuggestedProject
from credence.learning.planner import Plan, SessionCalendar, plan_path
from credence.learning.policy import Path, path_for


@dataclass(frozen=True)
class HeldCertificate:
    name: str
    record: CertificateRecord


@dataclass(frozen=True)
class CandidatePath:
    rules: ProgramRules
    path: Path
    # The composite status (R6) refers to certifications by code; the page shows names.
    required_missing: tuple[CertificationSpec, ...]
    electives_held: tuple[CertificationSpec, ...]
    certificates: tuple[HeldCertificate, ...]  # valid on path.today, composite included

    @property
    def composite_certificate(self) -> CertificateRecord | None:
        """The composite award if it is valid today."""
        record = self.path.composite_certificate
        return record if record is not None and record.valid_on(self.path.today) else None


def path_for_candidate(user: User, today: date) -> CandidatePath | None:
    """Where ``user`` stands on ``today``, or None before a program is loaded."""
    try:
        rules = catalog_api.program_rules()
    except catalog_api.ProgramNotLoaded:
        return None
    history = history_for(user)
    path = path_for(rules, history, today)
    # The composite award first, then the certifications in the program's order.
    awards = [(rules.composite.code, rules.composite.name)] + [
        (spec.code, spec.name) for spec in rules.certifications
    ]
    names = dict(awards)
    position = {code: i for i, (code, _) in enumerate(awards)}
    held = sorted(held_on(history.certificates, today), key=lambda r: position.get(r.award, 0))
    return CandidatePath(
        rules=rules,
        path=path,
        required_missing=tuple(rules.certification(c) for c in path.composite.required_missing),
        electives_held=tuple(rules.certification(c) for c in path.composite.electives_held),
        certificates=tuple(
            HeldCertificate(names.get(record.award, record.award), record) for record in held
        ),
    )


# Preparation, suggested projects and the path planner (issue 7).


def needed_certifications(user: User, today: date) -> tuple[str, ...] | None:
    """Codes of the certifications the candidate's path still needs: not held today, and
    (once they have chosen electives in the planner) only the required ones and those
    electives. None before a program is loaded."""
    candidate_path = path_for_candidate(user, today)
    if candidate_path is None:
        return None
    plan = PathPlan.objects.filter(candidate=user).first()
    chosen = set(plan.electives) if plan and plan.electives else None
    composite = candidate_path.rules.composite
    return tuple(
        cp.certification.code
        for cp in candidate_path.path.certifications
        if cp.next_step is not None
        and (
            chosen is None
            or cp.certification.code in composite.required
            or cp.certification.code in chosen
        )
    )


def preparation_resources(
    *,
    today: date,
    kind: str = "",
    certification: str = "",
    needed: tuple[str, ...] | None = None,
) -> QuerySet[PreparationResource]:
    """Published resources, past events left out; filtered by kind, by one certification, or
    by the certifications a path still needs (directly or through their topics)."""
    resources = PreparationResource.objects.filter(published=True).exclude(
        Q(ends_on__lt=today) | Q(ends_on__isnull=True, starts_on__lt=today)
    )
    if kind:
        resources = resources.filter(kind=kind)
    codes = (certification,) if certification else needed
    if codes is not None:
        resources = resources.filter(
            Q(certifications__code__in=codes) | Q(topics__certifications__code__in=codes)
        )
    return (
        resources.distinct()
        .prefetch_related("certifications", "topics")
        # Coming events first, soonest first; then what can be read at any time.
        .order_by(F("starts_on").asc(nulls_last=True), "title")
    )


def resources_for_topics(
    *, certification: str, topics: Sequence[str], today: date, limit: int = 5
) -> dict[str, list[ResourceLink]]:
    """Per topic code: up to ``limit`` published resources not yet past, those tagged with the
    topic, or, where none is, those for ``certification`` as a whole (the diagnostic score
    report's advice for its weakest domains)."""
    available = preparation_resources(today=today)
    whole = None
    found: dict[str, list[ResourceLink]] = {}
    for topic in topics:
        tagged = list(available.filter(topics__code=topic)[:limit])
        if not tagged:
            if whole is None:
                whole = list(available.filter(certifications__code=certification)[:limit])
            tagged = whole
        found[topic] = [
            ResourceLink(
                title=r.title,
                kind=r.get_kind_display(),
                provider=r.provider,
                url=r.url,
                starts_on=r.starts_on,
                place=r.place,
            )
            for r in tagged
        ]
    return found


def suggested_projects(certification: str = "") -> QuerySet[SuggestedProject]:
    projects = SuggestedProject.objects.filter(published=True).select_related("certification")
    if certification:
        projects = projects.filter(certification__code=certification)
    return projects.order_by("certification__position", "position", "id")


def chosen_electives(user: User) -> tuple[str, ...] | None:
    plan = PathPlan.objects.filter(candidate=user).first()
    return tuple(plan.electives) if plan else None


def session_calendar(now: datetime) -> SessionCalendar:
    """The published sessions (R11) as the planner's calendar: for the evaluation sessions
    hold (the knowledge test), the day of the first published session of that
    certification, still open for booking and with a free seat, on or after the day asked;
    other evaluations (the portfolio interview) keep the day asked."""
    rules = catalog_api.program_rules()
    live = exams_api.live_evaluation(rules)
    days: dict[str, list[date]] = {}
    for session in exams_api.published_upcoming(now).filter(booking_deadline__gte=now):
        if session.taken >= session.capacity:
            continue
        day = exams_api.session_day(session, rules)
        for certification in session.certifications.all():
            days.setdefault(certification.code, []).append(day)

    def first_session(certification: str, evaluation: str, not_before: date) -> date | None:
        if evaluation != live:
            return not_before
        return min((d for d in days.get(certification, ()) if d >= not_before), default=None)

    return first_session


def plan_for_candidate(user: User, electives: tuple[str, ...], today: date) -> Plan | None:
    """The planner's answer for ``user``: the rules' earliest days, moved to the published
    sessions (learning/planner.py)."""
    try:
        rules = catalog_api.program_rules()
    except catalog_api.ProgramNotLoaded:
        return None
    registered_on = timezone.localdate(user.date_joined)
    return plan_path(
        rules,
        history_for(user),
        electives=electives,
        today=today,
        registered_on=registered_on,
        sessions=session_calendar(timezone.now()),
    )


def overlaps_between(electives: tuple[str, ...]) -> list[TopicOverlap]:
    """Shared topics among the chosen electives (all electives when none are chosen)."""
    try:
        program = catalog_api.program_model()
    except catalog_api.ProgramNotLoaded:
        return []
    overlaps = catalog_api.topic_overlaps_for(program)
    if not electives:
        return overlaps
    return [o for o in overlaps if o.first in electives and o.second in electives]

"""Item statistics of a session for authors, per certification's forms (no candidate names)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from credence.exams.models import ExamSession, Response, Sitting
from credence.exams.scoring.policy import Answered, item_outcomes
from credence.items import api as items_api


@dataclass(frozen=True)
class ItemRow:
    name: str
    stats: items_api.ItemStats
    options: list[tuple[str, int]]  # option text and how often it was chosen


@dataclass(frozen=True)
class FormGroup:
    certification: str  # the code (the section's anchor)
    certification_name: str
    candidates: int
    alpha: float | None
    rows: list[ItemRow]


def _choice(answer: object) -> tuple[int, ...]:
    if isinstance(answer, dict) and isinstance(answer.get("choice"), int):
        return (answer["choice"],)
    if isinstance(answer, dict) and isinstance(answer.get("choices"), list):
        return tuple(answer["choices"])
    return ()


def session_statistics(session: ExamSession) -> list[FormGroup]:
    sittings = (
        Sitting.objects.filter(booking__session=session, submitted_at__isnull=False)
        .select_related("booking__attempt__certification")
        .prefetch_related("responses")
    )
    groups: dict[str, list[Sitting]] = {}
    names: dict[str, str] = {}
    for sitting in sittings:
        certification = sitting.booking.attempt.certification
        groups.setdefault(certification.code, []).append(sitting)
        names[certification.code] = certification.name
    result = []
    for code, members in sorted(groups.items()):
        ids = {entry["version"] for s in members for entry in s.form}
        versions = items_api.versions_by_id(sorted(ids))
        observations = []
        for sitting in members:
            responses = {r.position: r for r in sitting.responses.all()}
            for position, entry in enumerate(sitting.form):
                version = versions[entry["version"]]
                response = responses.get(position)
                answer = response.answer if response else None
                share = items_api.earned(version.item_content, answer)
                if share is None:  # an essay: its mark, once given
                    share = response.marked_share if response else None
                if share is None:
                    continue
                observations.append(
                    items_api.Observation(
                        str(sitting.pk), version.pk, float(share), _choice(answer)
                    )
                )
        rows = []
        for stats in items_api.item_statistics(observations):
            content = versions[stats.item].item_content
            rows.append(
                ItemRow(
                    name=f"{versions[stats.item].item.name} v{versions[stats.item].number}",
                    stats=stats,
                    options=[
                        (c.text, stats.choices.get(i, 0)) for i, c in enumerate(content.choices)
                    ],
                )
            )
        result.append(
            FormGroup(
                code,
                names[code],
                len(members),
                items_api.cronbach_alpha(observations),
                rows,
            )
        )
    return result


@dataclass(frozen=True)
class ScoredSitting:
    """A submitted sitting's form and the share of each item's marks the candidate earned,
    for calibration and decision quality (psychometrics). No candidate in it."""

    sitting: int
    session: int
    session_label: str  # venue and start, as staff pages name the session
    items: tuple[str, ...]  # item version ids (as strings), in form order
    shares: tuple[Decimal | None, ...]  # None: an essay not marked yet


def scored_sittings(certification: str, *, session: int | None = None) -> list[ScoredSitting]:
    """Every submitted sitting of ``certification``'s knowledge test (of one session).

    The psychometrics pages read all of them on each view: each item version is read and
    parsed once for all sittings, and responses come as plain rows, not one query and one
    parse of the form's items per sitting."""
    submitted = Sitting.objects.filter(
        submitted_at__isnull=False, booking__attempt__certification__code=certification
    )
    if session is not None:
        submitted = submitted.filter(booking__session_id=session)
    sittings = list(submitted.select_related("booking__session").order_by("pk"))
    answered: dict[int, dict[int, Answered]] = {s.pk: {} for s in sittings}
    for sitting, position, answer, marked_share in Response.objects.filter(
        sitting__in=submitted.values("pk")
    ).values_list("sitting", "position", "answer", "marked_share"):
        # a test submitted since the sittings were read is left for the next view
        if sitting in answered:
            answered[sitting][position] = Answered(answer, marked_share)
    versions = items_api.versions_by_id(
        list({entry["version"] for s in sittings for entry in s.form})
    )
    contents = {pk: version.item_content for pk, version in versions.items()}
    return [
        ScoredSitting(
            sitting=sitting.pk,
            session=sitting.booking.session_id,
            session_label=str(sitting.booking.session),
            items=tuple(str(entry["version"]) for entry in sitting.form),
            shares=tuple(
                o.share for o in item_outcomes(sitting.form, contents, answered[sitting.pk])
            ),
        )
        for sitting in sittings
    ]


def sessions_part_released(certification: str) -> list[str]:
    """The sessions of ``certification``'s knowledge test with results released and submitted
    ones still to release, named as staff pages name them: a standard adopted now would
    decide their candidates on two standards (psychometrics, decision 0043)."""
    part = (
        Sitting.objects.filter(
            submitted_at__isnull=False, booking__attempt__certification__code=certification
        )
        .values("booking__session")
        .annotate(
            released=Count("pk", filter=Q(released_at__isnull=False)),
            waiting=Count("pk", filter=Q(released_at__isnull=True)),
        )
        .filter(released__gt=0, waiting__gt=0)
        .values("booking__session")
    )
    return [
        str(session) for session in ExamSession.objects.filter(pk__in=part).order_by("starts_at")
    ]

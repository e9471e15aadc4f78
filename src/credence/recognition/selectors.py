"""Reads of the recognition app: the guide as pages and as plain data for the advisor, and
claims with what staff need beside them (the recognition table's suggestion, the rating)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from credence.accounts.models import User
from credence.catalog import api as catalog_api
from credence.catalog.models import ExternalCertification
from credence.catalog.policy import ProgramRules
from credence.recognition.models import (
    OPEN_CLAIM_STATUSES,
    Claim,
    GuidancePage,
    GuideEntry,
    SignalCategory,
    SignalCategoryNote,
)
from credence.recognition.policy import Condition, GuideEntrySpec


def guide_entries(*, category: str = "", provider: str = "") -> QuerySet[GuideEntry]:
    entries = GuideEntry.objects.all()
    if category:
        entries = entries.filter(category=category)
    if provider:
        entries = entries.filter(provider=provider)
    return entries.order_by("position", "name")


def guide_providers() -> list[str]:
    return sorted(set(GuideEntry.objects.values_list("provider", flat=True)))


def category_notes() -> dict[str, SignalCategoryNote]:
    return {note.category: note for note in SignalCategoryNote.objects.all()}


def guidance_pages() -> QuerySet[GuidancePage]:
    return GuidancePage.objects.order_by("position")


def _conditions(lines: list[dict[str, Any]]) -> tuple[Condition, ...]:
    return tuple(
        Condition(
            text=line.get("text", ""), when=line.get("when", ""), against=line.get("against", False)
        )
        for line in lines
    )


def entry_spec(entry: GuideEntry) -> GuideEntrySpec:
    return GuideEntrySpec(
        slug=entry.slug,
        name=entry.name,
        provider=entry.provider,
        category=entry.category,
        cloud_platform=entry.cloud_platform,
        worth_pursuing_if=_conditions(entry.worth_pursuing_if),
        not_worth_it_if=_conditions(entry.not_worth_it_if),
        why_avoid=tuple(entry.why_avoid),
        signal_to_hiring_managers=tuple(entry.signal_to_hiring_managers),
    )


def guide_specs() -> tuple[GuideEntrySpec, ...]:
    return tuple(entry_spec(entry) for entry in guide_entries())


def entry_for_signal_guide_name(name: str) -> GuideEntry | None:
    """The recognition table names guide entries by name (``signal_guide`` in the program)."""
    if not name:
        return None
    return GuideEntry.objects.filter(name=name).first()


def external_certifications() -> QuerySet[ExternalCertification]:
    try:
        program = catalog_api.program_model()
    except catalog_api.ProgramNotLoaded:
        return ExternalCertification.objects.none()
    return program.external_certifications.order_by("position")


def claims_of(candidate: User) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(candidate=candidate)
        .select_related("external", "waiver__certification", "waiver__evaluation")
        .prefetch_related("evidence")
    )


@dataclass(frozen=True)
class Suggestion:
    certification: str
    certification_name: str
    evaluation: str
    evaluation_name: str


@dataclass(frozen=True)
class QueueRow:
    claim: Claim
    suggestions: tuple[Suggestion, ...]  # the recognition table's, empty for "other"
    entry: GuideEntry | None  # the signal guide's rating, when the guide rates it
    in_table: bool


def _suggestions(
    rules: ProgramRules, external: ExternalCertification | None
) -> tuple[Suggestion, ...]:
    if external is None:
        return ()
    return tuple(
        Suggestion(
            waiver.certification,
            rules.certification(waiver.certification).name,
            waiver.evaluation,
            rules.evaluation(waiver.evaluation).name,
        )
        for waiver in rules.waivable_by(external.code)
    )


def queue_row(claim: Claim, rules: ProgramRules | None = None) -> QueueRow:
    rules = rules or catalog_api.program_rules()
    external = claim.external
    if external is not None:
        entry = entry_for_signal_guide_name(external.signal_guide)
    else:
        # An "other" certification may still be one the guide rates under its own name.
        entry = entry_for_signal_guide_name(claim.other_name)
    return QueueRow(
        claim=claim,
        suggestions=_suggestions(rules, external),
        entry=entry,
        in_table=external is not None,
    )


def claim_queue(*, open_only: bool = True) -> list[QueueRow]:
    claims = Claim.objects.select_related("candidate", "external").prefetch_related("evidence")
    if open_only:
        claims = claims.filter(status__in=OPEN_CLAIM_STATUSES)
    claims = claims.order_by("filed_at", "id")  # first filed, first decided
    rules = catalog_api.program_rules()
    return [queue_row(claim, rules) for claim in claims]


def categories() -> list[tuple[str, str]]:
    return [(c.value, str(c.label)) for c in SignalCategory]

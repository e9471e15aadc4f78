"""Reading a knowledge-test result's score: each item's share of its marks, the sitting's
score and its equating, as the release (``scoring.services``) and the pages compute them, and
what a challenge decision not yet taken would change (``rescore_preview``). Nothing here
writes."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from credence.catalog import api as catalog_api
from credence.core.decisions import Refused
from credence.exams import ports
from credence.exams.models import Sitting
from credence.exams.policy import outcome_for_score
from credence.exams.scoring.policy import Answered, ItemOutcome, Score, item_outcomes, score
from credence.items import api as items_api


def outcomes_of(
    sitting: Sitting, scoring: Mapping[int, items_api.ItemContent | None] | None = None
) -> list[ItemOutcome]:
    """Each item's share of its marks, each item scored by its key or, when a challenge of
    it has been decided, by that decision (C2); ``scoring`` (version id -> content, None for
    a drop) scores some items as a decision not yet taken would."""
    return item_outcomes(
        sitting.form,
        items_api.scoring_contents([e["version"] for e in sitting.form]) | dict(scoring or {}),
        {r.position: Answered(r.answer, r.marked_share) for r in sitting.responses.all()},
    )


def sitting_score(sitting: Sitting) -> Score:
    return score(outcomes_of(sitting))


def score_and_equating(
    sitting: Sitting, scoring: Mapping[int, items_api.ItemContent | None] | None = None
) -> tuple[Score, ports.Equating | None]:
    """The sitting's score and its equating; no equating while essays wait for marks."""
    outcomes = outcomes_of(sitting, scoring)
    result = score(outcomes)
    if result.unmarked:
        return result, None
    # R4 compares the equated score under an adopted standard (decision 0019). A form that
    # cannot be equated is not released at all: scoring it on the raw percent instead would
    # decide its candidate on another standard than the rest of the session (0043). The
    # items are those scored: a dropped item (C2) is not part of the form any more. The
    # psychometrics app equates, through the port it provides (decision 0055).
    equating = ports.equated_score(
        certification=sitting.booking.attempt.certification.code,
        items=[str(o.version) for o in outcomes],
        shares=[o.share for o in outcomes],
    )
    return result, equating


class RescoreRefused(Exception):
    """A released result cannot be rescored (its form can no longer be equated): the whole
    decision is refused, nothing changes."""

    def __init__(self, decision: Refused) -> None:
        super().__init__(decision.reason)
        self.decision = decision


class Rescored(NamedTuple):
    """One released result a decision changes: whose, and its score and outcome before and
    after (``before``/``after`` as the audit trail records an attempt)."""

    sitting: int
    attempt: int
    candidate: str
    before: dict[str, Any]
    after: dict[str, Any]
    awarded: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()


def released_showing(version_id: int) -> Any:
    """The released sittings whose form showed ``version_id``: those of its certification,
    narrowed by the form (a JSON list, the same on every database)."""
    certification = items_api.versions_by_id([version_id])[version_id].item.certification_id
    return [
        sitting.pk
        for sitting in Sitting.objects.filter(
            released_at__isnull=False, booking__attempt__certification_id=certification
        ).only("pk", "form")
        if any(entry["version"] == version_id for entry in sitting.form)
    ]


def new_score(
    sitting: Sitting, scoring: Mapping[int, items_api.ItemContent | None] | None = None
) -> tuple[Score, Decimal]:
    result, equating = score_and_equating(sitting, scoring)
    if equating is None:  # a released sitting has every essay marked
        raise RescoreRefused(Refused(rule="C2", reason=_("An essay of this result is unmarked.")))
    if isinstance(equating.decision, Refused):
        raise RescoreRefused(equating.decision)
    return result, result.percent if equating.score is None else equating.score


def rescore_preview(
    *, version_id: int, scoring: Mapping[int, items_api.ItemContent | None]
) -> list[Rescored]:
    """What a decision would change, before it is taken: each released result that showed the
    version whose score moves, scored as ``scoring`` (version id -> content as the decision
    scores it, None for a drop) says. Reads only."""
    rules = catalog_api.program_rules()
    changes = []
    # in the order the decision rescores them (PostgreSQL returns rows in no set order)
    for sitting in (
        Sitting.objects.filter(pk__in=released_showing(version_id))
        .select_related(
            "booking__attempt__candidate",
            "booking__attempt__certification",
            "booking__attempt__evaluation",
        )
        .order_by("pk")
    ):
        attempt = sitting.booking.attempt
        _result, new = new_score(sitting, scoring)
        if new == sitting.score:
            continue
        status = outcome_for_score(rules, attempt.certification.code, attempt.evaluation.code, new)
        changes.append(
            Rescored(
                sitting.pk,
                attempt.pk,
                attempt.candidate.full_name or attempt.candidate.email,
                {"score": str(sitting.score), "status": attempt.status},
                {"score": str(new), "status": str(status)},
            )
        )
    return changes

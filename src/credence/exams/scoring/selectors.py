"""Reading a knowledge-test result's score: each item's share of its marks and the sitting's
score, as the release (``scoring.services``) and the pages compute them. Nothing here writes."""

from __future__ import annotations

from collections.abc import Mapping

from credence.exams.models import Sitting
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

"""What the submission form offers (issue 19 item 5): each certification of the program in
force, open now or refused by its rule. A module of its own: ``selectors`` is imported by the
permissions every process registers at start-up, and this one needs the exams' and catalog's
rules, which every ``credence ... --help`` would then load too (issue 14)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from credence.catalog import api as catalog_api
from credence.core.decisions import Decision
from credence.exams import api as exams_api
from credence.portfolios import policy


@dataclass(frozen=True)
class CertificationChoice:
    """A certification as the submission form shows it: open now, or refused by its rule
    (R1-R3, R12 through ``exams.policy.may_book``) with the reason and the earliest day."""

    code: str
    name: str
    decision: Decision


def submission_choices(candidate: Any, today: date) -> tuple[CertificationChoice, ...]:
    """Every certification of the program in force, with whether ``candidate`` may submit a
    repository for its portfolio evaluation on ``today``: the same question
    ``services.submission_create`` asks, so the form offers only what it would accept."""
    rules = catalog_api.program_rules()
    history = exams_api.history_for(candidate)
    return tuple(
        CertificationChoice(
            spec.code,
            spec.name,
            exams_api.may_book(rules, history, spec.code, policy.PORTFOLIO, today),
        )
        for spec in rules.certifications
    )

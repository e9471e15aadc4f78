"""Reads of the appeals app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from credence.accounts.models import Role, User
from credence.appeals.models import Appeal
from credence.appeals.policy import ResultFacts, last_day_to_appeal, may_appeal, may_review
from credence.catalog import api as catalog_api
from credence.core.decisions import Allowed, Refused
from credence.exams import api as exams_api
from credence.portfolios import api as portfolios_api


@dataclass(frozen=True)
class AppealableResult:
    """A released result and what rule A1 says about appealing it today."""

    attempt: Any
    appeal: Appeal | None
    decision: Allowed | Refused
    last_day: date


def a1_decision(attempt: Any, *, appealed: bool, today: date, window: int) -> Allowed | Refused:
    """What rule A1 says about appealing ``attempt`` on ``today``."""
    facts = ResultFacts(status=attempt.status, released_on=attempt.released_on, appealed=appealed)
    return may_appeal(facts, today, window)


def results_to_appeal(candidate: User, today: date) -> list[AppealableResult]:
    """The candidate's released results, each with its appeal (if any) or A1's answer."""
    window = catalog_api.program_rules().appeal_window_days
    appeals = {a.attempt_id: a for a in Appeal.objects.filter(candidate=candidate)}
    results = []
    for attempt in exams_api.released_attempts_of(candidate):
        assert attempt.released_on is not None  # only released results are read
        results.append(
            AppealableResult(
                attempt=attempt,
                appeal=appeals.get(attempt.pk),
                decision=a1_decision(
                    attempt, appealed=attempt.pk in appeals, today=today, window=window
                ),
                last_day=last_day_to_appeal(attempt.released_on, window),
            )
        )
    return results


def appeal_of(pk: int) -> Appeal:
    """One appeal with its result and people; raises ``Appeal.DoesNotExist``."""
    return Appeal.objects.shown().get(pk=pk)


def appeals_all() -> QuerySet[Appeal]:
    return Appeal.objects.shown()


def appeals_of(candidate: User) -> QuerySet[Appeal]:
    return appeals_all().filter(candidate=candidate)


def appeals_to_review(reviewer: User) -> QuerySet[Appeal]:
    return appeals_all().filter(reviewer=reviewer)


def involved_in(attempt_id: int) -> frozenset[int]:
    """Who took part in the result: its examiners and the proctors of its session (A2)."""
    return exams_api.proctors_of(attempt_id) | portfolios_api.examiners_of(attempt_id)


def reviewer_pool() -> list[Any]:
    """Who may be asked to review appeals at all: the program office and the examiners, by
    name."""
    people = (
        get_user_model()
        .objects.filter(Q(groups__name=Role.STAFF) | Q(groups__name=Role.EXAMINER), is_active=True)
        .distinct()
    )
    return sorted(people, key=lambda p: (p.full_name or p.email).casefold())


def reviewers_for(appeal: Appeal, pool: list[Any] | None = None) -> list[Any]:
    """Those of ``pool`` (default: ``reviewer_pool()``) who may review ``appeal`` (A2)."""
    involved = involved_in(appeal.attempt_id)
    return [
        p
        for p in (reviewer_pool() if pool is None else pool)
        if may_review(p.pk, appeal.candidate_id, involved).allowed
    ]

"""Reads of the challenges app: a candidate's tests with what rule C1 says of each, their
challenges, the review queue of challenged items and one item's challenges, and what a
decision on a challenged item would change (its preview)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Min, QuerySet

from credence.accounts.access import has_any_role
from credence.accounts.models import Role, User
from credence.catalog import api as catalog_api
from credence.challenges.models import Challenge, ChallengeOutcome
from credence.challenges.policy import ItemFacts, last_day_to_challenge, may_challenge
from credence.core.decisions import Refused, RuleRefused
from credence.exams import api as exams_api
from credence.items import api as items_api


class ChallengeRefused(RuleRefused):
    """A rule refuses; carries the decision so the caller can say which and why."""


def program_day(moment: datetime) -> date:
    """The day of ``moment`` in the program's time zone: C1 counts the days from the
    submission's to today's."""
    return moment.astimezone(ZoneInfo(catalog_api.program_rules().time_zone)).date()


def c1_decision(
    submitted_at: datetime | None,
    *,
    on_form: bool,
    challenged: bool,
    decided: bool,
    today: date,
) -> Any:
    facts = ItemFacts(
        submitted_on=program_day(submitted_at) if submitted_at else None,
        on_form=on_form,
        challenged=challenged,
        decided=decided,
    )
    return may_challenge(facts, today, catalog_api.program_rules().challenge_window_days)


@dataclass(frozen=True)
class TestToChallenge:
    test: exams_api.SubmittedTest
    last_day: date
    open: bool
    challenges: list[Challenge]


def tests_to_challenge(candidate: User, today: date) -> list[TestToChallenge]:
    """The candidate's submitted tests, each with the last day to challenge its items (C1)
    and the challenges filed."""
    window = catalog_api.program_rules().challenge_window_days
    filed: dict[int, list[Challenge]] = {}
    for challenge in challenges_of(candidate):
        filed.setdefault(challenge.sitting_id, []).append(challenge)
    rows = []
    for test in exams_api.submitted_tests_of(candidate):
        last = last_day_to_challenge(program_day(test.submitted_at), window)
        rows.append(TestToChallenge(test, last, today <= last, filed.get(test.sitting, [])))
    return rows


def challenges_of(candidate: User) -> QuerySet[Challenge]:
    """The candidate's challenges, the latest first (their page, their path, the API)."""
    return Challenge.objects.shown().filter(candidate=candidate)


def challenge_of(pk: int) -> Challenge:
    return Challenge.objects.shown().get(pk=pk)


def item_refusals(sitting_id: int, candidate: User, today: date) -> dict[int, Refused]:
    """Per position of one submitted test, why C1 refuses a challenge of it (none: allowed)."""
    test, items = exams_api.submitted_test(sitting_id, candidate.pk)
    challenged = set(
        Challenge.objects.filter(candidate=candidate).values_list("version_id", flat=True)
    )
    decided = set(
        Challenge.objects.exclude(outcome=ChallengeOutcome.PENDING).values_list(
            "version_id", flat=True
        )
    )
    refusals = {}
    for item in items:
        decision = c1_decision(
            test.submitted_at,
            on_form=True,
            challenged=item.version in challenged,
            decided=item.version in decided,
            today=today,
        )
        if isinstance(decision, Refused):
            refusals[item.position] = decision
    return refusals


@dataclass(frozen=True)
class QueuedItem:
    version: int
    name: str
    certification: str
    pending: int
    first_filed: datetime


def review_queue() -> list[QueuedItem]:
    """The challenged items waiting for a decision, the longest waiting first (C2)."""
    rows = (
        Challenge.objects.filter(outcome=ChallengeOutcome.PENDING)
        .values("version", "version__item__name", "version__item__certification__name")
        .annotate(pending=Count("pk"), first_filed=Min("filed_at"))
        .order_by("first_filed", "version")
    )
    return [
        QueuedItem(
            r["version"],
            r["version__item__name"],
            r["version__item__certification__name"],
            r["pending"],
            r["first_filed"],
        )
        for r in rows
    ]


def challenges_of_item(version_id: int) -> list[Challenge]:
    return list(Challenge.objects.shown().filter(version_id=version_id).order_by("filed_at"))


def decided_items() -> QuerySet[Challenge]:
    return Challenge.objects.shown().exclude(outcome=ChallengeOutcome.PENDING)


def may_decide(user: User) -> None:
    """Only authors and the program office decide challenged items (C2)."""
    if not has_any_role(user, Role.AUTHOR):
        raise PermissionError("authors and the program office decide challenged items")


def decision_scoring(version_id: int, kind: str, key: Sequence[int]) -> dict[int, Any]:
    """The version's content as the decision would score it (C2), refused if it does not fit."""
    version = items_api.versions_by_id([version_id])[version_id]
    content = version.item_content
    fits = items_api.may_rule(kind, list(key), str(content.type), len(content.choices))
    if isinstance(fits, Refused):
        raise ChallengeRefused(fits)
    return {version_id: items_api.ruled(content, kind, key)}


def decision_preview(
    *, version_id: int, kind: str, key: Sequence[int], acting_user: User
) -> list[exams_api.Rescored]:
    """What deciding the item so would change: each released result whose score moves, with
    its outcome before and after. Changes nothing."""
    may_decide(acting_user)
    scoring = decision_scoring(version_id, kind, key)
    if kind == ChallengeOutcome.KEEP:
        return []
    try:
        return exams_api.rescore_preview(version_id=version_id, scoring=scoring)
    except exams_api.RescoreRefused as refused:
        raise ChallengeRefused(refused.decision) from None

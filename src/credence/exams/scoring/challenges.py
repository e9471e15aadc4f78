"""A candidate's submitted tests as a challenge of their items needs them (rule C1, decision
0053): which tests, and each item as the candidate saw it, with their flag and comment.
Never the key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from credence.accounts.models import User
from credence.exams.models import Sitting
from credence.items import api as items_api
from credence.items.api import ShownItem, item_as_shown


@dataclass(frozen=True)
class SubmittedTest:
    sitting: int
    certification: str  # its name
    submitted_at: datetime
    released: bool


@dataclass(frozen=True)
class SubmittedItem:
    position: int
    version: int  # the item version shown: what a challenge names
    shown: ShownItem
    flag_comment: str


def submitted_tests_of(candidate: User) -> list[SubmittedTest]:
    """The candidate's submitted knowledge tests, newest first."""
    tests = []
    for s in (
        Sitting.objects.filter(booking__attempt__candidate=candidate, submitted_at__isnull=False)
        .select_related("booking__attempt__certification")
        .order_by("-submitted_at")
    ):
        assert s.submitted_at is not None  # only submitted ones are read
        tests.append(
            SubmittedTest(
                s.pk, s.booking.attempt.certification.name, s.submitted_at, bool(s.released_at)
            )
        )
    return tests


def submitted_test(sitting_id: int, candidate_id: int) -> tuple[SubmittedTest, list[SubmittedItem]]:
    """One of the candidate's submitted tests with its items as they were shown;
    ``Sitting.DoesNotExist`` for anyone else's or one not submitted."""
    sitting = Sitting.objects.select_related("booking__attempt__certification").get(
        pk=sitting_id, booking__attempt__candidate_id=candidate_id, submitted_at__isnull=False
    )
    assert sitting.submitted_at is not None  # only a submitted one is read
    versions = items_api.versions_by_id([e["version"] for e in sitting.form])
    responses = {r.position: r for r in sitting.responses.all()}
    items = []
    for position, entry in enumerate(sitting.form):
        response = responses.get(position)
        items.append(
            SubmittedItem(
                position,
                entry["version"],
                item_as_shown(
                    versions[entry["version"]].item_content,
                    option_order=entry["options"],
                    position=position,
                    answer=response.answer if response else None,
                    flagged=response.flagged if response else False,
                ),
                response.flag_comment if response else "",
            )
        )
    test = SubmittedTest(
        sitting.pk,
        sitting.booking.attempt.certification.name,
        sitting.submitted_at,
        bool(sitting.released_at),
    )
    return test, items

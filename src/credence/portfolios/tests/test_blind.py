"""Blind scoring (issue 15, item 6; decision 0029): an assigned examiner reads the other
examiner's score, notes and points only after submitting their own; the office reads both;
once both are in, the two are shown side by side and are final (reconciliation settles a
difference beyond the margin)."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from credence.accounts.models import Role
from credence.core.decisions import Allowed, Refused
from credence.exams.services import attempt_book, attempt_record_result
from credence.portfolios import policy
from credence.portfolios.services import (
    PortfolioError,
    examiners_assign,
    score_record,
    submission_create,
    submission_reconcile,
    submission_release,
)
from credence.portfolios.tests.conftest import make_user

CERT = "ml-expert"
ERIN_NOTE = "Erin-note: strong framing"
EZRA_NOTE = "Ezra-note: thin evaluation"


# -- the rules, without a database -------------------------------------------------------------


@pytest.mark.parametrize(
    ("office", "assigned", "scored", "allowed"),
    [
        (True, False, False, True),  # the office reads every score
        (False, True, True, True),  # an examiner who has scored
        (False, True, False, False),  # an examiner who has not: blind
        (False, False, False, False),  # anyone else
    ],
)
def test_who_reads_the_scores(office, assigned, scored, allowed):
    decision = policy.scores_visible(office=office, assigned=assigned, scored=scored)
    assert decision.allowed is allowed
    if not allowed:
        assert decision.rule == "R4" and decision.reason


def test_the_blind_examiner_is_told_why():
    decision = policy.scores_visible(office=False, assigned=True, scored=False)
    assert isinstance(decision, Refused)
    assert "once you have submitted your own" in decision.reason


@pytest.mark.parametrize(
    ("released", "scores", "own", "allowed"),
    [
        (False, 0, False, True),  # the first score
        (False, 1, False, True),  # the second examiner's first score
        (False, 1, True, True),  # a revision while the other has not scored
        (False, 2, True, False),  # both in, each has seen the other's: final
        (True, 2, True, False),  # released
    ],
)
def test_when_a_score_may_change(released, scores, own, allowed):
    decision = policy.may_revise_score(released=released, scores=scores, own=own)
    assert isinstance(decision, Allowed if allowed else Refused)


# -- a real submission ---------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2026-05-04 10:00:00+02:00", tick=False):
        yield


@pytest.fixture
def people(candidate, office, examiners):
    return {
        "candidate": candidate,
        "other": make_user("otto@example.invalid"),
        "erin": examiners[0],
        "ezra": examiners[1],
        "esme": make_user("esme@example.invalid", Role.EXAMINER),
        "office": office,
    }


@pytest.fixture
def submission(people, git_daemon):
    candidate, office = people["candidate"], people["office"]
    attempt = attempt_book(
        candidate=candidate,
        certification=CERT,
        evaluation="knowledge-test",
        held_on=date(2026, 4, 1),
        acting_user=candidate,
    )
    attempt_record_result(
        attempt=attempt, score=Decimal(85), released_on=date(2026, 4, 2), acting_user=office
    )
    git_daemon.repo("p.git").commit({"train.py": "import sklearn\n"})
    submission = submission_create(
        candidate=candidate,
        certification=CERT,
        url=git_daemon.url("p.git"),
        acting_user=candidate,
    )
    examiners_assign(
        submission=submission, examiners=[people["erin"], people["ezra"]], acting_user=office
    )
    return submission


def points(submission, value):
    return {c["code"]: value for c in submission.rubric["criteria"]}


def erin_scores(submission, people):
    score_record(
        submission=submission,
        points=points(submission, 4),
        notes=ERIN_NOTE,
        acting_user=people["erin"],
    )  # 100.00 %


def ezra_scores(submission, people):
    score_record(
        submission=submission,
        points=points(submission, 2),
        notes=EZRA_NOTE,
        acting_user=people["ezra"],
    )  # 50.00 %


def released(submission, people):
    submission_reconcile(
        submission=submission,
        score=Decimal(75),
        note="Agreed after the interview.",
        acting_user=people["erin"],
    )
    submission_release(
        submission=submission,
        feedback="Well argued.",
        acting_user=people["office"],
        today=date(2026, 5, 4),
    )


STAGES = {
    "nobody scored": [],
    "erin scored": [erin_scores],
    "both scored": [erin_scores, ezra_scores],
    "released": [erin_scores, ezra_scores, released],
}
ASKERS = ("anonymous", "candidate", "other", "erin", "ezra", "esme", "office")

# The permission walk: who reads every score (portfolios.read_scores) at each stage.
READS_SCORES = {
    "nobody scored": {"office"},
    "erin scored": {"office", "erin"},
    "both scored": {"office", "erin", "ezra"},
    "released": {"office", "erin", "ezra"},
}
# What each asker's portfolio page shows of the notes (None: the page is not theirs to open).
NOTES_ON_PAGE = {
    "nobody scored": {"erin": set(), "ezra": set(), "office": set(), "candidate": set()},
    "erin scored": {
        "erin": {ERIN_NOTE},
        "ezra": set(),  # blind: Erin's score is in, Ezra has not scored
        "office": {ERIN_NOTE},
        "candidate": set(),
    },
    "both scored": {
        "erin": {ERIN_NOTE, EZRA_NOTE},
        "ezra": {ERIN_NOTE, EZRA_NOTE},
        "office": {ERIN_NOTE, EZRA_NOTE},
        "candidate": set(),
    },
    "released": {
        "erin": {ERIN_NOTE, EZRA_NOTE},
        "ezra": {ERIN_NOTE, EZRA_NOTE},
        "office": {ERIN_NOTE, EZRA_NOTE},
        "candidate": set(),
    },
}


@pytest.mark.parametrize("stage", list(STAGES))
def test_the_permission_walk_of_the_scores(stage, submission, people, client):
    for step in STAGES[stage]:
        step(submission, people)
    submission.refresh_from_db()

    readers = {
        asker
        for asker in ASKERS
        if (AnonymousUser() if asker == "anonymous" else people[asker]).has_perm(
            "portfolios.read_scores", submission
        )
    }
    assert readers == READS_SCORES[stage]

    for asker, expected in NOTES_ON_PAGE[stage].items():
        client.force_login(people[asker])
        response = client.get(reverse("portfolios:detail", args=[submission.pk]))
        assert response.status_code == 200, asker
        page = html.unescape(response.content.decode())
        shown = {note for note in (ERIN_NOTE, EZRA_NOTE) if note in page}
        assert shown == expected, f"{stage}: {asker} sees {shown}"
    # an examiner not assigned, and another candidate, find nothing at all
    for asker in ("esme", "other"):
        client.force_login(people[asker])
        assert client.get(reverse("portfolios:detail", args=[submission.pk])).status_code == 404


def test_the_second_examiner_scores_blind_then_sees_both_side_by_side(submission, people, client):
    erin_scores(submission, people)
    client.force_login(people["ezra"])

    before = html.unescape(
        client.get(reverse("portfolios:detail", args=[submission.pk])).content.decode()
    )

    assert "you see the other examiner's score, notes and points once you have submitted" in (
        before
    )
    assert "100.00 %" not in before and "Erin Examiner" not in before.split("Rubric scores")[1]
    assert "Your rubric" in before

    response = client.post(
        reverse("portfolios:score", args=[submission.pk]),
        {**{f"c_{c}": 2 for c in points(submission, 2)}, "notes": EZRA_NOTE},
    )
    assert response.status_code == 302
    after = html.unescape(
        client.get(reverse("portfolios:detail", args=[submission.pk])).content.decode()
    )
    sheet = after.split('class="score-sheet"')[1].split("</table>")[0]
    assert "The examiners' points, side by side" in sheet
    assert sheet.index(people["erin"].full_name) < sheet.index(people["ezra"].full_name)
    assert ERIN_NOTE in sheet and EZRA_NOTE in sheet
    assert "<td>4</td><td>2</td>" in sheet.replace("\n", "")  # each criterion, both columns
    assert "100.00 %" in after and "50.00 %" in after
    assert "Reconcile" in after  # 100 and 50 are more than 15 apart
    assert "Your rubric" not in after  # final now
    assert "scores are final now" in after


def test_the_office_reads_both_before_either_examiner_sees_the_other(submission, people, client):
    erin_scores(submission, people)
    client.force_login(people["office"])
    page = html.unescape(
        client.get(reverse("portfolios:detail", args=[submission.pk])).content.decode()
    )
    assert ERIN_NOTE in page and "100.00 %" in page
    assert "Scoring is blind" not in page


def test_scores_are_final_once_both_are_in(submission, people):
    erin_scores(submission, people)
    # Erin may still revise: Ezra has not scored, so she has seen nothing of his
    score_record(
        submission=submission, points=points(submission, 3), notes="", acting_user=people["erin"]
    )
    ezra_scores(submission, people)
    for examiner in ("erin", "ezra"):
        with pytest.raises(PortfolioError, match="scores are final now"):
            score_record(
                submission=submission,
                points=points(submission, 4),
                acting_user=people[examiner],
            )
    assert sorted(submission.scores.values_list("percent", flat=True)) == [
        Decimal("50.00"),
        Decimal("75.00"),
    ]


def test_a_late_post_of_a_final_score_is_refused_on_the_page(submission, people, client):
    erin_scores(submission, people)
    ezra_scores(submission, people)
    client.force_login(people["erin"])
    response = client.post(
        reverse("portfolios:score", args=[submission.pk]),
        {**{f"c_{c}": 1 for c in points(submission, 1)}, "notes": "changed my mind"},
    )
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert page.count("scores are final now") == 1
    assert not submission.scores.filter(notes="changed my mind").exists()

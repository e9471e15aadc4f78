"""The pages: a candidate submits, examiners see only what is assigned to them, the office
assigns, schedules and releases; the pinned commit is on every page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from credence.accounts.models import Role
from credence.exams.services import attempt_book, attempt_record_result
from credence.portfolios.models import Submission
from credence.portfolios.report_services import submission_analyse
from credence.portfolios.tests.conftest import make_user

CERT = "ml-expert"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2026-05-04 10:00:00+02:00", tick=False):
        yield


@pytest.fixture
def ready(candidate, office, git_daemon):
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
    repo = git_daemon.repo("p.git")
    sha = repo.commit(
        {
            "train.py": "import sklearn\n",
            "LICENSE": "MIT License\n\nPermission is hereby granted, free of charge",
        }
    )
    return git_daemon.url("p.git"), sha


def test_candidate_submits_and_sees_the_pinned_commit(client, candidate, ready):
    url, sha = ready
    client.force_login(candidate)
    response = client.post(
        reverse("portfolios:mine"),
        {"certification": CERT, "url": url, "ref": "", "identities": "cand@example.invalid"},
    )
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert submission.commit == sha
    page = client.get(reverse("portfolios:detail", args=[submission.pk])).content.decode()
    assert sha in page
    assert sha in client.get(reverse("portfolios:mine")).content.decode()


def test_a_refused_submission_explains_the_rule(client, candidate, git_daemon):
    client.force_login(candidate)
    response = client.post(
        reverse("portfolios:mine"),
        {"certification": CERT, "url": git_daemon.url("x.git"), "ref": "", "identities": ""},
    )
    assert response.status_code == 200
    assert "R1" in response.content.decode()
    assert not Submission.objects.exists()


@pytest.fixture
def submission(client, candidate, ready):
    client.force_login(candidate)
    client.post(
        reverse("portfolios:mine"),
        {"certification": CERT, "url": ready[0], "ref": "", "identities": ""},
    )
    client.logout()
    return submission_analyse(submission_id=Submission.objects.get().pk)


def test_examiners_see_only_assigned_submissions(client, submission, office, examiners):
    other = make_user("otto@example.invalid")
    client.force_login(office)
    first, second = examiners
    response = client.post(
        reverse("portfolios:assign", args=[submission.pk]), {"first": first.pk, "second": second.pk}
    )
    assert response.status_code == 302
    client.force_login(first)
    page = client.get(reverse("portfolios:detail", args=[submission.pk])).content.decode()
    assert "Evidence report" in page and submission.commit in page
    assert "MIT" in page
    assert submission.commit in client.get(reverse("portfolios:examine")).content.decode()
    client.force_login(other)
    assert client.get(reverse("portfolios:detail", args=[submission.pk])).status_code == 404
    assert client.get(reverse("portfolios:office")).status_code == 403


def test_interview_slot_downloads_as_ics(client, submission, office, candidate, settings):
    settings.CREDENCE_PUBLIC_URL = "https://certs.example.test"
    client.force_login(office)
    response = client.post(
        reverse("portfolios:schedule", args=[submission.pk]),
        {"starts_at": "2026-05-20T10:00", "minutes": 45, "location": "Room 2.01"},
    )
    assert response.status_code == 302
    client.force_login(candidate)
    ics = client.get(reverse("portfolios:ics", args=[submission.pk]), HTTP_HOST="127.0.0.1")
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert "DTSTART:20260520T080000Z" in body  # 10:00 in Berlin (summer time)
    assert submission.commit in body.replace("\r\n ", "")
    # the event links to the submission's page, and is named, by the public URL, not the
    # host the download was asked of
    assert f"URL:https://certs.example.test/portfolio/{submission.pk}/\r\n" in body
    assert f"UID:portfolio-{submission.pk}@certs.example.test\r\n" in body


def test_score_reconcile_and_release_through_the_pages(
    client, submission, office, examiners, candidate
):
    client.force_login(office)
    client.post(
        reverse("portfolios:assign", args=[submission.pk]),
        {"first": examiners[0].pk, "second": examiners[1].pk},
    )
    codes = [c["code"] for c in submission.rubric["criteria"]]
    for examiner, points in ((examiners[0], 4), (examiners[1], 3)):
        client.force_login(examiner)
        response = client.post(
            reverse("portfolios:score", args=[submission.pk]),
            {**{f"c_{c}": points for c in codes}, "notes": "ok"},
        )
        assert response.status_code == 302
    client.force_login(office)
    refused = client.post(reverse("portfolios:release", args=[submission.pk]), {"feedback": "x"})
    assert refused.status_code == 400
    assert "reconcile" in refused.content.decode()  # 100 % and 75 % differ by more than 15
    client.force_login(examiners[1])
    response = client.post(
        reverse("portfolios:reconcile", args=[submission.pk]),
        {"score": "87.50", "note": "Agreed after comparing notes."},
    )
    assert response.status_code == 302
    client.force_login(office)
    response = client.post(
        reverse("portfolios:release", args=[submission.pk]), {"feedback": "Strong evaluation."}
    )
    assert response.status_code == 302
    client.force_login(candidate)
    page = client.get(reverse("portfolios:detail", args=[submission.pk])).content.decode()
    assert "87.50 %" in page
    assert "Strong evaluation." in page
    assert "Rubric scores" not in page  # examiners' individual notes stay internal


def test_a_candidate_may_not_act_for_the_office_or_examiners_on_their_own_portfolio(
    client, submission, candidate, examiners
):
    """The candidate sees their submission but cannot assign, schedule, score or release it:
    403 (they know it exists), with nothing stored."""
    client.force_login(candidate)
    first, second = examiners
    posts = {
        "portfolios:assign": {"first": first.pk, "second": second.pk},
        "portfolios:schedule": {"starts_at": "2026-05-20T10:00", "minutes": 45, "location": "R"},
        "portfolios:score": {"notes": "mine"},
        "portfolios:release": {"feedback": "well done"},
    }
    for name, data in posts.items():
        assert client.post(reverse(name, args=[submission.pk]), data).status_code == 403, name
    submission.refresh_from_db()
    assert not submission.assignments.exists() and submission.feedback == ""
    # no interview yet, so no calendar file
    assert client.get(reverse("portfolios:ics", args=[submission.pk])).status_code == 404


def test_the_examiner_list_is_for_examiners(client, candidate):
    client.force_login(candidate)
    assert client.get(reverse("portfolios:examine")).status_code == 403


def test_every_examiner_reads_a_portfolio_awaiting_examiners_but_none_scores_it(
    client, submission, examiners, candidate
):
    """Decision 0027: before the office assigns two examiners, any examiner may read the
    evidence report (to prepare, or to declare a conflict of interest); nobody scores yet."""
    client.force_login(examiners[0])

    listed = client.get(reverse("portfolios:examine")).content.decode()
    page = client.get(reverse("portfolios:detail", args=[submission.pk]))

    assert "Awaiting examiners" in listed and submission.commit in listed
    assert page.status_code == 200
    body = page.content.decode()
    assert "Evidence report" in body and "MIT" in body
    assert "scoring opens once the program office assigns you" in body
    assert "Your rubric" not in body
    scored = client.post(reverse("portfolios:score", args=[submission.pk]), {"notes": "early"})
    assert scored.status_code == 403
    assert not submission.scores.exists()
    # a signed-in person who is not an examiner still finds nothing there
    client.force_login(make_user("otto@example.invalid", Role.CANDIDATE))
    assert client.get(reverse("portfolios:detail", args=[submission.pk])).status_code == 404


def test_once_two_are_assigned_the_other_examiners_find_nothing(
    client, submission, office, examiners
):
    third = make_user("esme@example.invalid", Role.EXAMINER)
    client.force_login(third)
    assert client.get(reverse("portfolios:detail", args=[submission.pk])).status_code == 200
    client.force_login(office)
    client.post(
        reverse("portfolios:assign", args=[submission.pk]),
        {"first": examiners[0].pk, "second": examiners[1].pk},
    )

    client.force_login(third)

    assert client.get(reverse("portfolios:detail", args=[submission.pk])).status_code == 404
    assert submission.commit not in client.get(reverse("portfolios:examine")).content.decode()

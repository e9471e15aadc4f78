"""Submission, evidence report, interview, scoring and release against a real database and a
real git server on localhost."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from credence.accommodations.services import accommodation_decide, accommodation_request
from credence.audit.models import AuditEvent
from credence.exams.models import Attempt
from credence.exams.services import BookingRefused, attempt_book, attempt_record_result
from credence.exams.statuses import AttemptStatus
from credence.portfolios.models import Submission
from credence.portfolios.report_services import submission_analyse
from credence.portfolios.services import (
    PortfolioError,
    examiners_assign,
    score_record,
    slot_schedule,
    submission_create,
    submission_reconcile,
    submission_release,
)
from credence.portfolios.statuses import SubmissionStatus
from credence.portfolios.tests.conftest import make_user

TODAY = date(2026, 5, 4)
CERT = "ml-expert"
ALL_FOUR = {
    "problem-framing": 4,
    "technical-depth": 4,
    "engineering-quality": 4,
    "evaluation-rigour": 4,
    "communication": 4,
    "relevance": 4,
}


def pass_knowledge_test(candidate, office):
    attempt = attempt_book(
        candidate=candidate,
        certification=CERT,
        evaluation="knowledge-test",
        held_on=date(2026, 4, 1),
        acting_user=candidate,
    )
    attempt_record_result(
        attempt=attempt, score=Decimal(80), released_on=date(2026, 4, 2), acting_user=office
    )


@pytest.fixture
def project(git_daemon):
    repo = git_daemon.repo("project.git")
    repo.commit(
        {"README.md": "# Churn model\n\n## Usage\n\nrun\n", "train.py": "import sklearn\n"},
        email="cand@example.invalid",
    )
    return repo


def submit(candidate, git_daemon, **kwargs):
    return submission_create(
        candidate=candidate,
        certification=CERT,
        url=git_daemon.url("project.git"),
        acting_user=candidate,
        today=TODAY,
        **kwargs,
    )


def test_r1_a_portfolio_needs_the_passed_knowledge_test(candidate, git_daemon, project):
    with pytest.raises(BookingRefused) as refused:
        submit(candidate, git_daemon)
    assert refused.value.decision.rule == "R1"
    assert not Submission.objects.exists()
    assert not Attempt.objects.filter(evaluation__code="portfolio").exists()


@pytest.mark.parametrize(
    ("url", "phrase"),
    [
        ("git://gitlab.com/a/b", "accepted from"),
        ("git://user:pw@127.0.0.1/x", "user name or password"),
        ("ftp://x/y", "Use an address starting with"),
    ],
)
def test_bad_addresses_are_refused_before_anything_is_stored(
    candidate, office, git_daemon, url, phrase
):
    pass_knowledge_test(candidate, office)
    with pytest.raises(PortfolioError, match=phrase):
        submission_create(
            candidate=candidate, certification=CERT, url=url, acting_user=candidate, today=TODAY
        )
    assert not Submission.objects.exists()


def test_missing_and_empty_repositories_are_refused(candidate, office, git_daemon):
    pass_knowledge_test(candidate, office)
    with pytest.raises(PortfolioError, match="There is no git repository at this address"):
        submission_create(
            candidate=candidate,
            certification=CERT,
            url=git_daemon.url("nothing.git"),
            acting_user=candidate,
            today=TODAY,
        )
    git_daemon.repo("empty.git")
    with pytest.raises(PortfolioError, match="empty"):
        submission_create(
            candidate=candidate,
            certification=CERT,
            url=git_daemon.url("empty.git"),
            acting_user=candidate,
            today=TODAY,
        )
    assert not Submission.objects.exists()


def test_submission_pins_the_commit_and_the_report_is_computed_in_the_background(
    candidate, office, git_daemon, project, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    pass_knowledge_test(candidate, office)
    pinned = project.commit({"tests/test_x.py": "def test_x():\n    pass\n"})
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(candidate, git_daemon, identities=["cand@example.invalid"])
    project.commit({"later.py": "import torch\n"})  # after submission: not evaluated

    submission.refresh_from_db()
    assert submission.commit == pinned
    assert submission.status == SubmissionStatus.ANALYSED
    assert submission.report["commit"] == pinned
    assert submission.report["commits"] == 2
    assert submission.report["tests"] == {"files": 1, "functions": 1}
    assert submission.report["candidate_share"] == {"commits": 1.0, "lines": 1.0}
    assert submission.report["relevance"]["score"] == 67  # 2 of ml-expert's 3 topics
    assert submission.attempt.evaluation.code == "portfolio"
    assert AuditEvent.objects.filter(action="portfolio.submitted").count() == 1


def test_a_branch_is_pinned_to_its_commit_and_unknown_refs_are_refused(
    candidate, office, git_daemon, project
):
    from credence.portfolios.tests.gitrepos import git

    pass_knowledge_test(candidate, office)
    git(project.path, "checkout", "-q", "-b", "experiment")
    branch_head = project.commit({"exp.py": "x = 1\n"})
    with pytest.raises(PortfolioError, match="no branch or tag nope"):
        submit(candidate, git_daemon, ref="nope")
    submission = submit(candidate, git_daemon, ref="experiment")
    assert submission.commit == branch_head


def test_an_analysis_failure_is_stored_not_raised(candidate, office, git_daemon, project):
    import shutil

    pass_knowledge_test(candidate, office)
    submission = submit(candidate, git_daemon)
    shutil.rmtree(project.path)  # gone from the host before the report is made
    submission = submission_analyse(submission_id=submission.pk)
    assert submission.status == SubmissionStatus.ANALYSIS_FAILED
    assert submission.analysis_error.startswith("There is no git repository at this address")


def test_a_commit_the_host_does_not_have_is_refused_when_submitting(
    candidate, office, git_daemon, project
):
    pass_knowledge_test(candidate, office)
    with pytest.raises(PortfolioError, match="has no commit, branch or tag 0000"):
        submit(candidate, git_daemon, ref="0" * 40)
    assert not Submission.objects.exists()


@pytest.fixture
def submitted(candidate, office, git_daemon, project):
    pass_knowledge_test(candidate, office)
    return submit(candidate, git_daemon)


def test_two_examiners_are_assigned_by_the_office_only(submitted, office, examiners, candidate):
    with pytest.raises(PortfolioError, match="program office"):
        examiners_assign(submission=submitted, examiners=examiners, acting_user=examiners[0])
    with pytest.raises(PortfolioError, match="two different"):
        examiners_assign(submission=submitted, examiners=[examiners[0]] * 2, acting_user=office)
    not_examiner = make_user("x@example.invalid")
    with pytest.raises(PortfolioError, match="not an examiner"):
        examiners_assign(
            submission=submitted, examiners=[examiners[0], not_examiner], acting_user=office
        )
    examiners_assign(submission=submitted, examiners=examiners, acting_user=office)
    assert sorted(submitted.assignments.values_list("examiner__email", flat=True)) == [
        "erin@example.invalid",
        "ezra@example.invalid",
    ]


def test_only_assigned_examiners_score_and_points_are_checked(submitted, office, examiners):
    examiners_assign(submission=submitted, examiners=examiners, acting_user=office)
    outsider = make_user("olga@example.invalid")
    with pytest.raises(PortfolioError, match="assigned"):
        score_record(submission=submitted, points=ALL_FOUR, acting_user=outsider)
    with pytest.raises(PortfolioError, match="every criterion"):
        score_record(submission=submitted, points={"relevance": 3}, acting_user=examiners[0])
    with pytest.raises(PortfolioError, match="from 0 to 4"):
        score_record(
            submission=submitted, points={**ALL_FOUR, "relevance": 5}, acting_user=examiners[0]
        )
    score = score_record(
        submission=submitted,
        points={**ALL_FOUR, "technical-depth": 2},  # weight 25 of 100, half the points
        acting_user=examiners[0],
    )
    assert score.percent == Decimal("87.50")


def test_release_averages_two_examiners_and_applies_r4(submitted, office, examiners):
    examiners_assign(submission=submitted, examiners=examiners, acting_user=office)
    score_record(submission=submitted, points=ALL_FOUR, acting_user=examiners[0])
    with pytest.raises(PortfolioError, match="Both examiners"):
        submission_release(submission=submitted, feedback="Good", acting_user=office, today=TODAY)
    score_record(
        submission=submitted, points={**ALL_FOUR, "evaluation-rigour": 2}, acting_user=examiners[1]
    )  # 87.50
    with pytest.raises(PortfolioError, match="program office"):
        submission_release(
            submission=submitted, feedback="Good", acting_user=examiners[0], today=TODAY
        )
    released = submission_release(
        submission=submitted, feedback="Clear framing.", acting_user=office, today=TODAY
    )
    attempt = Attempt.objects.get(pk=released.attempt_id)
    assert attempt.score == Decimal("93.75")
    assert attempt.status == AttemptStatus.PASSED
    assert released.status == SubmissionStatus.RELEASED
    with pytest.raises(PortfolioError, match="no longer change"):
        score_record(submission=submitted, points=ALL_FOUR, acting_user=examiners[0])


def test_scores_apart_by_more_than_the_margin_need_reconciliation(
    submitted, office, examiners, settings
):
    settings.CREDENCE_PORTFOLIO_RECONCILE_MARGIN = "15"
    examiners_assign(submission=submitted, examiners=examiners, acting_user=office)
    score_record(submission=submitted, points=ALL_FOUR, acting_user=examiners[0])  # 100
    low = dict.fromkeys(ALL_FOUR, 2)
    score_record(submission=submitted, points=low, acting_user=examiners[1])  # 50
    with pytest.raises(PortfolioError, match="reconcile"):
        submission_release(submission=submitted, feedback="x", acting_user=office, today=TODAY)
    with pytest.raises(PortfolioError, match="Explain"):
        submission_reconcile(
            submission=submitted, score=Decimal(65), note=" ", acting_user=examiners[0]
        )
    submission_reconcile(
        submission=submitted,
        score=Decimal(65),
        note="Agreed after discussing the tests.",
        acting_user=examiners[0],
    )
    released = submission_release(
        submission=submitted, feedback="Evaluation was thin.", acting_user=office, today=TODAY
    )
    attempt = Attempt.objects.get(pk=released.attempt_id)
    assert (attempt.score, attempt.status) == (Decimal("65.00"), AttemptStatus.FAILED)  # R4


def test_slots_are_scheduled_by_the_office(submitted, office):
    with pytest.raises(PortfolioError, match="time zone"):
        slot_schedule(
            submission=submitted,
            starts_at=datetime(2026, 5, 20, 10),
            minutes=45,
            location="Room 1",
            acting_user=office,
        )
    slot = slot_schedule(
        submission=submitted,
        starts_at=datetime(2026, 5, 20, 8, tzinfo=UTC),
        minutes=45,
        location="Room 1",
        acting_user=office,
    )
    assert slot.location == "Room 1"


def test_the_candidate_is_invited_to_the_interview_with_a_calendar_file(submitted, office):
    """Issue 18, item 7: scheduling (or moving) the interview mails the candidate."""
    DBTaskResult.objects.all().delete()  # the submission's own analysis is not what is tested
    slot_schedule(
        submission=submitted,
        starts_at=datetime(2026, 5, 20, 8, tzinfo=UTC),
        minutes=45,
        location="Room 1",
        acting_user=office,
    )
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "credence.portfolios.tasks.send_interview_invitation"
    queued.task.call(**queued.args_kwargs["kwargs"])
    (message,) = mail.outbox
    assert message.to == [submitted.candidate.email]
    assert message.subject.startswith("[Credence] Your portfolio interview: ")
    assert "(45 minutes), Room 1." in message.body
    assert f"/portfolio/{submitted.pk}/\n" in message.body
    ((name, calendar, kind),) = message.attachments
    assert name == f"interview-{submitted.pk}.ics" and kind.startswith("text/calendar")
    assert "DTSTART:20260520T080000Z" in calendar and "LOCATION:Room 1" in calendar


def test_approved_extra_time_lengthens_the_interview_and_the_examiners_see_it(
    submitted, office, examiners, client, settings, tmp_path
):
    """Rule AC3 (decision 0052): an approved extra-time factor valid on the interview's day
    lengthens the slot by itself; the examiners see the candidate's accommodations."""
    settings.CREDENCE_ACCOMMODATION_DOCUMENTS_DIR = tmp_path / "documents"
    accommodation = accommodation_request(
        candidate=submitted.candidate,
        kind="extra_time",
        time_factor=Decimal("1.5"),
        details="Stammering: answers take longer.",
        uploads=[SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n", "application/pdf")],
    )
    accommodation_decide(
        accommodation=accommodation,
        approve=True,
        valid_from=date(2026, 5, 1),
        valid_until=date(2026, 5, 31),
        note="",
        acting_user=office,
        now=datetime(2026, 4, 20, tzinfo=UTC),
    )

    def schedule(month, day):
        return slot_schedule(
            submission=submitted,
            starts_at=datetime(2026, month, day, 8, tzinfo=UTC),
            minutes=45,
            location="Room 1",
            acting_user=office,
        )

    slot = schedule(5, 20)
    assert (slot.minutes, slot.extended_from) == (68, 45)  # 67.5, rounded up
    event = AuditEvent.objects.filter(action="portfolio.interview_scheduled").last()
    assert (event.reason, event.after["minutes"], event.after["time_factor"]) == ("AC3", 68, "1.50")
    examiners_assign(submission=submitted, examiners=list(examiners), acting_user=office)
    client.force_login(examiners[0])
    page = client.get(f"/portfolio/{submitted.pk}/").content.decode()
    assert "68 minutes" in page and "extended from 45 for an approved accommodation" in page
    assert "Extra time \u00d71.5" in page and "Stammering" not in page  # no reasons to examiners
    slot = schedule(4, 28)  # moved before the approval's period: no longer lengthened
    assert (slot.minutes, slot.extended_from) == (45, None)

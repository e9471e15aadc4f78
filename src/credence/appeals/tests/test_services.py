"""Filing, assigning and deciding an appeal through the services: the rules refuse with
their number and store nothing; every step is audited; the decision is mailed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django_tasks_db.models import DBTaskResult

from credence.accounts.models import Role
from credence.appeals import personal_data
from credence.appeals.models import Appeal, AppealOutcome
from credence.appeals.selectors import results_to_appeal, reviewers_for
from credence.appeals.services import AppealRefused, appeal_assign, appeal_decide, appeal_file
from credence.appeals.tests.conftest import RELEASED, person
from credence.audit.models import AuditEvent

NOON = datetime(2026, 3, 20, 12, tzinfo=UTC)


def file(result, candidate, when=NOON, reasons="Question 12 had two right answers."):
    return appeal_file(attempt_id=result.pk, reasons=reasons, candidate=candidate, now=when)


def test_filed_assigned_decided_and_told(result, candidate, office):
    reviewer = person("rita_reviewer", Role.EXAMINER)
    appeal = file(result, candidate)
    assert appeal.outcome == AppealOutcome.PENDING
    assert reviewer in reviewers_for(appeal) and candidate not in reviewers_for(appeal)
    appeal_assign(appeal=appeal, reviewer=reviewer, acting_user=office)
    DBTaskResult.objects.all().delete()
    decided = appeal_decide(
        appeal=appeal, outcome="upheld", decision="Item 12 is rescored.", acting_user=reviewer
    )
    assert (decided.outcome, decided.decision) == ("upheld", "Item 12 is rescored.")
    actions = list(
        AuditEvent.objects.filter(action__startswith="appeal.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["appeal.filed", "appeal.reviewer_assigned", "appeal.decided"]
    (queued,) = DBTaskResult.objects.all()
    queued.task.call(**queued.args_kwargs["kwargs"])
    (message,) = mail.outbox
    assert message.to == [candidate.email]
    assert message.subject == "[Credence] Your appeal: Upheld"
    assert "Item 12 is rescored." in message.body and f"/appeals/{appeal.pk}/" in message.body


def test_a1_one_appeal_per_result_within_the_window(result, candidate):
    late = RELEASED + timedelta(days=31)
    with pytest.raises(AppealRefused, match="A1: The time to appeal this result ended"):
        file(result, candidate, when=datetime(late.year, late.month, late.day, 12, tzinfo=UTC))
    assert not Appeal.objects.exists()
    file(result, candidate)
    with pytest.raises(AppealRefused, match="A1: This result has been appealed already"):
        file(result, candidate)
    assert Appeal.objects.count() == 1
    [row] = results_to_appeal(candidate, NOON.date())
    assert row.appeal is not None and not row.decision.allowed


def test_reasons_are_required_and_bounded(result, candidate):
    with pytest.raises(AppealRefused, match="Say why"):
        file(result, candidate, reasons="   ")
    with pytest.raises(AppealRefused, match="At most 5000 characters"):
        file(result, candidate, reasons="x" * 5001)
    assert not Appeal.objects.exists()


def test_another_candidates_result_does_not_exist(result, program):
    other = person("oscar_other", Role.CANDIDATE)
    with pytest.raises(Exception, match="not this candidate's result"):
        file(result, other)
    assert not Appeal.objects.exists()


def test_a2_no_reviewer_who_took_part(result, candidate, office):
    appeal = file(result, candidate)
    with pytest.raises(AppealRefused, match="A2: A candidate cannot review their own appeal"):
        appeal_assign(appeal=appeal, reviewer=candidate, acting_user=office)
    other_examiner = person("eve_examiner", Role.EXAMINER)
    appeal_assign(appeal=appeal, reviewer=other_examiner, acting_user=office)
    with pytest.raises(AppealRefused, match="A2: Only the reviewer assigned"):
        appeal_decide(appeal=appeal, outcome="dismissed", decision="No.", acting_user=office)
    appeal_decide(appeal=appeal, outcome="dismissed", decision="No.", acting_user=other_examiner)
    with pytest.raises(AppealRefused, match="A2: This appeal has been decided already"):
        appeal_decide(appeal=appeal, outcome="upheld", decision="Yes.", acting_user=other_examiner)
    with pytest.raises(AppealRefused, match="decided already"):
        appeal_assign(appeal=appeal, reviewer=office, acting_user=office)


def test_a2_the_sessions_proctor_and_the_portfolios_examiners_took_part(result, candidate, office):
    from credence.exams.models import Booking, ExamSession
    from credence.portfolios.models import ExaminerAssignment, Submission

    proctor = person("paul_proctor", Role.PROCTOR, Role.EXAMINER)
    session = ExamSession.objects.create(
        venue="Hall", starts_at=NOON, duration_minutes=90, capacity=10, booking_deadline=NOON
    )
    session.proctors.add(proctor)
    Booking.objects.create(session=session, attempt=result)
    appeal = file(result, candidate)
    assert proctor not in reviewers_for(appeal)
    with pytest.raises(AppealRefused, match="A2: The reviewer must be independent"):
        appeal_assign(appeal=appeal, reviewer=proctor, acting_user=office)

    # a portfolio's examiners, for an appeal of its result
    examiner = person("ellen_examiner", Role.EXAMINER)
    submission = Submission.objects.create(
        candidate=candidate,
        certification=result.certification,
        attempt=result,
        url="https://github.com/example/portfolio",
        commit="0" * 40,
        rubric={},
    )
    ExaminerAssignment.objects.create(submission=submission, examiner=examiner)
    assert examiner not in reviewers_for(appeal)
    assert office in reviewers_for(appeal)


def test_the_export_has_the_appeal_and_erasure_keeps_only_the_outcome(result, candidate, office):
    appeal = file(result, candidate)
    exported = personal_data.export_user_data(candidate)
    [row] = exported["appeals.appeal"]
    assert row["reasons"] == "Question 12 had two right answers."
    personal_data.erase_user_data(candidate, now=NOON)
    appeal.refresh_from_db()
    assert (appeal.reasons, appeal.decision, appeal.outcome) == ("", "", "pending")


@time_machine.travel(NOON, tick=False)
def test_the_api_files_and_lists_the_callers_own_appeals(client, result, candidate, program):
    client.force_login(candidate)
    body = {"attempt": result.pk, "reasons": "Question 12 had two right answers."}
    filed = client.post("/api/v1/appeals/new", body, content_type="application/json")
    assert filed.status_code == 201
    assert filed.json()["outcome"] == "pending" and filed.json()["evaluation"] == "knowledge-test"
    again = client.post("/api/v1/appeals/new", body, content_type="application/json")
    assert again.status_code == 409 and again.json()["rule"] == "A1"
    listed = client.get("/api/v1/appeals").json()
    assert [a["id"] for a in listed["items"]] == [filed.json()["id"]]
    client.force_login(person("oscar_other", Role.CANDIDATE))
    assert (
        client.post("/api/v1/appeals/new", body, content_type="application/json").status_code == 404
    )
    assert client.get("/api/v1/appeals").json()["items"] == []

"""The exams services against a real database: bookings, results, waivers, exceptions, and
the certificates they award."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from credence.accounts.models import User
from credence.audit.models import AuditEvent
from credence.credentials.models import Certificate
from credence.exams.models import Attempt
from credence.exams.services import (
    BookingRefused,
    InvalidTransition,
    attempt_book,
    attempt_excuse_no_show,
    attempt_record_no_show,
    attempt_record_result,
    exception_grant,
    waiver_grant,
)
from credence.exams.statuses import AttemptStatus

TEST, PORTFOLIO = "knowledge-test", "portfolio"


def sit(candidate, office, cert, evaluation, held_on, score, released_on=None):
    attempt = attempt_book(
        candidate=candidate,
        certification=cert,
        evaluation=evaluation,
        held_on=held_on,
        acting_user=candidate,
    )
    return attempt_record_result(
        attempt=attempt,
        score=Decimal(score),
        released_on=released_on or held_on,
        acting_user=office,
    )


def test_portfolio_booking_is_refused_with_r1(program, candidate):
    with pytest.raises(BookingRefused) as refused:
        attempt_book(
            candidate=candidate,
            certification="mlops",
            evaluation=PORTFOLIO,
            held_on=date(2026, 3, 1),
            acting_user=candidate,
        )
    assert refused.value.decision.rule == "R1"
    assert not Attempt.objects.exists()


def test_passing_both_evaluations_awards_the_certificate(program, candidate, office):
    test = sit(candidate, office, "mlops", TEST, date(2026, 3, 2), "81", date(2026, 3, 9))
    assert test.status == AttemptStatus.PASSED
    assert not Certificate.objects.exists()
    sit(candidate, office, "mlops", PORTFOLIO, date(2026, 4, 1), "69.99", date(2026, 4, 3))
    assert not Certificate.objects.exists()
    with pytest.raises(BookingRefused) as waiting:
        attempt_book(
            candidate=candidate,
            certification="mlops",
            evaluation=PORTFOLIO,
            held_on=date(2026, 5, 2),
            acting_user=candidate,
        )
    assert waiting.value.decision.earliest == date(2026, 5, 3)
    sit(candidate, office, "mlops", PORTFOLIO, date(2026, 5, 3), "70", date(2026, 5, 8))
    [certificate] = Certificate.objects.all()
    assert (
        certificate.award,
        certificate.issued_on,
        certificate.valid_until,
        certificate.rule,
    ) == ("mlops", date(2026, 5, 8), date(2031, 5, 8), "R5")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions.count("attempt.booked") == 3
    assert actions.count("attempt.result_released") == 3
    assert actions[-1] == "certificate.awarded"


def test_result_cannot_be_released_twice(program, candidate, office):
    attempt = sit(candidate, office, "nlp", TEST, date(2026, 3, 2), "81")
    with pytest.raises(InvalidTransition):
        attempt_record_result(
            attempt=attempt, score=Decimal(10), released_on=date(2026, 3, 3), acting_user=office
        )
    attempt.refresh_from_db()
    assert attempt.score == Decimal("81")


def test_no_show_counts_unless_excused(program, candidate, office):
    attempt = attempt_book(
        candidate=candidate,
        certification="nlp",
        evaluation=TEST,
        held_on=date(2026, 3, 2),
        acting_user=candidate,
    )
    attempt_record_no_show(attempt=attempt, acting_user=office)
    with pytest.raises(BookingRefused) as refused:
        attempt_book(
            candidate=candidate,
            certification="nlp",
            evaluation=TEST,
            held_on=date(2026, 3, 20),
            acting_user=candidate,
        )
    assert refused.value.decision.rule == "R2"
    with pytest.raises(ValueError, match="reason"):
        attempt_excuse_no_show(attempt=attempt, acting_user=office, reason=" ")
    attempt_excuse_no_show(attempt=attempt, acting_user=office, reason="hospital, certificate seen")
    booked = attempt_book(
        candidate=candidate,
        certification="nlp",
        evaluation=TEST,
        held_on=date(2026, 3, 20),
        acting_user=candidate,
    )
    assert booked.status == AttemptStatus.BOOKED
    assert AuditEvent.objects.filter(action="attempt.no_show_excused", actor=office).exists()


def test_exception_after_three_failures_allows_one_more(program, candidate, office):
    for month in (1, 3, 5):
        sit(candidate, office, "nlp", TEST, date(2026, month, 2), "40")
    with pytest.raises(BookingRefused) as locked:
        attempt_book(
            candidate=candidate,
            certification="nlp",
            evaluation=TEST,
            held_on=date(2026, 9, 1),
            acting_user=candidate,
        )
    assert locked.value.decision.rule == "R3" and locked.value.decision.never
    exception_grant(
        candidate=candidate,
        certification="nlp",
        evaluation=TEST,
        acting_user=office,
        reason="exam room fire alarm",
        granted_on=date(2026, 8, 1),
    )
    attempt_book(
        candidate=candidate,
        certification="nlp",
        evaluation=TEST,
        held_on=date(2026, 9, 1),
        acting_user=candidate,
    )
    event = AuditEvent.objects.get(action="exception.granted")
    assert (event.actor, event.subject_user, event.reason) == (
        office,
        candidate,
        "exam room fire alarm",
    )


def test_waiver_replaces_the_knowledge_test(program, candidate, office):
    waiver_grant(
        candidate=candidate,
        certification="ml-expert",
        evaluation=TEST,
        acting_user=office,
        reason="Google PMLE, valid",
        granted_on=date(2026, 2, 1),
    )
    sit(candidate, office, "ml-expert", PORTFOLIO, date(2026, 2, 10), "75", date(2026, 2, 12))
    assert Certificate.objects.get().issued_on == date(2026, 2, 12)


def test_six_certificates_award_ai_engineer(program, candidate, office):
    codes = ["ml-expert", "mlops", "responsible-ai", "computer-vision", "nlp", "multimodal-ml"]
    for i, code in enumerate(codes):
        sit(candidate, office, code, TEST, date(2026, 1 + i, 1), "80")
        sit(candidate, office, code, PORTFOLIO, date(2026, 1 + i, 10), "80")
    composite = Certificate.objects.get(award="ai-engineer")
    assert composite.issued_on == date(2026, 6, 10)
    assert composite.valid_until == date(2031, 6, 10)
    assert composite.certification is None and composite.rule == "R6"
    assert Certificate.objects.count() == 7


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_for_one_candidate_book_once():
    call_command("program", "load", verbosity=0)
    candidate = User.objects.create_user("race@example.invalid", "x" * 12, full_name="Race")
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def book() -> None:
        try:
            barrier.wait()
            attempt_book(
                candidate=candidate,
                certification="nlp",
                evaluation=TEST,
                held_on=date(2026, 3, 2),
                acting_user=candidate,
            )
            outcomes.append("booked")
        except BookingRefused as refused:
            outcomes.append(refused.decision.rule)
        finally:
            connection.close()

    threads = [threading.Thread(target=book) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["R2", "R2", "R2", "booked"]
    assert Attempt.objects.filter(candidate=candidate).count() == 1

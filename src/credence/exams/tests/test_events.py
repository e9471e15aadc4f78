"""The exams app's events and ports (decision 0055): each event is sent once, with its
arguments, in the order the services send them; billing and credentials act on them in the
same transaction; and with no receiver or provider connected the exams app books, releases,
cancels, waives and rescores on its own."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from credence.audit.models import AuditEvent
from credence.billing import receivers as billing_receivers
from credence.billing.models import CreditNote, InvoiceLine
from credence.credentials import receivers as credentials_receivers
from credence.credentials.models import Certificate
from credence.exams import events, ports
from credence.exams.models import Attempt, Waiver
from credence.exams.policy import CertificateRecord
from credence.exams.selectors import history_for
from credence.exams.services import (
    attempt_book,
    attempt_cancel,
    attempt_record_result,
    attempt_rescore,
    waiver_grant,
)
from credence.exams.statuses import AttemptStatus

TEST, PORTFOLIO = "knowledge-test", "portfolio"
EVENTS = ("attempt_booked", "attempt_cancelled", "result_released", "pass_withdrawn")
EVENTS += ("completions_changed",)


@pytest.fixture
def sent():
    """Every event sent while the test runs, in order: (name, sender, arguments)."""
    seen: list[tuple[str, type, dict]] = []
    listeners = []
    for name in EVENTS:

        def listen(sender, *, signal, name=name, **arguments):
            seen.append((name, sender, arguments))

        getattr(events, name).connect(listen, weak=False, dispatch_uid=f"test.{name}")
        listeners.append(name)
    yield seen
    for name in listeners:
        getattr(events, name).disconnect(dispatch_uid=f"test.{name}")


@pytest.fixture
def alone(monkeypatch):
    """The exams app with no receiver of its events and no provider of its ports."""
    for name, uid in (
        ("attempt_booked", "billing.invoice"),
        ("attempt_cancelled", "billing.credit"),
        ("result_released", "billing.refund"),
        ("pass_withdrawn", "credentials.withdraw"),
        ("completions_changed", "credentials.award"),
    ):
        assert getattr(events, name).disconnect(dispatch_uid=uid)
    monkeypatch.setattr(ports, "_ports", ports._Ports())
    yield
    billing_receivers.connect()
    credentials_receivers.connect()


def book(candidate, evaluation, held_on, acting_user=None, certification="ml-expert"):
    return attempt_book(
        candidate=candidate,
        certification=certification,
        evaluation=evaluation,
        held_on=held_on,
        acting_user=acting_user or candidate,
    )


def release(attempt, score, office, released_on=None):
    return attempt_record_result(
        attempt=attempt,
        score=Decimal(score),
        released_on=released_on or attempt.held_on,
        acting_user=office,
    )


def certified(candidate, office):
    """ML Expert passed in both evaluations (95, over R9's refund threshold)."""
    release(book(candidate, TEST, date(2026, 3, 2)), "95", office)
    return release(book(candidate, PORTFOLIO, date(2026, 4, 6)), "95", office)


def test_a_booking_sends_attempt_booked_once_and_billing_invoices_it(program, candidate, sent):
    attempt = book(candidate, TEST, date(2026, 3, 2))

    assert [(name, sender) for name, sender, _ in sent] == [("attempt_booked", Attempt)]
    arguments = sent[0][2]
    assert arguments["attempt"] == attempt
    assert arguments["acting_user"] == candidate
    assert arguments["rules"].code  # the program's rules the booking read
    assert InvoiceLine.objects.filter(attempt=attempt).count() == 1


def test_a_cancellation_sends_attempt_cancelled_once_and_billing_answers_it(
    program, candidate, sent
):
    attempt = book(candidate, TEST, date(2030, 3, 2))
    sent.clear()

    attempt_cancel(attempt=attempt, acting_user=candidate)

    assert [(name, sender) for name, sender, _ in sent] == [("attempt_cancelled", Attempt)]
    assert sent[0][2]["attempt"] == attempt
    assert sent[0][2]["acting_user"] == candidate
    assert AuditEvent.objects.filter(
        action__in=("billing.credit_note_issued", "billing.cancellation_fee_kept")
    ).exists()


def test_a_release_sends_the_result_then_the_completions_once_each(
    program, candidate, office, sent
):
    attempt = book(candidate, TEST, date(2026, 3, 2))
    sent.clear()

    release(attempt, "80", office, released_on=date(2026, 3, 9))

    assert [(name, sender) for name, sender, _ in sent] == [
        ("result_released", Attempt),
        ("completions_changed", Attempt),
    ]
    assert sent[0][2]["attempt"] == attempt
    assert sent[0][2]["acting_user"] == office
    assert sent[1][2]["candidate"] == candidate
    assert sent[1][2]["today"] == date(2026, 3, 9)
    assert sent[1][2]["acting_user"] == office


def test_the_refund_is_approved_before_the_certificate_is_awarded(program, candidate, office):
    certified(candidate, office)

    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions.index("billing.refund_qualified") < actions.index("certificate.awarded")
    assert Certificate.objects.filter(holder=candidate, award="ml-expert").count() == 1


def test_a_waiver_sends_completions_changed_and_credentials_awards(
    program, candidate, office, sent
):
    release(book(candidate, TEST, date(2026, 3, 2)), "80", office)
    sent.clear()

    waiver_grant(
        candidate=candidate,
        certification="ml-expert",
        evaluation=PORTFOLIO,
        acting_user=office,
        reason="recognised prior certification",
        granted_on=date(2026, 5, 4),
    )

    assert [(name, sender) for name, sender, _ in sent] == [("completions_changed", Waiver)]
    assert sent[0][2]["today"] == date(2026, 5, 4)
    assert Certificate.objects.get(holder=candidate, award="ml-expert").issued_on == date(
        2026, 5, 4
    )


def test_a_pass_turned_fail_withdraws_before_awarding_and_returns_the_serials(
    program, candidate, office, sent
):
    passed = certified(candidate, office)
    serial = Certificate.objects.get(holder=candidate, award="ml-expert").serial
    sent.clear()

    before, after, awarded, withdrawn = attempt_rescore(
        attempt=passed,
        score=Decimal("40"),
        today=date(2026, 6, 1),
        reason="a challenge decision",
        acting_user=office,
    )

    assert [name for name, _, _ in sent] == ["pass_withdrawn", "completions_changed"]
    arguments = sent[0][2]
    assert arguments["attempt"].pk == passed.pk
    assert arguments["since"] == passed.released_on
    assert arguments["today"] == date(2026, 6, 1)
    assert arguments["reason"] == "a challenge decision"
    assert (before["status"], after["status"]) == (AttemptStatus.PASSED, AttemptStatus.FAILED)
    assert (awarded, withdrawn) == ([], [serial])
    assert Certificate.objects.get(serial=serial).revoked_on == date(2026, 6, 1)


def test_a_fail_turned_pass_awards_and_returns_the_serial(program, candidate, office, sent):
    release(book(candidate, TEST, date(2026, 3, 2)), "95", office)
    failed = release(book(candidate, PORTFOLIO, date(2026, 4, 6)), "40", office)
    sent.clear()

    _before, _after, awarded, withdrawn = attempt_rescore(
        attempt=failed,
        score=Decimal("80"),
        today=date(2026, 6, 1),
        reason="a challenge decision",
        acting_user=office,
    )

    assert [name for name, _, _ in sent] == ["completions_changed"]
    assert withdrawn == []
    assert awarded == [Certificate.objects.get(holder=candidate, award="ml-expert").serial]


def test_the_history_reads_the_certificates_the_credentials_app_provides(
    program, candidate, office
):
    certified(candidate, office)

    (record,) = history_for(candidate).certificates
    assert isinstance(record, CertificateRecord)
    assert (record.award, record.issued_on) == ("ml-expert", date(2026, 4, 6))


def test_the_exams_app_works_with_nothing_connected(program, candidate, office, alone, sent):
    """No invoice, refund, credit note or certificate: nothing above exams is written, and
    booking, releasing, rescoring, waiving and cancelling raise nothing."""
    passed = certified(candidate, office)
    _before, _after, awarded, withdrawn = attempt_rescore(
        attempt=passed,
        score=Decimal("40"),
        today=date(2026, 6, 1),
        reason="a challenge decision",
        acting_user=office,
    )
    waiver_grant(
        candidate=candidate,
        certification="ml-expert",
        evaluation=PORTFOLIO,
        acting_user=office,
        reason="recognised prior certification",
        granted_on=date(2026, 6, 2),
    )
    attempt_cancel(
        attempt=book(candidate, TEST, date(2030, 3, 2), certification="mlops"),
        acting_user=candidate,
    )

    assert (awarded, withdrawn) == ([], [])
    assert history_for(candidate).certificates == ()
    assert not InvoiceLine.objects.exists()
    assert not CreditNote.objects.exists()
    assert not Certificate.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="billing.").exists()
    # the events were still sent: only no one acted on them
    assert [name for name, _, _ in sent].count("completions_changed") == 4


def test_without_psychometrics_a_form_is_scored_on_its_raw_percent(alone):
    equating = ports.equated_score(certification="ml-expert", items=["1"], shares=[Decimal(1)])

    assert equating.decision.allowed
    assert equating.score is None
    resources = ports.resources_for_topics(
        certification="ml-expert", topics=["x"], today=date(2026, 3, 2)
    )
    assert resources == {}

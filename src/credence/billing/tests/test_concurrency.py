"""R9 under real concurrency on PostgreSQL: 50 threads, each with its own database connection,
approve refunds (some twice, some retried with the same key) and top the fund up (some
retried) at the same moment. The fund never goes below zero, no refund is granted or paid
twice, retried top-ups count once, and the queue is paid strictly in order."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from credence.accounts.models import User
from credence.billing.checks import ledger_problems
from credence.billing.fund import fund_top_up, refund_approve
from credence.billing.invoices import invoice_attempt
from credence.billing.models import Entry, EntryKind, Fund, Refund, RefundStatus, TopUp
from credence.billing.policy import QueuedRefund, queue_order
from credence.catalog import api as catalog_api
from credence.exams.models import Attempt
from credence.exams.statuses import AttemptStatus

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CANDIDATES = 20
TOP_UP = Decimal("250.00")


def excellent_candidate(n: int, office: User) -> Attempt:
    """A candidate (registered before every cohort: full fee) with both NLP evaluations
    invoiced and passed over 90, written directly so that no refund is approved yet."""
    user = User.objects.create_user(f"c{n}@example.invalid", "x" * 12, full_name=f"C {n}")
    user.date_joined = user.date_joined.replace(year=2025, month=1)
    user.save(update_fields=["date_joined"])
    attempts = []
    for evaluation, score in (("knowledge-test", "95"), ("portfolio", "97")):
        attempt = Attempt.objects.create(
            candidate=user,
            certification=catalog_api.certification_model("nlp"),
            evaluation=catalog_api.evaluation_model(evaluation),
            held_on=date(2026, 1, 10),
            status=AttemptStatus.PASSED,
            score=Decimal(score),
            released_on=date(2026, 1, 12),
        )
        invoice_attempt(attempt=attempt, acting_user=office)
        attempts.append(attempt)
    return attempts[1]


def test_fifty_concurrent_refund_approvals_and_top_ups():
    call_command("program", "load", verbosity=0)
    office = User.objects.create_user("office@example.invalid", "x" * 12, full_name="Office")
    fund_top_up(
        amount=Decimal("300.00"),
        received_on=date(2026, 1, 1),
        acting_user=office,
        idempotency_key="initial",
    )
    portfolios = [excellent_candidate(n, office) for n in range(CANDIDATES)]

    # 40 approvals: every candidate twice (once keyed, once not), 10 top-ups: 6 distinct
    # keys, 4 of them sent a second time as retries.
    jobs: list[tuple[str, object]] = []
    for n, attempt in enumerate(portfolios):
        jobs.append(("approve", (attempt, f"approve-{n}")))
        jobs.append(("approve", (attempt, None)))
    top_up_keys = [f"top-up-{k}" for k in range(6)] + [f"top-up-{k}" for k in range(4)]
    jobs += [("top_up", key) for key in top_up_keys]
    assert len(jobs) == 50

    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def work(kind: str, payload: object) -> None:
        try:
            barrier.wait()
            if kind == "approve":
                attempt, key = payload  # type: ignore[misc]
                refund_approve(attempt=attempt, acting_user=office, idempotency_key=key)
            else:
                fund_top_up(
                    amount=TOP_UP,
                    received_on=date(2026, 2, 1),
                    acting_user=office,
                    idempotency_key=str(payload),
                )
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []

    # Every candidate was granted exactly one refund, of what they paid (2 x 200).
    refunds = list(Refund.objects.all())
    assert len(refunds) == CANDIDATES
    assert {r.amount for r in refunds} == {Decimal("400.00")}
    # Retried top-ups counted once.
    assert TopUp.objects.count() == 1 + 6
    paid = [r for r in refunds if r.status == RefundStatus.PAID]
    for refund in refunds:
        assert Entry.objects.filter(refund=refund, kind=EntryKind.REFUND).count() == (
            1 if refund.status == RefundStatus.PAID else 0
        )
    fund = Fund.objects.get()
    money_in = Decimal("300.00") + 6 * TOP_UP
    assert fund.balance == money_in - len(paid) * Decimal("400.00")
    assert fund.balance >= 0
    # Strictly in order: the paid refunds are the head of the queue, and the first one still
    # waiting is more than the fund holds.
    order = [
        q.refund_id
        for q in queue_order(QueuedRefund(r.pk, r.qualified_at, r.amount) for r in refunds)
    ]
    assert sorted(r.pk for r in paid) == sorted(order[: len(paid)])
    if len(paid) < len(refunds):
        assert Decimal("400.00") > fund.balance
    assert len(paid) == int(money_in // Decimal("400.00"))
    # And the books hold every invariant, including a fund that never dipped below zero.
    assert ledger_problems() == []

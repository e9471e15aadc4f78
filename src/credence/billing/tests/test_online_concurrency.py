"""Stripe's webhook under real concurrency on PostgreSQL: the same event delivered by 12
requests at once, and 12 more of another event of the same payment (its async success), each
request on its own database connection through the real view and signature check. The money
is recorded once, each event is kept once, and the books balance."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from credence.accounts.models import User
from credence.billing.checks import ledger_problems
from credence.billing.invoices import invoice_attempt
from credence.billing.models import (
    Entry,
    EntryKind,
    EventOutcome,
    Payment,
    PaymentMethod,
    ProviderEvent,
)
from credence.catalog import api as catalog_api
from credence.exams.models import Attempt

from .stripe_fakes import SECRET_KEY, WEBHOOK_SECRET, checkout_session, event, signature

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DELIVERIES = 12


def test_concurrent_deliveries_of_one_payment_record_it_once(settings):
    settings.CREDENCE_STRIPE_SECRET_KEY = SECRET_KEY
    settings.CREDENCE_STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    call_command("program", "load", verbosity=0)
    # registered before every cohort: the full fee, 200.00 EUR, is hers to pay
    user = User.objects.create_user("ada@example.invalid", "x" * 12, full_name="Ada")
    user.date_joined = user.date_joined.replace(year=2025, month=1)
    user.save(update_fields=["date_joined"])
    attempt = Attempt.objects.create(
        candidate=user,
        certification=catalog_api.certification_model("nlp"),
        evaluation=catalog_api.evaluation_model("knowledge-test"),
        held_on=date(2026, 1, 10),
    )
    invoice = invoice_attempt(attempt=attempt, acting_user=None)
    session = {"invoice_id": invoice.pk, "invoice_number": invoice.number, "amount_total": 20000}
    completed = event(checkout_session(**session), id="evt_1QCredenceRace0000001")
    succeeded = event(
        checkout_session(**session),
        type="checkout.session.async_payment_succeeded",
        id="evt_1QCredenceRace0000002",
    )
    payloads = [completed] * DELIVERIES + [succeeded] * DELIVERIES

    barrier = threading.Barrier(len(payloads))
    answers: list[int] = []
    errors: list[BaseException] = []

    def deliver(payload: str) -> None:
        try:
            client = Client()
            headers = {"Stripe-Signature": signature(payload)}
            barrier.wait()
            response = client.post(
                "/billing/stripe/webhook/",
                data=payload,
                content_type="application/json",
                headers=headers,
            )
            answers.append(response.status_code)
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(p,)) for p in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert answers == [200] * len(payloads)

    payment = Payment.objects.get()
    assert payment.method == PaymentMethod.STRIPE and payment.amount == Decimal("200.00")
    assert Entry.objects.filter(kind=EntryKind.PAYMENT).count() == 1
    outcomes = sorted(ProviderEvent.objects.values_list("event_id", "outcome"))
    assert len(outcomes) == 2
    assert sorted(o for _, o in outcomes) == sorted(
        [EventOutcome.RECORDED, EventOutcome.ALREADY_RECORDED]
    )
    assert ledger_problems() == []

"""Online payment through Stripe Checkout (decision 0035): the candidate's "Pay online" opens a
Checkout Session through stripe-python against a real local server standing in for Stripe;
Stripe's webhook, signed as Stripe signs it, records the payment once through the service
that records bank transfers, and refuses what is unsigned, stale, or does not match."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from credence.audit.models import AuditEvent
from credence.billing.checks import ledger_problems
from credence.billing.models import (
    Entry,
    EntryKind,
    EventOutcome,
    Invoice,
    Payment,
    PaymentMethod,
    ProviderEvent,
)
from credence.billing.policy import (
    from_minor_units,
    minor_units,
    online_payment_check,
    pays_invoice,
)
from credence.billing.selectors import invoice_view

from .conftest import book, make_candidate, pay, top_up
from .stripe_fakes import (
    SECRET_KEY,
    SESSION_URL,
    WEBHOOK_SECRET,
    checkout_session,
    event,
    fake_stripe,
    signature,
)

WEBHOOK = "/billing/stripe/webhook/"
PUBLIC = "https://certs.example.test"


@pytest.fixture
def stripe_on(settings):
    settings.CREDENCE_STRIPE_SECRET_KEY = SECRET_KEY
    settings.CREDENCE_STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.CREDENCE_PUBLIC_URL = PUBLIC
    with fake_stripe() as fake:
        settings.CREDENCE_STRIPE_API_BASE = fake.base
        yield fake


@pytest.fixture
def invoice(office, first_cohort) -> Invoice:
    """Ada's first invoice: 200.00 EUR, half from the fund, 100.00 EUR for her to pay."""
    top_up(office, "500.00")
    book(first_cohort)
    return Invoice.objects.get()


def completed(invoice: Invoice, **session: object) -> str:
    fields: dict = {
        "invoice_id": invoice.pk,
        "invoice_number": invoice.number,
        "amount_total": 10000,
    }
    fields.update(session)
    return event(checkout_session(**fields))


def deliver(client, payload: str, header: str | None = None):
    return client.post(
        WEBHOOK,
        data=payload,
        content_type="application/json",
        headers={"Stripe-Signature": signature(payload) if header is None else header},
    )


def stored() -> tuple[int, int, int, int]:
    return (
        Payment.objects.count(),
        ProviderEvent.objects.count(),
        Entry.objects.filter(kind=EntryKind.PAYMENT).count(),
        AuditEvent.objects.count(),
    )


# --- the rules -------------------------------------------------------------------------------


def test_amounts_go_to_stripe_in_the_smallest_unit_exactly():
    assert minor_units(Decimal("100.00"), "EUR") == 10000
    assert minor_units(Decimal("0.10"), "EUR") == 10
    assert minor_units(Decimal("1234567.89"), "eur") == 123456789
    assert minor_units(Decimal("150"), "JPY") == 150
    with pytest.raises(ValueError):
        minor_units(Decimal("150.50"), "JPY")
    with pytest.raises(ValueError):
        minor_units(Decimal("0.005"), "EUR")
    assert from_minor_units(10000, "EUR") == Decimal("100.00")
    assert from_minor_units(150, "JPY") == Decimal("150.00")


def test_only_money_received_pays_an_invoice():
    assert pays_invoice(event_type="checkout.session.completed", payment_status="paid")
    assert pays_invoice(
        event_type="checkout.session.async_payment_succeeded", payment_status="paid"
    )
    # a SEPA debit completes the session unpaid: the money comes with the later event
    assert not pays_invoice(event_type="checkout.session.completed", payment_status="unpaid")
    assert not pays_invoice(event_type="checkout.session.expired", payment_status="unpaid")
    assert not pays_invoice(event_type="payment_intent.succeeded", payment_status="")


def test_the_money_must_be_what_the_invoice_asks():
    check = {"invoice_currency": "EUR", "outstanding": Decimal("100.00")}
    assert online_payment_check(units=10000, currency="eur", **check).allowed
    assert "is open" in online_payment_check(units=9999, currency="EUR", **check).reason
    assert "in EUR" in online_payment_check(units=10000, currency="usd", **check).reason
    paid = {"invoice_currency": "EUR", "outstanding": Decimal("0.00")}
    assert not online_payment_check(units=0, currency="EUR", **paid).allowed


# --- paying online -----------------------------------------------------------------------------


def test_without_both_secrets_the_invoice_offers_bank_transfer_only(
    client, settings, first_cohort, invoice
):
    settings.CREDENCE_STRIPE_SECRET_KEY = SECRET_KEY  # the webhook's secret is missing
    settings.CREDENCE_STRIPE_WEBHOOK_SECRET = ""
    client.force_login(first_cohort)
    fees = client.get("/billing/")
    page = fees.content.decode()
    assert "Quote the invoice number" in page and "Pay online" not in page
    assert "stripe.com" not in fees["Content-Security-Policy"]
    response = client.post(f"/billing/invoices/{invoice.number}/pay-online/", follow=True)
    assert "Online payment is not offered" in response.content.decode()
    payload = completed(invoice)
    assert deliver(client, payload).status_code == 404
    assert Payment.objects.count() == 0


def test_pay_online_opens_a_checkout_session_for_what_is_open(
    client, stripe_on, first_cohort, invoice
):
    client.force_login(first_cohort)
    fees = client.get("/billing/")
    page = fees.content.decode()
    assert "Pay online" in page and f"/billing/invoices/{invoice.number}/pay-online/" in page
    # the browser follows the form's redirect to Stripe only if the page's CSP allows it
    assert "form-action 'self' https://checkout.stripe.com" in fees["Content-Security-Policy"]

    response = client.post(f"/billing/invoices/{invoice.number}/pay-online/")
    assert response.status_code == 302 and response.url == SESSION_URL

    (sent,) = stripe_on.requests
    assert sent.path == "/v1/checkout/sessions"
    assert sent.headers["Authorization"] == f"Bearer {SECRET_KEY}"
    assert sent.headers["Idempotency-Key"] == "credence-checkout-INV-2026-00001-10000-2026-03-10"
    form = sent.form
    assert form["mode"] == "payment"
    assert form["line_items[0][quantity]"] == "1"
    assert form["line_items[0][price_data][unit_amount]"] == "10000"
    assert form["line_items[0][price_data][currency]"] == "eur"
    assert form["line_items[0][price_data][product_data][name]"].startswith("INV-2026-00001 · ")
    assert form["client_reference_id"] == str(invoice.pk)
    assert form["metadata[invoice_id]"] == str(invoice.pk)
    assert form["metadata[invoice]"] == "INV-2026-00001"
    assert form["payment_intent_data[metadata][invoice_id]"] == str(invoice.pk)
    assert form["customer_email"] == "ada@example.invalid"
    assert form["success_url"] == f"{PUBLIC}/billing/?checkout=done"
    assert form["cancel_url"] == f"{PUBLIC}/billing/?checkout=cancelled"
    started = AuditEvent.objects.get(action="billing.online_payment_started")
    assert started.after["session"].startswith("cs_test_") and started.after["amount"] == "100.00"

    # a double click asks Stripe with the same key, so Stripe answers with the same session
    client.post(f"/billing/invoices/{invoice.number}/pay-online/")
    assert [r.headers["Idempotency-Key"] for r in stripe_on.requests] == [
        sent.headers["Idempotency-Key"]
    ] * 2
    # nothing is recorded until Stripe's webhook says the money arrived
    assert Payment.objects.count() == 0


def test_a_part_payment_leaves_the_rest_to_pay_online(
    client, stripe_on, office, first_cohort, invoice
):
    pay(office, invoice, "40.00")
    client.force_login(first_cohort)
    client.post(f"/billing/invoices/{invoice.number}/pay-online/")
    assert stripe_on.requests[0].form["line_items[0][price_data][unit_amount]"] == "6000"


def test_coming_back_from_checkout_says_what_happens_next(client, stripe_on, first_cohort, invoice):
    client.force_login(first_cohort)
    done = client.get("/billing/?checkout=done").content.decode()
    assert "Thank you: your online payment was sent" in done
    cancelled = client.get("/billing/?checkout=cancelled").content.decode()
    assert "nothing was charged" in cancelled


def test_a_paid_invoice_offers_no_online_payment(client, stripe_on, office, first_cohort, invoice):
    pay(office, invoice)
    client.force_login(first_cohort)
    assert "/pay-online/" not in client.get("/billing/").content.decode()
    response = client.post(f"/billing/invoices/{invoice.number}/pay-online/", follow=True)
    assert "Nothing is left to pay on INV-2026-00001" in response.content.decode()
    assert stripe_on.requests == []


def test_only_the_invoices_candidate_may_pay_it_online(client, stripe_on, office, invoice):
    for person in (office, make_candidate("other", invoice.issued_on)):
        client.force_login(person)
        assert client.post(f"/billing/invoices/{invoice.number}/pay-online/").status_code == 404
    assert stripe_on.requests == []


def test_the_service_itself_refuses_anyone_but_the_invoices_candidate(stripe_on, office, invoice):
    from credence.billing.ledger import BillingError
    from credence.billing.online_services import checkout_start

    with pytest.raises(BillingError, match="Only the candidate the invoice is addressed to"):
        checkout_start(invoice=invoice, acting_user=office)
    assert stripe_on.requests == []


def test_stripe_unavailable_is_said_and_nothing_is_recorded(
    client, stripe_on, first_cohort, invoice
):
    stripe_on.status = 400
    client.force_login(first_cohort)
    response = client.post(f"/billing/invoices/{invoice.number}/pay-online/", follow=True)
    assert "Online payment is not available at the moment" in response.content.decode()
    assert not AuditEvent.objects.filter(action="billing.online_payment_started").exists()


def test_a_session_already_completed_is_not_opened_again(client, stripe_on, first_cohort, invoice):
    stripe_on.answer_url = None  # Stripe gives no address for a completed session
    client.force_login(first_cohort)
    response = client.post(f"/billing/invoices/{invoice.number}/pay-online/", follow=True)
    assert "already under way" in response.content.decode()


# --- the webhook -------------------------------------------------------------------------------


def test_a_completed_checkout_is_recorded_like_a_bank_transfer(
    client, stripe_on, office, first_cohort, invoice
):
    response = deliver(client, completed(invoice))
    assert response.status_code == 200

    payment = Payment.objects.get()
    assert payment.method == PaymentMethod.STRIPE and payment.get_method_display() == "Stripe"
    assert payment.provider_reference == "pi_3QCredence0000000001"
    assert payment.amount == Decimal("100.00") and payment.recorded_by is None
    assert payment.received_on.isoformat() == "2026-03-10"
    entry = Entry.objects.get(kind=EntryKind.PAYMENT)
    assert entry.memo == "INV-2026-00001 Stripe pi_3QCredence0000000001"
    assert {(line.account, line.amount) for line in entry.lines.all()} == {
        ("bank", Decimal("100.00")),
        ("receivable", Decimal("-100.00")),
    }
    audit = AuditEvent.objects.get(action="billing.payment_recorded")
    assert audit.after["method"] == "stripe" and audit.after["reference"] == payment.reference
    assert invoice_view(invoice).confirmed
    row = ProviderEvent.objects.get()
    assert (row.outcome, row.invoice, row.payment) == (EventOutcome.RECORDED, invoice, payment)
    assert ledger_problems() == []

    client.force_login(first_cohort)
    page = client.get("/billing/").content.decode()
    assert "Paid: booking confirmed" in page and "/pay-online/" not in page
    client.force_login(office)
    desk = client.get("/billing/office/").content.decode()
    assert "Online payments" in desk
    assert "Stripe" in desk and "pi_3QCredence0000000001" in desk and "Payment recorded" in desk


def test_a_replayed_event_records_nothing_twice(client, stripe_on, invoice):
    payload = completed(invoice)
    assert deliver(client, payload).status_code == 200
    after_first = stored()
    # Stripe delivers again (a retry after a timeout)
    assert deliver(client, payload).status_code == 200
    assert stored() == after_first
    # another event of the same payment (another event id, the same payment intent)
    other = event(
        checkout_session(invoice_id=invoice.pk, invoice_number=invoice.number, amount_total=10000),
        type="checkout.session.async_payment_succeeded",
        id="evt_1QCredenceEvent000000002",
    )
    assert deliver(client, other).status_code == 200
    assert Payment.objects.count() == 1
    assert [e.outcome for e in ProviderEvent.objects.order_by("pk")] == [
        EventOutcome.RECORDED,
        EventOutcome.ALREADY_RECORDED,
    ]
    assert ledger_problems() == []


def test_a_delayed_payment_is_recorded_when_it_succeeds(client, stripe_on, invoice):
    session = {"invoice_id": invoice.pk, "invoice_number": invoice.number, "amount_total": 10000}
    pending = event(checkout_session(payment_status="unpaid", **session))
    assert deliver(client, pending).status_code == 200
    assert stored()[:3] == (0, 0, 0)
    succeeded = event(
        checkout_session(**session),
        type="checkout.session.async_payment_succeeded",
        id="evt_1QCredenceEvent000000003",
    )
    assert deliver(client, succeeded).status_code == 200
    assert Payment.objects.get().method == PaymentMethod.STRIPE


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(lambda p: signature(p, secret="whsec_someone_else"), id="wrong-secret"),
        pytest.param(lambda p: signature(p, at=int(time.time()) - 301), id="expired-timestamp"),
        pytest.param(lambda p: signature(p.replace("10000", "1")), id="signed-other-body"),
        pytest.param(lambda p: "", id="no-signature"),
        pytest.param(lambda p: "t=1,v1=abc", id="malformed"),
    ],
)
def test_an_unsigned_or_stale_event_is_refused_and_nothing_stored(
    client, stripe_on, invoice, header
):
    payload = completed(invoice)
    before = stored()
    response = deliver(client, payload, header(payload))
    assert response.status_code == 400
    assert stored() == before


def test_a_payment_that_does_not_match_the_invoice_is_refused_and_audited(
    client, stripe_on, office, invoice
):
    payload = completed(invoice, amount_total=5000)
    assert deliver(client, payload).status_code == 200
    assert Payment.objects.count() == 0
    row = ProviderEvent.objects.get()
    assert row.outcome == EventOutcome.REFUSED and row.invoice == invoice
    assert "Paid 50.00 EUR, but 100.00 EUR is open on the invoice." in row.reason
    audit = AuditEvent.objects.get(action="billing.online_payment_refused")
    assert audit.subject_user == invoice.candidate and audit.after["amount"] == 5000
    # a replay is neither recorded nor audited again
    deliver(client, payload)
    assert AuditEvent.objects.filter(action="billing.online_payment_refused").count() == 1

    dollars = event(
        checkout_session(
            invoice_id=invoice.pk,
            invoice_number=invoice.number,
            amount_total=10000,
            currency="usd",
            payment_intent="pi_3QCredenceDollars0001",
        ),
        id="evt_1QCredenceEvent000000004",
    )
    deliver(client, dollars)
    assert "Paid in USD, but the invoice is in EUR." in ProviderEvent.objects.last().reason
    assert Payment.objects.count() == 0

    client.force_login(office)
    desk = client.get("/billing/office/").content.decode()
    assert "Refused: Paid 50.00 EUR" in desk


def test_a_payment_for_an_unknown_invoice_is_refused(client, stripe_on, invoice):
    payload = event(
        checkout_session(invoice_id=999999, invoice_number="INV-1999-00001", amount_total=10000)
    )
    assert deliver(client, payload).status_code == 200
    assert ProviderEvent.objects.get().outcome == EventOutcome.REFUSED
    assert Payment.objects.count() == 0


def test_other_events_are_answered_and_ignored(client, stripe_on, invoice):
    before = stored()
    intent = {"id": "pi_3QCredence0000000001", "object": "payment_intent", "amount": 10000}
    for payload in (
        event(intent, type="payment_intent.succeeded", id="evt_1QCredenceOther01"),
        event(
            checkout_session(
                invoice_id=invoice.pk,
                invoice_number=invoice.number,
                amount_total=10000,
                payment_status="unpaid",
                status="expired",
            ),
            type="checkout.session.expired",
            id="evt_1QCredenceOther02",
        ),
    ):
        response = deliver(client, payload)
        assert response.status_code == 200
    assert stored() == before


def test_the_webhook_takes_no_get_and_needs_no_csrf_token(stripe_on, invoice):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.get(WEBHOOK).status_code == 405
    assert deliver(strict, completed(invoice)).status_code == 200
    assert Payment.objects.count() == 1


def test_misplaced_stripe_settings_are_named_at_start(settings):
    from credence.billing.configuration import billing_settings

    settings.CREDENCE_STRIPE_SECRET_KEY = SECRET_KEY
    settings.CREDENCE_STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    assert billing_settings() == []
    settings.CREDENCE_STRIPE_WEBHOOK_SECRET = ""
    assert [m.id for m in billing_settings()] == ["billing.W001"]
    settings.CREDENCE_STRIPE_SECRET_KEY = "pk_test_publishable"
    settings.CREDENCE_STRIPE_WEBHOOK_SECRET = "sk_test_in_the_wrong_place"
    assert [m.id for m in billing_settings()] == ["billing.E004", "billing.E005"]

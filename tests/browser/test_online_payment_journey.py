"""Online payment in a real browser (issue 19 item 6, decision 0035): "Pay online" appears on
an open invoice only when Stripe is configured; pressing it opens a Checkout Session through
stripe-python (against a local server standing in for Stripe's API) and the browser follows
the redirect to Stripe's checkout page (its origin answered by Playwright, as the network is
closed) under the page's Content Security Policy; Stripe's signed webhook then records the
payment, the candidate sees the invoice paid and the office sees it as "Stripe" with its
reference."""

from __future__ import annotations

import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, Route, expect
from signin import log_in

from credence.billing.models import Invoice, Payment, PaymentMethod
from credence.billing.tests.stripe_fakes import (
    SECRET_KEY,
    SESSION_URL,
    WEBHOOK_SECRET,
    checkout_session,
    event,
    fake_stripe,
    signature,
)
from credence.exams.services import attempt_book

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pay_an_invoice_online(
    page: Page, browser: Browser, live_server, office_and_ada, settings, screenshot
):
    office, ada = office_and_ada
    page.set_default_timeout(30_000)  # the machine is shared: a slow first page is not a fault
    settings.CREDENCE_PUBLIC_URL = live_server.url
    attempt = attempt_book(
        candidate=ada,
        certification="nlp",
        evaluation="knowledge-test",
        held_on=timezone.localdate() + timedelta(days=30),
        acting_user=ada,
    )
    invoice = Invoice.objects.get(lines__attempt=attempt)
    log_in(page, ada.email)

    # Without Stripe's two secrets the invoice offers bank transfer only.
    page.goto("/billing/")
    row = page.get_by_role("row").filter(has_text=invoice.number)
    expect(row).to_contain_text("Awaiting payment")
    expect(page.get_by_role("button", name="Pay online")).to_have_count(0)

    settings.CREDENCE_STRIPE_SECRET_KEY = SECRET_KEY
    settings.CREDENCE_STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    with fake_stripe() as stripe_api:
        settings.CREDENCE_STRIPE_API_BASE = stripe_api.base
        checkout_pages: list[str] = []

        def stripe_checkout(route: Route) -> None:
            checkout_pages.append(route.request.url)
            route.fulfill(
                content_type="text/html",
                body="<!doctype html><title>Stripe Checkout</title><h1>Pay Credence</h1>",
            )

        page.route("https://checkout.stripe.com/**", stripe_checkout)
        page.reload()
        pay = page.get_by_role("button", name=f"Pay online: {invoice.number}")
        expect(pay).to_have_text("Pay online")
        screenshot("billing-pay-online")
        pay.click()
        expect(page.get_by_role("heading", name="Pay Credence")).to_be_visible()
        assert checkout_pages == [SESSION_URL.split("#")[0]]  # the fragment stays in the browser
        (sent,) = stripe_api.requests
        assert sent.form["line_items[0][price_data][unit_amount]"] == str(
            int(invoice.amount_due * 100)
        )
        assert sent.form["success_url"] == f"{live_server.url}/billing/?checkout=done"

        # Stripe sends the candidate back, and its webhook reports the money.
        page.goto(sent.form["success_url"])
        expect(page.get_by_test_id("checkout-done")).to_contain_text("Thank you")
        payload = event(
            checkout_session(
                invoice_id=invoice.pk,
                invoice_number=invoice.number,
                amount_total=int(sent.form["line_items[0][price_data][unit_amount]"]),
            )
        )
        request = urllib.request.Request(
            f"{live_server.url}/billing/stripe/webhook/",
            data=payload.encode(),
            headers={"Content-Type": "application/json", "Stripe-Signature": signature(payload)},
            method="POST",
        )
        with urllib.request.urlopen(request) as answer:
            assert answer.status == 200

        page.goto("/billing/")
        expect(page.get_by_role("row").filter(has_text=invoice.number)).to_contain_text(
            "Paid: booking confirmed"
        )
        expect(page.get_by_role("button", name="Pay online")).to_have_count(0)
    payment = Payment.objects.get()
    assert payment.method == PaymentMethod.STRIPE

    desk_context = browser.new_context(base_url=str(live_server), locale="en-US")
    desk_context.set_default_timeout(30_000)
    desk = desk_context.new_page()
    log_in(desk, office.email)
    desk.goto("/billing/office/")
    online = desk.get_by_role("region", name="Online payments")
    expect(online.get_by_role("row").filter(has_text=invoice.number)).to_contain_text(
        f"Stripe {payment.provider_reference}"
    )
    desk_context.close()

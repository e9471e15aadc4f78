"""Stripe, the payment provider behind online payment (decision 0035). Only this module talks
to Stripe: it opens a Checkout Session for an invoice and verifies the webhook's signature,
and hands the rest of billing plain values, never Stripe's objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import stripe
from django.conf import settings

PROVIDER = "stripe"
# Where a Checkout Session's page is served (the ``url`` Stripe returns).
CHECKOUT_ORIGIN = "https://checkout.stripe.com"


class ProviderUnavailable(Exception):
    """Stripe could not be reached or refused the request; nothing was paid."""


class BadSignature(Exception):
    """The webhook request does not carry Stripe's valid, recent signature."""


def enabled() -> bool:
    """Online payment is offered only with both secrets: without the webhook's, a payment
    could be taken but never recorded."""
    return bool(settings.CREDENCE_STRIPE_SECRET_KEY and settings.CREDENCE_STRIPE_WEBHOOK_SECRET)


@dataclass(frozen=True)
class CheckoutRequest:
    invoice_id: int
    invoice_number: str
    description: str
    units: int  # the amount in the currency's smallest unit
    currency: str
    customer_email: str
    success_url: str
    cancel_url: str
    idempotency_key: str


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str | None  # None once the session is complete or expired


def checkout_session_create(request: CheckoutRequest) -> CheckoutSession:
    client = stripe.StripeClient(
        settings.CREDENCE_STRIPE_SECRET_KEY,
        base_addresses={"api": settings.CREDENCE_STRIPE_API_BASE},
        # retried with the same idempotency key, so a retry never opens a second session
        max_network_retries=2,
    )
    metadata = {"invoice_id": str(request.invoice_id), "invoice": request.invoice_number}
    params: Any = {
        "mode": "payment",
        "client_reference_id": str(request.invoice_id),
        "customer_email": request.customer_email,
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": request.currency.lower(),
                    "unit_amount": request.units,
                    "product_data": {"name": request.description},
                },
            }
        ],
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata, "description": request.invoice_number},
        "success_url": request.success_url,
        "cancel_url": request.cancel_url,
    }
    try:
        session = client.v1.checkout.sessions.create(
            params, options={"idempotency_key": request.idempotency_key}
        )
    except stripe.StripeError as error:
        raise ProviderUnavailable(str(error)) from error
    return CheckoutSession(id=session.id, url=session.url)


@dataclass(frozen=True)
class CheckoutEvent:
    """A verified webhook event with what billing reads of its Checkout Session (empty for
    events of other objects)."""

    id: str
    type: str
    created: datetime
    session_id: str = ""
    payment_status: str = ""
    payment_intent: str = ""
    units: int | None = None
    currency: str = ""
    invoice_id: int | None = None


def _invoice_id(session: dict[str, Any]) -> int | None:
    reference = session.get("client_reference_id") or (session.get("metadata") or {}).get(
        "invoice_id"
    )
    return int(reference) if reference and str(reference).isdigit() else None


def verified_event(payload: bytes, signature: str) -> CheckoutEvent:
    """The event in ``payload`` once Stripe's signature over it checks out with the webhook's
    secret and is at most five minutes old (Stripe's default tolerance, against replays)."""
    try:
        event = stripe.Webhook.construct_event(
            payload, signature, settings.CREDENCE_STRIPE_WEBHOOK_SECRET
        )
    except (stripe.SignatureVerificationError, ValueError) as error:
        raise BadSignature(str(error)) from error
    data = event.to_dict()
    created = datetime.fromtimestamp(int(data["created"]), tz=UTC)
    session = data.get("data", {}).get("object", {})
    if session.get("object") != "checkout.session":
        return CheckoutEvent(id=data["id"], type=data["type"], created=created)
    return CheckoutEvent(
        id=data["id"],
        type=data["type"],
        created=created,
        session_id=session.get("id") or "",
        payment_status=session.get("payment_status") or "",
        payment_intent=session.get("payment_intent") or "",
        units=session.get("amount_total"),
        currency=(session.get("currency") or "").upper(),
        invoice_id=_invoice_id(session),
    )

"""What the online-payment tests send and serve in Stripe's place: webhook events shaped like
Stripe's documented Checkout Session events, signed the way Stripe documents
(https://docs.stripe.com/webhooks#verify-manually: ``t=TIMESTAMP,v1=HMAC-SHA256(secret,
"TIMESTAMP.PAYLOAD")``), and a real local HTTP server that answers stripe-python's Checkout
Session request and keeps what it was sent. Nothing here replaces stripe-python itself."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

SECRET_KEY = "sk_test_credence0000000000000000"
WEBHOOK_SECRET = "whsec_credence0000000000000000000"
SESSION_ID = "cs_test_a1b2c3d4e5f6g7h8i9j0CredenceCheckoutSession"
SESSION_URL = f"https://checkout.stripe.com/c/pay/{SESSION_ID}#fidkdWxOYHwnPyd1blpxYHZxWjA"


def signature(payload: str, *, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    """The Stripe-Signature header Stripe sends with ``payload``."""
    timestamp = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def checkout_session(
    *,
    invoice_id: int,
    invoice_number: str,
    amount_total: int,
    currency: str = "eur",
    payment_status: str = "paid",
    payment_intent: str | None = "pi_3QCredence0000000001",
    status: str = "complete",
    url: str | None = None,
    created: int | None = None,
) -> dict[str, Any]:
    """A Checkout Session object as Stripe's API reference lists its fields
    (https://docs.stripe.com/api/checkout/sessions/object), for a payment-mode session."""
    created = int(time.time()) - 60 if created is None else created
    return {
        "id": SESSION_ID,
        "object": "checkout.session",
        "adaptive_pricing": {"enabled": False},
        "after_expiration": None,
        "allow_promotion_codes": None,
        "amount_subtotal": amount_total,
        "amount_total": amount_total,
        "automatic_tax": {"enabled": False, "liability": None, "status": None},
        "billing_address_collection": None,
        "cancel_url": "https://certs.example.test/billing/?checkout=cancelled",
        "client_reference_id": str(invoice_id),
        "client_secret": None,
        "consent": None,
        "consent_collection": None,
        "created": created,
        "currency": currency,
        "currency_conversion": None,
        "custom_fields": [],
        "custom_text": {
            "after_submit": None,
            "shipping_address": None,
            "submit": None,
            "terms_of_service_acceptance": None,
        },
        "customer": None,
        "customer_creation": "if_required",
        "customer_details": {
            "address": None,
            "email": "ada@example.invalid",
            "name": "Ada",
            "phone": None,
            "tax_exempt": "none",
            "tax_ids": [],
        },
        "customer_email": "ada@example.invalid",
        "expires_at": created + 24 * 60 * 60,
        "invoice": None,
        "invoice_creation": None,
        "livemode": False,
        "locale": None,
        "metadata": {"invoice_id": str(invoice_id), "invoice": invoice_number},
        "mode": "payment",
        "payment_intent": payment_intent,
        "payment_link": None,
        "payment_method_collection": "if_required",
        "payment_method_options": {},
        "payment_method_types": ["card", "sepa_debit"],
        "payment_status": payment_status,
        "phone_number_collection": {"enabled": False},
        "recovered_from": None,
        "saved_payment_method_options": None,
        "setup_intent": None,
        "shipping_address_collection": None,
        "shipping_cost": None,
        "shipping_details": None,
        "shipping_options": [],
        "status": status,
        "submit_type": None,
        "subscription": None,
        "success_url": "https://certs.example.test/billing/?checkout=done",
        "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "ui_mode": "hosted",
        "url": url,
    }


def event(
    obj: dict[str, Any],
    *,
    type: str = "checkout.session.completed",
    id: str = "evt_1QCredenceEvent000000001",
    created: int | None = None,
) -> str:
    """An Event object (https://docs.stripe.com/api/events/object) around ``obj``, as JSON."""
    return json.dumps(
        {
            "id": id,
            "object": "event",
            "api_version": "2025-08-27.basil",
            "created": int(time.time()) if created is None else created,
            "data": {"object": obj},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": type,
        }
    )


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, str]


@dataclass
class FakeStripe:
    """A local stand-in for api.stripe.com's Checkout Session endpoint."""

    base: str = ""
    requests: list[Received] = field(default_factory=list)
    answer_url: str | None = SESSION_URL
    status: int = 200


@contextmanager
def fake_stripe() -> Iterator[FakeStripe]:
    fake = FakeStripe()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            fake.requests.append(
                Received("POST", self.path, dict(self.headers), dict(parse_qsl(body)))
            )
            if fake.status != 200:
                answer: dict[str, Any] = {
                    "error": {"type": "api_error", "message": "Something went wrong."}
                }
            else:
                form = dict(parse_qsl(body))
                answer = checkout_session(
                    invoice_id=int(form["client_reference_id"]),
                    invoice_number=form["metadata[invoice]"],
                    amount_total=int(form["line_items[0][price_data][unit_amount]"]),
                    currency=form["line_items[0][price_data][currency]"],
                    payment_status="unpaid",
                    payment_intent=None,
                    status="open" if fake.answer_url else "complete",
                    url=fake.answer_url,
                )
            data = json.dumps(answer).encode()
            self.send_response(fake.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", "req_credence")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()

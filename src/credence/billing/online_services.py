"""Online payment (decision 0035): a candidate pays an open invoice through Stripe Checkout,
and Stripe's webhook reports the money, which is recorded by ``payment_record``, the service
that records a bank transfer: the same ledger entries, audit event and settlement.

Each reported payment is recorded once, however often or concurrently Stripe delivers it:
the event id is claimed first (unique in ``ProviderEvent``), the payment is keyed by Stripe's
payment intent (its idempotency key, and unique in ``Payment``)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from credence.accounts import api as accounts_api
from credence.accounts.models import User
from credence.audit.api import record
from credence.billing import stripe_gateway as gateway
from credence.billing.ledger import BillingError, program_today
from credence.billing.models import EventOutcome, Invoice, PaymentMethod, ProviderEvent
from credence.billing.payments import payment_record
from credence.billing.policy import minor_units, online_payment_check, pays_invoice
from credence.billing.selectors import invoice_due, invoice_paid
from credence.catalog import api as catalog_api
from credence.core.decisions import Refused
from credence.core.public import public_url


def checkout_start(*, invoice: Invoice, acting_user: User) -> str:
    """Open a Stripe Checkout Session for what is still open on the invoice and return its
    address, where the candidate pays. Asking again the same day for the same amount (a
    double click, a reload) gets the same session back: the idempotency key is the invoice,
    the amount and the day (a Checkout Session lives 24 hours; Stripe keeps a key at least
    as long)."""
    if not gateway.enabled():
        raise BillingError(_("Online payment is not offered: please pay by bank transfer."))
    if invoice.candidate_id != getattr(acting_user, "pk", None):
        raise BillingError(_("Only the candidate the invoice is addressed to can pay it online."))
    outstanding = invoice_due(invoice) - invoice_paid(invoice)
    if outstanding <= 0:
        raise BillingError(_("Nothing is left to pay on %(number)s.") % {"number": invoice.number})
    units = minor_units(outstanding, invoice.currency)
    fees = reverse("billing:my-fees")
    description = ", ".join(line.description for line in invoice.lines.all())
    try:
        session = gateway.checkout_session_create(
            gateway.CheckoutRequest(
                invoice_id=invoice.pk,
                invoice_number=invoice.number,
                description=f"{invoice.number} · {description}"[:250],
                units=units,
                currency=invoice.currency,
                customer_email=invoice.candidate.email,
                success_url=public_url(f"{fees}?checkout=done"),
                cancel_url=public_url(f"{fees}?checkout=cancelled"),
                idempotency_key=f"credence-checkout-{invoice.number}-{units}-{program_today()}",
            )
        )
    except gateway.ProviderUnavailable as error:
        raise BillingError(
            _(
                "Online payment is not available at the moment (the payment provider did not "
                "answer). Please try again later or pay by bank transfer."
            )
        ) from error
    record(
        action="billing.online_payment_started",
        subject=invoice,
        actor=acting_user,
        subject_user=invoice.candidate,
        after={"provider": gateway.PROVIDER, "session": session.id, "amount": str(outstanding)},
    )
    if not session.url:
        raise BillingError(
            _(
                "Your online payment of %(number)s is already under way; the invoice shows as "
                "paid as soon as the payment provider confirms it."
            )
            % {"number": invoice.number}
        )
    return session.url


@transaction.atomic
def stripe_event_record(*, event: gateway.CheckoutEvent) -> ProviderEvent | None:
    """Record the payment a verified Stripe event reports. None for an event that reports no
    money received (another type, or a delayed payment not yet succeeded): nothing is stored.
    Otherwise the event's row: ``recorded``, ``already_recorded`` (another event of the same
    payment, or this very event delivered again), or ``refused`` with the reason, audited,
    when the money does not match the invoice (the office then decides, see decision 0035)."""
    if not pays_invoice(event_type=event.type, payment_status=event.payment_status):
        return None
    try:
        # Claimed first: a concurrent delivery of the same event waits here for this one's
        # commit, then finds the row and records nothing.
        with transaction.atomic():
            row = ProviderEvent.objects.create(
                provider=gateway.PROVIDER,
                event_id=event.id,
                event_type=event.type,
                outcome=EventOutcome.RECORDED,
            )
    except IntegrityError:
        return ProviderEvent.objects.get(provider=gateway.PROVIDER, event_id=event.id)
    invoice = (
        Invoice.objects.filter(pk=event.invoice_id).select_related("candidate").first()
        if event.invoice_id is not None
        else None
    )
    if invoice is None or not event.payment_intent or event.units is None:
        return _refuse(
            row,
            event,
            invoice,
            _("The payment names no invoice of this platform, or no payment."),
        )
    row.invoice = invoice
    accounts_api.user_lock(invoice.candidate_id)
    recorded = ProviderEvent.objects.filter(
        provider=gateway.PROVIDER, payment__provider_reference=event.payment_intent
    ).first()
    if recorded is not None:
        return _outcome(row, EventOutcome.ALREADY_RECORDED, payment=recorded.payment)
    outstanding = invoice_due(invoice) - invoice_paid(invoice)
    decision = online_payment_check(
        units=event.units,
        currency=event.currency,
        invoice_currency=invoice.currency,
        outstanding=outstanding,
    )
    if isinstance(decision, Refused):
        return _refuse(row, event, invoice, decision.reason)
    zone = ZoneInfo(catalog_api.program_rules().time_zone)
    payment = payment_record(
        reference=invoice.number,
        amount=outstanding,  # what was paid: the check above found them equal
        received_on=timezone.localdate(event.created, timezone=zone),
        acting_user=None,
        idempotency_key=f"{gateway.PROVIDER}:{event.payment_intent}",
        method=PaymentMethod.STRIPE,
        provider_reference=event.payment_intent,
    )
    return _outcome(row, EventOutcome.RECORDED, payment=payment)


def _outcome(row: ProviderEvent, outcome: str, **fields: Any) -> ProviderEvent:
    row.outcome = outcome
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()
    return row


def _refuse(
    row: ProviderEvent, event: gateway.CheckoutEvent, invoice: Invoice | None, reason: str
) -> ProviderEvent:
    _outcome(row, EventOutcome.REFUSED, reason=reason, invoice=invoice)
    record(
        action="billing.online_payment_refused",
        subject=row,
        subject_user=invoice.candidate if invoice else None,
        reason=reason,
        after={
            "provider": gateway.PROVIDER,
            "event": event.id,
            "payment": event.payment_intent,
            "amount": event.units,
            "currency": event.currency,
            "invoice": invoice.number if invoice else None,
        },
    )
    return row

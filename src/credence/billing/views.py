"""Thin views: the candidate's fees and refunds, and the program office's billing desk."""

from __future__ import annotations

import csv
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import sanitize_separators
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from credence.accounts.access import AuthenticatedHttpRequest, staff_only
from credence.billing import selectors, stripe_gateway
from credence.billing.charts import fund_chart_svg
from credence.billing.forms import PaymentForm, TopUpForm
from credence.billing.fund import fund_top_up, refund_transfer
from credence.billing.ledger import BillingError
from credence.billing.models import Invoice, Refund
from credence.billing.online_services import checkout_start, stripe_event_record
from credence.billing.payments import credit_payout, payment_record
from credence.billing.pdf import credit_note_pdf, invoice_pdf, refund_statement_pdf
from credence.billing.permissions import (
    access_credit_note,
    access_invoice,
    access_invoice_to_pay,
    access_refund,
)
from credence.catalog import api as catalog_api
from credence.core.l10n import money


def _currency() -> str:
    return catalog_api.program_model().currency


@login_required
def my_fees(request: AuthenticatedHttpRequest) -> HttpResponse:
    account = selectors.candidate_account(request.user, _currency())
    # Where Stripe sends the candidate back: the webhook, not this visit, records the payment.
    checkout = request.GET.get("checkout")
    online = stripe_gateway.enabled()
    response = render(
        request,
        "billing/my_fees.html",
        {
            "account": account,
            "online_payment": online,
            "checkout": checkout if checkout in ("done", "cancelled") else "",
        },
    )
    if online:
        # "Pay online" posts here and is redirected to Stripe's page: the browser checks that
        # redirect against this page's form-action, so Stripe's origin is allowed here only.
        response._csp_update = {"form-action": [stripe_gateway.CHECKOUT_ORIGIN]}  # type: ignore[attr-defined]
    return response


@login_required
@require_POST
def pay_online(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    invoice = access_invoice_to_pay(request, number)
    try:
        url = checkout_start(invoice=invoice, acting_user=request.user)
    except BillingError as error:
        messages.error(request, str(error))
        return redirect("billing:my-fees")
    return redirect(url)


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Stripe's webhook: no login and no CSRF token; Stripe's signature over the body is the
    authentication. Events that move no money are answered 200 and ignored; so is a payment
    that was refused (it is audited for the office), since a retry would not change it."""
    if not stripe_gateway.enabled():
        raise Http404
    try:
        event = stripe_gateway.verified_event(
            request.body, request.headers.get("Stripe-Signature", "")
        )
    except stripe_gateway.BadSignature:
        return HttpResponseBadRequest("invalid signature", content_type="text/plain")
    stripe_event_record(event=event)
    return HttpResponse("ok", content_type="text/plain")


@login_required
def invoice_download(request: HttpRequest, number: str) -> HttpResponse:
    invoice = access_invoice(request, number)
    return _pdf(invoice_pdf(invoice), f"{invoice.number}.pdf")


@login_required
def credit_note_download(request: HttpRequest, number: str) -> HttpResponse:
    note = access_credit_note(request, number)
    return _pdf(credit_note_pdf(note), f"{note.number}.pdf")


@login_required
def refund_statement_download(request: HttpRequest, pk: int) -> HttpResponse:
    refund = access_refund(request, pk)
    return _pdf(refund_statement_pdf(refund), f"refund-R9-{refund.pk}.pdf")


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_only
def office(request: HttpRequest) -> HttpResponse:
    done, queued = selectors.refunds_report()
    balances = selectors.account_balances()
    series = selectors.fund_series()
    invoices = Invoice.objects.select_related("candidate").prefetch_related(
        "lines", "credit_notes", "payments"
    )[:50]
    return render(
        request,
        "billing/office.html",
        {
            "currency": _currency(),
            "fund": selectors.fund_balance(),
            "series": series[-20:],
            "balances": balances,
            # A credit balance on "refunds payable" is money owed to candidates: shown positive.
            "refunds_owed": -balances["refunds_payable"],
            "refunds_done": done,
            "refunds_queued": queued,
            "revenue": selectors.revenue_report(),
            "invoices": [selectors.invoice_view(i) for i in invoices],
            "credits": selectors.candidates_in_credit(),
            "online_payment": stripe_gateway.enabled(),
            "online_events": selectors.online_payment_events(),
        },
    )


def _money_form(
    request: HttpRequest, form_class: type, template: str, operation: Callable[..., Any]
) -> HttpResponse:
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            operation(form.cleaned_data)
        except BillingError as error:
            form.add_error(None, str(error))
        else:
            return redirect("billing:office")
    return render(request, template, {"form": form})


@staff_only
def payment_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    def record_it(data: dict[str, Any]) -> None:
        payment = payment_record(
            reference=data["reference"],
            amount=data["amount"],
            received_on=data["received_on"],
            bank_reference=data["bank_reference"],
            acting_user=request.user,
            idempotency_key=data["idempotency_key"],
        )
        messages.success(
            request,
            _("Payment of %(amount)s recorded on %(invoice)s.")
            % {
                "amount": money(payment.amount, payment.invoice.currency),
                "invoice": payment.invoice.number,
            },
        )

    return _money_form(request, PaymentForm, "billing/payment_form.html", record_it)


@staff_only
def top_up_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    def top_it_up(data: dict[str, Any]) -> None:
        top_up = fund_top_up(
            amount=data["amount"],
            received_on=data["received_on"],
            note=data["note"],
            acting_user=request.user,
            idempotency_key=data["idempotency_key"],
        )
        messages.success(
            request,
            _("The fund was topped up by %(amount)s; waiting refunds were paid in order.")
            % {"amount": money(top_up.amount, _currency())},
        )

    return _money_form(request, TopUpForm, "billing/top_up_form.html", top_it_up)


@staff_only
@require_POST
def refund_transferred(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    refund = get_object_or_404(Refund, pk=pk)
    try:
        refund_transfer(
            refund=refund,
            acting_user=request.user,
            idempotency_key=request.POST.get("idempotency_key", ""),
        )
    except BillingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The refund transfer was recorded."))
    return redirect("billing:office")


@staff_only
@require_POST
def credit_paid_back(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(get_user_model(), pk=pk)
    try:
        # as the office's language writes it: "50,00" in German, "50.00" in either
        amount = Decimal(sanitize_separators(request.POST.get("amount", "")))
    except InvalidOperation:
        messages.error(request, _("Enter the amount paid back, such as 50.00."))
        return redirect("billing:office")
    try:
        credit_payout(
            candidate=candidate,
            amount=amount,
            acting_user=request.user,
            idempotency_key=request.POST.get("idempotency_key", ""),
        )
    except BillingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(amount)s paid back to %(name)s.")
            % {"amount": money(amount, _currency()), "name": candidate},
        )
    return redirect("billing:office")


@staff_only
def fund_chart(request: HttpRequest) -> HttpResponse:
    svg = fund_chart_svg(selectors.fund_series(), _currency())
    return HttpResponse(svg, content_type="image/svg+xml")


@staff_only
def revenue_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="revenue.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "certification",
            "cohort",
            "attempts",
            "cancelled",
            "fees",
            "subsidy",
            "candidates_share",
            "refunds_granted",
        ]
    )
    for row in selectors.revenue_report():
        writer.writerow(
            [
                row.certification,
                row.cohort,
                row.attempts,
                row.cancelled,
                row.fees,
                row.subsidy,
                row.candidates_share,
                row.refunded,
            ]
        )
    return response

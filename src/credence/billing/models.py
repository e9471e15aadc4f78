"""The billing ledger: invoices, credit notes, payments, the subsidy fund, excellence refunds,
and the double-entry journal every amount is traced to.

Journal entries and their lines are written once and never changed: a mistake or a
cancellation is undone by a new entry that reverses the old one (``Entry.reverses``).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypedDict

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class _MoneyColumn(TypedDict):
    max_digits: int
    decimal_places: int


MONEY: _MoneyColumn = {"max_digits": 12, "decimal_places": 2}


class Account(models.TextChoices):
    """The chart of accounts. Debits are positive amounts, credits negative; assets
    (receivables, bank) normally carry a debit balance, the rest a credit balance."""

    RECEIVABLE = "receivable", _("Candidate receivables")
    BANK = "bank", _("Bank")
    FEE_REVENUE = "fee_revenue", _("Fee revenue")
    VAT_PAYABLE = "vat_payable", _("VAT payable")
    SUBSIDY_FUND = "subsidy_fund", _("Subsidy fund")
    REFUNDS_PAYABLE = "refunds_payable", _("Refunds payable")


class EntryKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    SUBSIDY = "subsidy", _("Subsidy drawn from the fund")
    PAYMENT = "payment", _("Payment received")
    CREDIT_NOTE = "credit_note", _("Credit note")
    SUBSIDY_RETURN = "subsidy_return", _("Subsidy returned to the fund")
    TOP_UP = "top_up", _("Fund top-up")
    REFUND = "refund", _("Excellence refund paid from the fund")
    REFUND_SET_OFF = "refund_set_off", _("Refund set off against fees owed")
    REFUND_TRANSFER = "refund_transfer", _("Refund transferred to the candidate")
    CREDIT_PAYOUT = "credit_payout", _("Credit paid back to the candidate")


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    REFUND_SET_OFF = "refund_set_off", _("Excellence refund set off")
    CREDIT_APPLIED = "credit_applied", _("Credit moved between invoices")
    PAYOUT = "payout", _("Credit paid back")
    STRIPE = "stripe", _("Stripe")


class RefundStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the fund")
    PAID = "paid", _("Paid from the fund")
    TRANSFERRED = "transferred", _("Transferred to you")


class NoticeKind(models.TextChoices):
    PAID = "paid", _("Refund paid")
    QUEUED = "queued", _("Refund queued")
    PAID_FROM_QUEUE = "paid_from_queue", _("Queued refund paid")
    TRANSFERRED = "transferred", _("Refund transferred")


class DocumentCounter(models.Model):
    """The last number given out per document kind and calendar year. Numbers are taken
    under a row lock on this row inside the booking's transaction, so a rolled-back booking
    gives its number back and concurrent bookings queue: no gaps, no duplicates.

    .. no_pii:
    """

    kind = models.CharField(_("kind"), max_length=8)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="billing_counter_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind}-{self.year}: {self.last}"


class Invoice(models.Model):
    """One invoice per booked attempt (R7), with the subsidy the fund covers (R8).

    .. pii: the candidate it is addressed to and what they owe.
    .. pii_types: financial, other
    .. pii_retirement: retained for the statutory retention period (ten years in Germany);
       the candidate link is pseudonymized by the account erasure, amounts stay (issue 9).
    """

    number = models.CharField(_("number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    issued_on = models.DateField(_("issued on"))
    currency = models.CharField(_("currency"), max_length=3)
    total = models.DecimalField(_("fees"), **MONEY)
    subsidy = models.DecimalField(_("subsidy"), **MONEY)
    amount_due = models.DecimalField(_("amount due"), **MONEY)
    vat_treatment = models.CharField(_("VAT treatment"), max_length=16)
    vat_rate = models.DecimalField(_("VAT rate (percent)"), max_digits=5, decimal_places=2)
    vat = models.DecimalField(_("VAT contained"), **MONEY)
    cohort_code = models.CharField(_("cohort"), max_length=50, blank=True)
    subsidy_note = models.TextField(_("subsidy note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="billing_invoice_gapless"),
            models.CheckConstraint(
                condition=Q(amount_due=models.F("total") - models.F("subsidy")),
                name="billing_invoice_due_is_fee_less_subsidy",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class InvoiceLine(models.Model):
    """One attempt on an invoice: the fee, the subsidy drawn for it, and the candidate's share.

    .. pii: links a candidate's attempt to an amount.
    .. pii_types: financial
    .. pii_retirement: as its invoice.
    """

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="lines"
    )
    attempt = models.OneToOneField(
        "exams.Attempt",
        verbose_name=_("attempt"),
        on_delete=models.PROTECT,
        related_name="invoice_line",
    )
    description = models.CharField(_("description"), max_length=300)
    fee = models.DecimalField(_("fee"), **MONEY)
    subsidy = models.DecimalField(_("subsidy"), **MONEY)
    subsidy_share = models.DecimalField(_("subsidy share"), max_digits=4, decimal_places=3)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")

    def __str__(self) -> str:
        return self.description

    @property
    def candidate_share(self) -> Any:
        return self.fee - self.subsidy


class CreditNote(models.Model):
    """Cancels one invoice line in full (cancellation policy), with its own gapless numbers.

    .. pii: the candidate's cancelled booking and amount.
    .. pii_types: financial
    .. pii_retirement: as its invoice.
    """

    number = models.CharField(_("number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="credit_notes"
    )
    line = models.OneToOneField(
        InvoiceLine, verbose_name=_("line"), on_delete=models.PROTECT, related_name="credit_note"
    )
    issued_on = models.DateField(_("issued on"))
    fee = models.DecimalField(_("fee credited"), **MONEY)
    subsidy = models.DecimalField(_("subsidy returned to the fund"), **MONEY)
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="billing_credit_gapless")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def candidate_share(self) -> Any:
        return self.fee - self.subsidy


class Fund(models.Model):
    """The subsidy fund (R8, R9). ``balance`` mirrors the fund's ledger account and is only
    changed under a row lock; the database refuses a negative balance outright.

    .. no_pii:
    """

    code = models.SlugField(_("code"), max_length=30, unique=True)
    currency = models.CharField(_("currency"), max_length=3)
    balance = models.DecimalField(_("balance"), **MONEY, default=0)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="billing_fund_never_negative")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.balance} {self.currency}"


class TopUp(models.Model):
    """Money the program office puts into the subsidy fund.

    .. no_pii:
    """

    amount = models.DecimalField(_("amount"), **MONEY)
    received_on = models.DateField(_("received on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("fund top-up")
        verbose_name_plural = _("fund top-ups")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_top_up_positive")
        ]

    def __str__(self) -> str:
        return f"+{self.amount} ({self.received_on})"


class Refund(models.Model):
    """An excellence refund (R9). Each attempt can earn at most one refund (unique links), so
    a refund is never granted twice; ``qualified_at`` orders the queue.

    .. pii: a candidate's result-based refund and its amount.
    .. pii_types: financial, other
    .. pii_retirement: as invoices.
    """

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="refunds",
    )
    certification = models.ForeignKey(
        "catalog.Certification", verbose_name=_("certification"), on_delete=models.PROTECT
    )
    first_attempt = models.OneToOneField(
        "exams.Attempt",
        verbose_name=_("knowledge test attempt"),
        on_delete=models.PROTECT,
        related_name="refund_as_first",
    )
    second_attempt = models.OneToOneField(
        "exams.Attempt",
        verbose_name=_("portfolio attempt"),
        on_delete=models.PROTECT,
        related_name="refund_as_second",
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"), max_length=16, choices=RefundStatus.choices, default=RefundStatus.QUEUED
    )
    qualified_at = models.DateTimeField(_("qualified at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    transferred_at = models.DateTimeField(_("transferred at"), null=True, blank=True)

    class Meta:
        ordering = ["qualified_at", "id"]
        verbose_name = _("excellence refund")
        verbose_name_plural = _("excellence refunds")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_refund_positive")
        ]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.certification} · {self.amount}"


class Payment(models.Model):
    """Money matched to an invoice: a bank transfer, a refund set off, credit moved from an
    over-paid invoice to an open one (two rows that sum to zero), or credit paid back
    (negative).

    .. pii: what a candidate paid and their bank reference text.
    .. pii_types: financial
    .. pii_retirement: as its invoice.
    """

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="payments"
    )
    method = models.CharField(_("method"), max_length=16, choices=PaymentMethod.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    received_on = models.DateField(_("received on"))
    bank_reference = models.CharField(_("bank reference"), max_length=200, blank=True)
    # The payment provider's id of the money received (a Stripe payment intent): the database
    # takes each one once, however often or concurrently the provider reports it.
    provider_reference = models.CharField(_("provider reference"), max_length=255, blank=True)
    refund = models.ForeignKey(
        Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="set_offs"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="billing_payment_not_zero"),
            models.UniqueConstraint(
                fields=["method", "provider_reference"],
                condition=~Q(provider_reference=""),
                name="billing_payment_provider_reference_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} {self.method} {self.amount}"

    @property
    def reference(self) -> str:
        """What identifies the money: the provider's payment id or the bank statement text."""
        return self.provider_reference or self.bank_reference


class EventOutcome(models.TextChoices):
    RECORDED = "recorded", _("Payment recorded")
    ALREADY_RECORDED = "already_recorded", _("Payment already recorded by another event")
    REFUSED = "refused", _("Refused")


class ProviderEvent(models.Model):
    """A payment provider's webhook event that paid an invoice or was refused, kept once per
    event id: a replayed or concurrent delivery of the same event finds this row (the unique
    constraint) and records nothing.

    .. no_pii: the provider's event id, type and outcome; who paid is on the invoice it links to.
    """

    provider = models.CharField(_("provider"), max_length=16)
    event_id = models.CharField(_("event id"), max_length=255)
    event_type = models.CharField(_("event type"), max_length=100)
    outcome = models.CharField(_("outcome"), max_length=20, choices=EventOutcome.choices)
    reason = models.TextField(_("reason"), blank=True)
    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("payment provider event")
        verbose_name_plural = _("payment provider events")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"], name="billing_provider_event_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id} {self.outcome}"


class ImmutableQuerySet(models.QuerySet):
    """Journal rows are never changed in bulk either."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError("journal rows are never updated: post a reversing entry")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("journal rows are never deleted: post a reversing entry")


class Entry(models.Model):
    """One balanced journal entry, linked to the document or event that caused it.

    .. no_pii: amounts only; the candidate is on the lines.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    booked_at = models.DateTimeField(_("booked at"), auto_now_add=True, db_index=True)
    booked_on = models.DateField(_("booked on"))
    currency = models.CharField(_("currency"), max_length=3)
    memo = models.CharField(_("memo"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invoice = models.ForeignKey(Invoice, null=True, on_delete=models.PROTECT, related_name="+")
    credit_note = models.ForeignKey(
        CreditNote, null=True, on_delete=models.PROTECT, related_name="+"
    )
    payment = models.ForeignKey(Payment, null=True, on_delete=models.PROTECT, related_name="+")
    refund = models.ForeignKey(Refund, null=True, on_delete=models.PROTECT, related_name="+")
    top_up = models.ForeignKey(TopUp, null=True, on_delete=models.PROTECT, related_name="+")
    reverses = models.OneToOneField(
        "self", null=True, on_delete=models.PROTECT, related_name="reversed_by"
    )

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(invoice__isnull=False)
                | Q(credit_note__isnull=False)
                | Q(payment__isnull=False)
                | Q(refund__isnull=False)
                | Q(top_up__isnull=False),
                name="billing_entry_has_a_cause",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.memo}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("journal entries are never edited: post a reversing entry")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("journal entries are never deleted: post a reversing entry")


class Line(models.Model):
    """One side of an entry: a positive amount is a debit, a negative one a credit.

    .. pii: links a candidate to an amount (receivables and refunds payable).
    .. pii_types: financial
    .. pii_retirement: as invoices; the amounts stay so the ledger keeps balancing.
    """

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="lines")
    account = models.CharField(_("account"), max_length=20, choices=Account.choices)
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidate"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField(_("amount"), **MONEY)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["entry_id", "id"]
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        indexes = [models.Index(fields=["account", "candidate"])]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="billing_line_not_zero")]

    def __str__(self) -> str:
        return f"{self.account} {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("journal lines are never edited: post a reversing entry")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("journal lines are never deleted: post a reversing entry")


class RefundNotice(models.Model):
    """What a candidate was told about their refund, each time something happened to it
    (shown on their page and sent by e-mail after the commit).

    .. pii: a message to a candidate about their money.
    .. pii_types: financial
    .. pii_retirement: deleted with the account.
    """

    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    set_off = models.DecimalField(_("set off against fees owed"), **MONEY, default=0)
    position = models.PositiveIntegerField(_("place in the queue"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("refund notice")
        verbose_name_plural = _("refund notices")

    def __str__(self) -> str:
        return f"{self.refund_id} {self.kind}"


class IdempotencyKey(models.Model):
    """A money operation already carried out: a retried request with the same key gets the
    first result back instead of charging or refunding again.

    .. no_pii:
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    operation = models.CharField(_("operation"), max_length=40)
    result_id = models.BigIntegerField(_("result id"), null=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self) -> str:
        return f"{self.operation}:{self.key}"


def exact_sum(queryset: models.QuerySet[Any], field: str = "amount") -> Decimal:
    """The exact Decimal sum of one money column. SQL's SUM is not used: SQLite adds decimals
    as floating point, which would make a balanced ledger look off by 1e-15."""
    return sum(queryset.values_list(field, flat=True), Decimal("0.00"))


def grouped_sums(queryset: models.QuerySet, key: str, field: str = "amount") -> dict[Any, Any]:
    """Exact Decimal sums of one money column per value of ``key``, in first-seen order."""
    return sums_by(queryset.values_list(key, field))


def sums_by(pairs: Iterable[tuple[Any, Any]]) -> dict[Any, Any]:
    """Exact Decimal sums of ``(key, amount)`` pairs per key, in first-seen order."""
    from decimal import Decimal

    sums: dict[Any, Any] = {}
    for group, amount in pairs:
        sums[group] = sums.get(group, Decimal("0.00")) + amount
    return sums

"""The ledger engine every money operation of billing posts through: balanced journal entries
and their lines, gapless document numbers, the subsidy fund's row and its lock, idempotency
keys, and the program's date. ``credence billing check`` verifies what this module keeps:
every entry balances, the numbers have no gaps, the fund's row equals its account's lines
and never goes below zero (``checks.py``).

Lock order, everywhere: the candidate's row (taken by the exams services or the caller), then
the document counter (``next_sequence``), then the fund (``fund_lock``). The fund row is the
single lock that serialises every movement of the subsidy fund, so its balance is never read
stale and never goes below zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credence.accounts.models import User
from credence.billing.models import DocumentCounter, Entry, Fund, IdempotencyKey, Line
from credence.billing.policy import ZERO
from credence.catalog import api as catalog_api
from credence.core.compiled import CompiledRead, model_columns

FUND_CODE = "subsidy"


class BillingError(ValueError):
    """Bad input to a money operation; the message says what to correct. Nothing is stored."""


class IdempotencyConflict(BillingError):
    pass


# --- the program's date --------------------------------------------------------------------


def program_today() -> date:
    return today_in(catalog_api.program_model().time_zone)


def today_in(time_zone: str) -> date:
    # Each operation takes the program's date once and passes it on (a query for the program
    # row per journal entry made a booking's queries a third more, issue 14).
    return timezone.localdate(timezone=ZoneInfo(time_zone))


# --- idempotency keys ----------------------------------------------------------------------


def idempotency_claim(key: str, operation: str) -> IdempotencyKey | None:
    """The earlier run of this operation, or None after claiming ``key`` for this run.

    The key row is inserted in the caller's transaction: if it rolls back, the key is free
    again. A concurrent run with the same key waits on the unique index until the first
    commits, then finds its row."""
    key = key.strip()
    if not key:
        raise BillingError(_("An idempotency key is required for money operations."))
    # Insert first: a new key is the usual case, so looking for it first cost a query each time.
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(key=key, operation=operation)
            return None
    except IntegrityError:
        existing = IdempotencyKey.objects.get(key=key)
    if existing.operation != operation:
        raise IdempotencyConflict(_("This request key was already used for a different operation."))
    return existing


def idempotency_result(earlier: IdempotencyKey) -> int:
    """What the earlier run of a payment, transfer or top-up made: it remembered its result in
    the transaction that claimed the key, so a key found committed always has one."""
    assert earlier.result_id is not None
    return earlier.result_id


def idempotency_remember(key: str, result_id: int) -> None:
    IdempotencyKey.objects.filter(key=key.strip()).update(result_id=result_id)


# --- the subsidy fund's row ----------------------------------------------------------------

# Every booking's invoice reads it: compiled once (decision 0047, issue 14).
_FUND_COLUMNS = model_columns(Fund, "id", "code", "currency", "balance")
_FUND = CompiledRead(
    lambda: Fund.objects.select_for_update().filter(code=FUND_CODE).values_list(*_FUND_COLUMNS)
)


def fund_lock(currency: str) -> Fund:
    """The fund's row, locked until the caller's transaction ends (created when missing)."""
    rows = _FUND.rows()
    if not rows:
        try:
            with transaction.atomic():
                Fund.objects.create(code=FUND_CODE, currency=currency)
        except IntegrityError:
            pass  # created by a concurrent transaction; the lock below waits for it
        rows = _FUND.rows()
    return Fund.from_db(connection.alias, _FUND_COLUMNS, rows[0])


def fund_move(fund: Fund, delta: Decimal) -> None:
    """Move the locked fund's balance with the entry that posts the same amount."""
    if fund.balance + delta < 0:
        raise BillingError(_("The subsidy fund cannot go below zero."))
    fund.balance += delta
    fund.save(update_fields=["balance"])


# --- gapless document numbers --------------------------------------------------------------

# One statement takes the next number: the UPDATE locks the row until the booking commits,
# RETURNING gives the number (PostgreSQL, SQLite >= 3.35); the ORM would need two (issue 14).
_TAKE_NUMBER = (
    "UPDATE {table} SET {last} = {last} + 1 WHERE {kind} = %s AND {year} = %s RETURNING {last}"
)


def next_sequence(kind: str, year: int) -> int:
    """The next number of the ``kind`` series (``INV``, ``CN``) in ``year``; the counter row
    stays locked until the caller's transaction ends, so a rollback gives the number back."""
    quote = connection.ops.quote_name
    sql = _TAKE_NUMBER.format(
        table=quote(DocumentCounter._meta.db_table),
        last=quote("last"),
        kind=quote("kind"),
        year=quote("year"),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [kind, year])
        taken = cursor.fetchone()
        if taken is None:  # the year's first document
            try:
                with transaction.atomic():
                    DocumentCounter.objects.create(kind=kind, year=year)
            except IntegrityError:
                pass  # a concurrent booking created it; the UPDATE waits for its lock
            cursor.execute(sql, [kind, year])
            taken = cursor.fetchone()
    return int(taken[0])


# --- journal entries -----------------------------------------------------------------------

Posting = tuple[str, Decimal, Any]  # account, amount (debit > 0, credit < 0), candidate or None


def entry_draft(
    *,
    kind: str,
    memo: str,
    postings: Iterable[Posting],
    currency: str,
    acting_user: User | None,
    booked_on: date,
    reverses: Entry | None = None,
    **cause: Any,
) -> tuple[Entry, list[Posting]]:
    """A balanced journal entry, not yet saved, with its postings (see ``entries_save``)."""
    postings = [p for p in postings if p[1] != 0]
    if len(postings) < 2 or sum((p[1] for p in postings), ZERO) != 0:
        raise AssertionError(f"unbalanced entry {kind}: {postings}")
    entry = Entry(
        kind=kind,
        booked_on=booked_on,
        currency=currency,
        memo=memo[:300],
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
        reverses=reverses,
        **cause,
    )
    return entry, postings


def entries_save(*entries: tuple[Entry, list[Posting]]) -> list[Entry]:
    """Save entries and all their lines in two statements, however many entries there are
    (an invoice with a subsidy posts two)."""
    saved = Entry.objects.bulk_create([entry for entry, _ in entries])
    Line.objects.bulk_create(
        Line(entry=entry, account=account, amount=amount, candidate=candidate)
        for entry, postings in entries
        for account, amount, candidate in postings
    )
    return saved


def entry_post(**entry: Any) -> Entry:
    """Post one balanced entry (the keywords of ``entry_draft``)."""
    return entries_save(entry_draft(**entry))[0]


def entry_reverse(
    entry: Entry, *, kind: str, memo: str, acting_user: User | None, booked_on: date, **cause: Any
) -> Entry:
    """Post the entry that undoes ``entry`` line by line (the ledger is append-only)."""
    return entry_post(
        kind=kind,
        memo=memo,
        postings=[(line.account, -line.amount, line.candidate) for line in entry.lines.all()],
        currency=entry.currency,
        acting_user=acting_user,
        booked_on=booked_on,
        reverses=entry,
        **cause,
    )

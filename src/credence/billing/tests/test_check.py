"""``credence billing check``: it passes on sound books (the demo's among them) and fails,
naming the breach, on every kind of deliberately corrupted copy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from credence.billing.models import Account, Entry, Fund, Invoice, Line, Refund
from credence.demo.data import demo_populate

from .conftest import book, excel, pay, top_up


def check() -> str:
    call_command("billing", "check")
    return "ok"


def breaches(capsys) -> tuple[int, str]:
    with pytest.raises(CommandError) as failed:
        call_command("billing", "check")
    return failed.value.returncode, capsys.readouterr().err


@pytest.fixture
def books(office, late, first_cohort):
    """A little of everything: top-up, subsidised and full-fee invoices, payments, a refund."""
    top_up(office, "1000.00")
    book(first_cohort, "mlops")
    excel(late, office)
    for invoice in Invoice.objects.all():
        pay(office, invoice, "50.00")
    return late


def test_sound_books_pass(books, capsys):
    assert check() == "ok"
    out = capsys.readouterr().out
    assert out.startswith("OK: the ledger balances; fund 500.00")


def test_the_demo_data_passes(program, capsys):
    demo_populate(date(2026, 3, 10))
    assert Refund.objects.filter(candidate__email__startswith="excellent@").exists()
    assert Invoice.objects.count() >= 20
    assert check() == "ok"
    demo_populate(date(2026, 3, 10))  # running the demo again changes nothing in the books
    assert check() == "ok"


def _raw(sql: str, params: list[object]) -> None:
    # Straight to the database, the way a faulty script or a bad restore would write.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_inserted_unbalanced_row_is_a_breach(books, capsys):
    entry = Entry.objects.order_by("id").first()
    _raw(
        f"INSERT INTO {Line._meta.db_table} (entry_id, account, amount, candidate_id) "
        "VALUES (%s, %s, %s, NULL)",
        [entry.pk, Account.BANK.value, "10.00"],
    )
    code, err = breaches(capsys)
    assert code == 1
    assert f"entry #{entry.pk} does not balance" in err
    assert "trial balance is off by 10.00" in err


def test_a_fund_balance_that_disagrees_with_its_account_is_a_breach(books, capsys):
    _raw(f"UPDATE {Fund._meta.db_table} SET balance = %s", ["900.00"])
    _, err = breaches(capsys)
    assert "stored balance 900.00 differs from its ledger 500.00" in err


def test_a_refund_paid_twice_is_a_breach(books, capsys):
    refund = Refund.objects.get()
    paid = Entry.objects.get(refund=refund, kind="refund")
    _raw(
        f"INSERT INTO {Entry._meta.db_table} (kind, booked_at, booked_on, currency, memo, "
        "refund_id) VALUES ('refund', %s, %s, 'EUR', 'again', %s)",
        [paid.booked_at, paid.booked_on, refund.pk],
    )
    again = Entry.objects.order_by("-id").first()
    for line in paid.lines.all():
        _raw(
            f"INSERT INTO {Line._meta.db_table} (entry_id, account, amount, candidate_id) "
            "VALUES (%s, %s, %s, %s)",
            [again.pk, line.account, line.amount, line.candidate_id],
        )
    _, err = breaches(capsys)
    assert f"refund #{refund.pk} (paid) was paid 2 times" in err
    assert "went below zero" not in err  # 1000 - 100 subsidy - 400 - 400 is still >= 0


def test_an_invoice_whose_total_differs_from_its_lines_is_a_breach(books, capsys):
    invoice = Invoice.objects.order_by("id").first()
    _raw(
        f"UPDATE {Invoice._meta.db_table} SET total = %s, amount_due = %s WHERE id = %s",
        ["250.00", str(Decimal("250.00") - invoice.subsidy), invoice.pk],
    )
    _, err = breaches(capsys)
    assert f"invoice {invoice.number}: total 250.00" in err


def test_a_gap_in_the_invoice_numbers_is_a_breach(books, capsys):
    invoice = Invoice.objects.order_by("-id").first()
    _raw(
        f"UPDATE {Invoice._meta.db_table} SET sequence = 9, number = 'INV-2026-00009' "
        "WHERE id = %s",
        [invoice.pk],
    )
    _, err = breaches(capsys)
    assert "INV numbers of 2026 have gaps or duplicates" in err


def test_a_fund_driven_below_zero_is_a_breach(books, capsys):
    # A forged refund entry that takes more from the fund than it ever held.
    refund = Refund.objects.get()
    _raw(
        f"INSERT INTO {Entry._meta.db_table} (kind, booked_at, booked_on, currency, memo, "
        "refund_id) VALUES ('top_up', %s, %s, 'EUR', 'forged', %s)",
        ["2026-03-10 09:00:00+00:00", "2026-03-10", refund.pk],
    )
    forged = Entry.objects.order_by("-id").first()
    for account, amount in ((Account.SUBSIDY_FUND, "5000.00"), (Account.BANK, "-5000.00")):
        _raw(
            f"INSERT INTO {Line._meta.db_table} (entry_id, account, amount, candidate_id) "
            "VALUES (%s, %s, %s, NULL)",
            [forged.pk, account.value, amount],
        )
    _, err = breaches(capsys)
    assert "the subsidy fund went below zero (-4500.00)" in err

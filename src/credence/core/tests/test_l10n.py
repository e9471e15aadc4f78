"""Money, numbers, dates and times as each language writes them (decision 0036)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from credence.core.l10n import money, number

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("language", "amount", "shown"),
    [
        ("en", Decimal("150"), "150.00 EUR"),
        ("de", Decimal("150"), "150,00 EUR"),
        ("en", Decimal("1234.5"), "1,234.50 EUR"),
        ("de", Decimal("1234.5"), "1.234,50 EUR"),
        ("en", Decimal("-100.00"), "-100.00 EUR"),
        ("de", Decimal("0.005"), "0,01 EUR"),  # rounded half up, as the ledger rounds
    ],
)
def test_money_reads_as_the_language_writes_it(language: str, amount: Decimal, shown: str):
    with translation.override(language):
        assert money(amount, "EUR") == shown


def test_the_money_filter_is_the_same_helper_and_shows_nothing_for_no_amount():
    template = Template("{% load credence %}[{{ a|money:'EUR' }}][{{ none|money:'EUR' }}]")
    with translation.override("de"):
        assert template.render(Context({"a": Decimal("2500"), "none": None})) == "[2.500,00 EUR][]"


def test_a_number_without_currency_is_grouped_too():
    with translation.override("de"):
        assert number(Decimal("12345.678"), 1) == "12.345,7"


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [
        ("en", "Dec. 5, 2026", "Dec. 5, 2026, 8:26"),
        ("de", "5. Dezember 2026", "5. Dezember 2026 08:26"),
    ],
)
def test_one_date_style_and_a_24_hour_clock_in_each_language(language: str, day: str, moment: str):
    at = datetime(2026, 12, 5, 8, 26, tzinfo=BERLIN)
    with translation.override(language):
        for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT"):
            assert formats.date_format(date(2026, 12, 5), name) == day
        for name in ("DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"):
            assert formats.date_format(at, name) == moment
        # a sentence that ends in a time ends with one full stop
        assert not formats.date_format(at, "TIME_FORMAT").endswith(".")

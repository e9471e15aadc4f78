"""Calendar arithmetic the rules share.

"One calendar month" and "five years" are calendar steps that clamp to the end of a shorter
month (31 Jan + 1 month = 28/29 Feb; 29 Feb + 5 years = 28 Feb). dateutil's relativedelta does
exactly that, so we use it instead of hand-written month arithmetic.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta


def add_months(day: date, months: int) -> date:
    return day + relativedelta(months=months)


def add_years(day: date, years: int) -> date:
    return day + relativedelta(years=years)

"""Fixtures for billing tests: the loaded program, an office user with the staff role, and
candidates registered in each cohort; the clock stands on 10 March 2026 unless a test moves it."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.billing.fund import fund_top_up
from credence.billing.models import Invoice
from credence.billing.payments import payment_record
from credence.exams.services import attempt_book, attempt_record_result

TEST, PORTFOLIO = "knowledge-test", "portfolio"
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
_keys = itertools.count(1)


def key() -> str:
    return f"test-key-{next(_keys)}"


@pytest.fixture(autouse=True)
def english():
    # Reasons and notices are translated; these tests read the English ones, whatever
    # language an earlier test in the same thread left active.
    with translation.override("en"):
        yield


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def program(db, clock):
    call_command("program", "load", verbosity=0)


@pytest.fixture
def office(program):
    user = User.objects.create_user("office@example.invalid", "x" * 12, full_name="Olivia Office")
    user_assign_role(user=user, role=Role.STAFF, acting_user=None)
    return user


def make_candidate(local: str, joined: date) -> User:
    user = User.objects.create_user(f"{local}@example.invalid", "x" * 12, full_name=local.title())
    user.date_joined = datetime.combine(joined, datetime.min.time(), tzinfo=UTC) + timedelta(
        hours=12
    )
    user.save(update_fields=["date_joined"])
    user_assign_role(user=user, role=Role.CANDIDATE, acting_user=None)
    return user


@pytest.fixture
def first_cohort(program):
    """Registered in the first 2026 cohort: the fund covers half the fee."""
    return make_candidate("ada", date(2026, 2, 1))


@pytest.fixture
def late(program):
    """Registered in 2025, before every cohort: pays in full."""
    return make_candidate("late", date(2025, 6, 1))


def book(candidate, cert="nlp", evaluation=TEST, held_on=date(2026, 4, 1)):
    return attempt_book(
        candidate=candidate,
        certification=cert,
        evaluation=evaluation,
        held_on=held_on,
        acting_user=candidate,
    )


def result(attempt, score, office, released_on=None):
    return attempt_record_result(
        attempt=attempt,
        score=Decimal(score),
        released_on=released_on or attempt.held_on,
        acting_user=office,
    )


def top_up(office, amount):
    return fund_top_up(
        amount=Decimal(amount),
        received_on=date(2026, 3, 1),
        acting_user=office,
        idempotency_key=key(),
    )


def pay(office, invoice: Invoice, amount=None):
    return payment_record(
        reference=invoice.number,
        amount=Decimal(amount) if amount is not None else invoice.amount_due,
        received_on=date(2026, 3, 9),
        acting_user=office,
        idempotency_key=key(),
    )


def excel(candidate, office, cert="nlp", scores=("95", "93")):
    """Book and pass both evaluations of ``cert`` with scores over 90."""
    first = book(candidate, cert, TEST, date(2026, 4, 1))
    result(first, scores[0], office, date(2026, 4, 3))
    second = book(candidate, cert, PORTFOLIO, date(2026, 4, 20))
    return first, result(second, scores[1], office, date(2026, 4, 22))

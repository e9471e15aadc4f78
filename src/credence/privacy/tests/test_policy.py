"""The erasure rules E1-E4 as pure functions: examples, then properties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from credence.core.decisions import Allowed, Refused
from credence.privacy.policy import ErasureFacts, may_erase

REQUESTED = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def facts(**changes: object) -> ErasureFacts:
    values: dict[str, object] = {
        "requested_at": REQUESTED,
        "grace_days": 14,
        "owes": Decimal("0.00"),
        "owed_to_them": Decimal("0.00"),
        "currency": "EUR",
        "ongoing_attempts": 0,
        "portfolios_in_evaluation": 0,
    }
    values.update(changes)
    return ErasureFacts(**values)  # type: ignore[arg-type]


AFTER_GRACE = REQUESTED + timedelta(days=14)


def test_after_the_grace_period_with_nothing_open_it_is_allowed():
    assert isinstance(may_erase(facts(), now=AFTER_GRACE), Allowed)


def test_e1_within_the_grace_period_names_the_day_it_ends():
    decision = may_erase(facts(), now=AFTER_GRACE - timedelta(seconds=1))
    assert isinstance(decision, Refused) and decision.rule == "E1"
    assert decision.earliest == AFTER_GRACE.date()


def test_e2_unpaid_fees_block():
    decision = may_erase(facts(owes=Decimal("200.00")), now=AFTER_GRACE)
    assert decision.rule == "E2" and "200.00 EUR" in decision.reason


def test_e3_money_the_program_owes_blocks():
    decision = may_erase(facts(owed_to_them=Decimal("50.00")), now=AFTER_GRACE)
    assert decision.rule == "E3" and "50.00 EUR" in decision.reason


def test_e4_an_ongoing_evaluation_blocks():
    assert may_erase(facts(ongoing_attempts=1), now=AFTER_GRACE).rule == "E4"
    assert may_erase(facts(portfolios_in_evaluation=1), now=AFTER_GRACE).rule == "E4"


money = st.decimals(min_value=0, max_value=10_000, places=2)


@given(
    owes=money,
    owed=money,
    attempts=st.integers(0, 3),
    portfolios=st.integers(0, 3),
    grace=st.integers(0, 60),
    elapsed=st.integers(0, 90 * 24 * 3600),
)
def test_allowed_exactly_when_the_grace_is_over_and_nothing_is_open(
    owes, owed, attempts, portfolios, grace, elapsed
):
    now = REQUESTED + timedelta(seconds=elapsed)
    decision = may_erase(
        facts(
            owes=owes,
            owed_to_them=owed,
            ongoing_attempts=attempts,
            portfolios_in_evaluation=portfolios,
            grace_days=grace,
        ),
        now=now,
    )
    nothing_open = owes == 0 and owed == 0 and attempts == 0 and portfolios == 0
    grace_over = elapsed >= grace * 24 * 3600
    assert decision.allowed == (nothing_open and grace_over)
    if not decision.allowed:
        assert decision.reason  # every refusal explains itself

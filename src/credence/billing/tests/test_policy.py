"""R7-R9 and the cancellation rule as pure functions: examples, then properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from credence.billing.policy import (
    ChargedAttempt,
    Qualification,
    QueuedRefund,
    Settlement,
    cancellation_credit,
    is_money,
    payable_now,
    queue_order,
    queue_position,
    quote_attempt,
    refund_qualification,
    settlement,
    vat_split,
)
from credence.catalog.policy import CohortSpec
from credence.core.decisions import Allowed, Refused

from tests.support import PORTFOLIO, TEST, ai_engineer_rules

FIRST = CohortSpec("first", "First", date(2026, 1, 1), date(2026, 6, 30), Decimal("0.50"))
SECOND = CohortSpec("second", "Second", date(2026, 7, 1), date(2026, 12, 31), Decimal("0.25"))
PROGRAM = ai_engineer_rules(fee_per_evaluation=Decimal("200.00"), cohorts=(FIRST, SECOND))


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2)
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))


# R7, R8 -------------------------------------------------------------------------------------


def test_a_waived_evaluation_is_not_invoiced():
    assert (
        quote_attempt(PROGRAM, registered_on=date(2026, 2, 1), waived=True, fund_available=0)
        is None
    )


def test_the_first_cohort_gets_half_the_fee_from_the_fund():
    quote = quote_attempt(
        PROGRAM, registered_on=date(2026, 6, 30), waived=False, fund_available=Decimal(100)
    )
    assert (quote.fee, quote.subsidy, quote.candidate_share) == (
        Decimal("200.00"),
        Decimal("100.00"),
        Decimal("100.00"),
    )
    assert quote.cohort == FIRST and quote.subsidy_refused == ""


def test_a_fund_that_cannot_cover_the_subsidy_leaves_the_full_fee_to_pay():
    quote = quote_attempt(
        PROGRAM, registered_on=date(2026, 7, 1), waived=False, fund_available=Decimal("49.99")
    )
    assert quote.subsidy == 0 and quote.candidate_share == Decimal("200.00")
    assert quote.cohort == SECOND
    assert "cannot cover" in quote.subsidy_refused


def test_candidates_outside_every_cohort_pay_in_full():
    quote = quote_attempt(
        PROGRAM, registered_on=date(2027, 1, 1), waived=False, fund_available=Decimal(10**6)
    )
    assert quote.cohort is None and quote.subsidy == 0


@given(registered_on=days, fund=amounts)
def test_a_quote_splits_the_fee_exactly_and_never_overdraws_the_fund(registered_on, fund):
    quote = quote_attempt(PROGRAM, registered_on=registered_on, waived=False, fund_available=fund)
    assert quote.fee == Decimal("200.00")
    assert quote.subsidy + quote.candidate_share == quote.fee
    assert quote.subsidy <= fund
    cohort = PROGRAM.cohort_for(registered_on)
    if cohort is None:
        assert quote.subsidy == 0
    else:
        expected = (quote.fee * cohort.subsidy_share).quantize(Decimal("0.01"))
        assert quote.subsidy == (expected if fund >= expected else 0)


@given(gross=amounts, rate=st.decimals(min_value=0, max_value=30, places=2))
def test_vat_included_in_a_gross_fee_adds_back_up_to_it(gross, rate):
    split = vat_split(gross, treatment="included", rate=rate)
    assert split.net + split.vat == gross
    assert split.vat >= 0
    assert vat_split(gross, treatment="exempt", rate=rate).vat == 0


def test_money_input_has_at_most_two_decimals_and_is_positive():
    assert is_money(Decimal("150.00")) and is_money(Decimal("1"))
    assert not is_money(Decimal("0")) and not is_money(Decimal("-5"))
    assert not is_money(Decimal("1.005")) and not is_money(Decimal("NaN"))


# cancellation ---------------------------------------------------------------------------------


def test_cancelling_up_to_seven_days_before_is_free_and_later_keeps_the_fee():
    session = date(2026, 5, 20)
    assert isinstance(
        cancellation_credit(held_on=session, cancelled_on=date(2026, 5, 13), free_days=7), Allowed
    )
    late = cancellation_credit(held_on=session, cancelled_on=date(2026, 5, 14), free_days=7)
    assert isinstance(late, Refused) and late.rule == "R7" and late.never
    assert "7 days" in late.reason


# settlement ------------------------------------------------------------------------------------


@given(due=amounts, paid=st.decimals(min_value=0, max_value=Decimal("100000"), places=2))
def test_settlement_is_paid_exactly_when_the_payments_reach_what_is_due(due, paid):
    state = settlement(due=due, paid=paid)
    assert (state in (Settlement.PAID, Settlement.OVERPAID)) == (paid >= due)
    assert (state == Settlement.OPEN) == (paid == 0)


def test_a_credited_invoice_is_cancelled_or_overpaid():
    assert settlement(due=Decimal(0), paid=Decimal(0)) == Settlement.CANCELLED
    assert settlement(due=Decimal(0), paid=Decimal(50)) == Settlement.OVERPAID


# R9 ---------------------------------------------------------------------------------------------


def attempt(pk, evaluation, score, *, passed=True, charged="100.00", cert="nlp", day=1):
    return ChargedAttempt(
        attempt_id=pk,
        certification=cert,
        evaluation=evaluation,
        passed=passed,
        score=Decimal(score),
        charged=Decimal(charged),
        released_on=date(2026, 1, day),
    )


def test_over_90_in_both_evaluations_refunds_what_was_charged_for_them():
    decision = refund_qualification(
        PROGRAM, "nlp", [attempt(1, TEST, "91"), attempt(2, PORTFOLIO, "95", charged="150.00")]
    )
    assert decision == Qualification("nlp", (1, 2), Decimal("250.00"))


def test_exactly_90_is_not_over_90():
    decision = refund_qualification(
        PROGRAM, "nlp", [attempt(1, TEST, "90"), attempt(2, PORTFOLIO, "99")]
    )
    assert isinstance(decision, Refused) and decision.rule == "R9" and decision.never


def test_only_one_evaluation_done_is_not_yet_a_refund():
    decision = refund_qualification(PROGRAM, "nlp", [attempt(1, TEST, "99")])
    assert isinstance(decision, Refused) and not decision.never


def test_attempts_that_earned_a_refund_never_earn_another():
    attempts = [attempt(1, TEST, "99"), attempt(2, PORTFOLIO, "99")]
    assert isinstance(
        refund_qualification(PROGRAM, "nlp", attempts, already_refunded=frozenset({1, 2})),
        Refused,
    )


def test_the_latest_pass_counts_and_other_certifications_do_not():
    attempts = [
        attempt(1, TEST, "95", day=1),
        attempt(3, TEST, "80", day=9),  # a later pass (a new cycle) that is not excellent
        attempt(2, PORTFOLIO, "97"),
        attempt(4, PORTFOLIO, "99", cert="mlops"),
    ]
    assert isinstance(refund_qualification(PROGRAM, "nlp", attempts), Refused)


def test_nothing_charged_nothing_refunded():
    decision = refund_qualification(
        PROGRAM,
        "nlp",
        [attempt(1, TEST, "99", charged="0"), attempt(2, PORTFOLIO, "99", charged="0")],
    )
    assert isinstance(decision, Refused)


scores = st.decimals(min_value=0, max_value=100, places=2)


@given(test_score=scores, portfolio_score=scores, charged=amounts)
def test_a_refund_needs_both_scores_strictly_over_the_threshold(
    test_score, portfolio_score, charged
):
    attempts = [
        attempt(1, TEST, test_score, passed=test_score >= 70, charged=charged),
        attempt(2, PORTFOLIO, portfolio_score, passed=portfolio_score >= 70, charged=charged),
    ]
    decision = refund_qualification(PROGRAM, "nlp", attempts)
    qualifies = test_score > 90 and portfolio_score > 90
    assert isinstance(decision, Qualification) == qualifies
    if qualifies:
        assert decision.amount == 2 * charged


# the queue ------------------------------------------------------------------------------------

T0 = datetime(2026, 3, 1, tzinfo=UTC)
queues = st.lists(
    st.tuples(st.integers(min_value=0, max_value=1000), amounts),
    max_size=30,
    unique_by=lambda x: x[0],
).map(
    lambda items: [
        QueuedRefund(refund_id=i + 1, qualified_at=T0 + timedelta(minutes=m), amount=a)
        for i, (m, a) in enumerate(items)
    ]
)


@given(queue=queues, balance=st.decimals(min_value=0, max_value=Decimal("100000"), places=2))
def test_the_fund_pays_the_queue_in_order_and_never_beyond_its_balance(queue, balance):
    paid = payable_now(queue, balance)
    ordered = [r.refund_id for r in queue_order(queue)]
    assert paid == ordered[: len(paid)]  # a prefix: nobody is overtaken
    by_id = {r.refund_id: r.amount for r in queue}
    spent = sum((by_id[i] for i in paid), Decimal(0))
    assert spent <= balance
    if len(paid) < len(queue):
        blocked = ordered[len(paid)]
        assert by_id[blocked] > balance - spent  # the first unpaid one truly cannot be covered


def test_a_small_late_refund_waits_behind_a_large_early_one():
    queue = [
        QueuedRefund(1, T0, Decimal("400.00")),
        QueuedRefund(2, T0 + timedelta(hours=1), Decimal("50.00")),
    ]
    assert payable_now(queue, Decimal("100.00")) == []
    assert payable_now(queue, Decimal("450.00")) == [1, 2]
    assert queue_position(queue, 2) == 2


def test_mistyped_billing_settings_stop_the_server_at_start(settings):
    from credence.billing.configuration import billing_settings

    assert billing_settings() == []
    settings.CREDENCE_VAT_TREATMENT = "exemt"
    settings.CREDENCE_VAT_RATE = "nineteen"
    settings.CREDENCE_FREE_CANCELLATION_DAYS = -1
    assert [e.id for e in billing_settings()] == ["billing.E001", "billing.E002", "billing.E003"]

"""Whatever happens, in whatever order, the books hold: hypothesis drives random sequences of
bookings, payments (partial and over), cancellations (in time and late), results (some over
90) and top-ups through the real services, and after every step ``billing check`` finds no
breach."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credence.billing.checks import ledger_problems
from credence.billing.models import Invoice
from credence.billing.selectors import invoice_view
from credence.exams.models import Attempt
from credence.exams.services import BookingRefused, attempt_cancel
from credence.exams.statuses import AttemptStatus

from .conftest import book, key, make_candidate, pay, result, top_up

CERTS = ["nlp", "mlops", "responsible-ai"]
EVALUATIONS = ["knowledge-test", "portfolio"]

steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("book"),
            st.integers(0, 2),
            st.sampled_from(CERTS),
            st.sampled_from(EVALUATIONS),
            st.integers(3, 40),  # days ahead: some cancellations will be late
        ),
        st.tuples(st.just("pay"), st.integers(0, 2), st.integers(1, 40000)),  # cents
        st.tuples(st.just("cancel"), st.integers(0, 2)),
        st.tuples(st.just("result"), st.integers(0, 2), st.sampled_from(["60", "85", "95"])),
        st.tuples(st.just("top_up"), st.integers(1, 800)),
    ),
    min_size=1,
    max_size=14,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(script=steps)
def test_the_books_hold_after_every_step(office, script):
    # One database for all examples: the invariants must hold on whatever earlier examples
    # left behind, too.
    people = [
        make_candidate(f"p{n}-{key()}", day)
        for n, day in enumerate([date(2025, 5, 1), date(2026, 2, 1), date(2026, 8, 1)])
    ]
    today = date(2026, 3, 10)
    for step in script:
        kind, *args = step
        if kind == "book":
            who, cert, evaluation, ahead = args
            with contextlib.suppress(BookingRefused):  # the rules may refuse it: fine
                book(people[who], cert, evaluation, today + timedelta(days=ahead))
        elif kind == "pay":
            who, cents = args
            invoice = Invoice.objects.filter(candidate=people[who]).order_by("id").first()
            if invoice is not None:
                pay(office, invoice, str(Decimal(cents) / 100))
        elif kind in ("cancel", "result"):
            booked = Attempt.objects.filter(
                candidate=people[args[0]], status=AttemptStatus.BOOKED
            ).first()
            if booked is not None and kind == "cancel":
                attempt_cancel(attempt=booked, acting_user=people[args[0]])
            elif booked is not None:
                result(booked, args[1], office)
        else:
            top_up(office, str(args[0]))
        assert ledger_problems() == []
    for invoice in Invoice.objects.filter(candidate__in=people):
        view = invoice_view(invoice)
        assert view.due >= 0 and view.due <= invoice.total

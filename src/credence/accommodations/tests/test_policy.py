"""The rules of accommodations over plain data: AC1 (a request), AC2 (the decision), AC3
(applies only approved, within its period; extra time rounds up)."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from credence.accommodations.policy import (
    Granted,
    Request,
    applies_on,
    extended_minutes,
    may_decide,
    may_request,
    time_factor_on,
)

TODAY = date(2026, 3, 1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("request_", "words"),
    [
        (Request("extra_time", Decimal("1.5"), "Dyslexia.", 1), None),
        (Request("separate_room", None, "Anxiety.", 2), None),
        (Request("teleport", None, "x", 1), "Choose the kind"),
        (Request("extra_time", None, "Dyslexia.", 1), "factor from 1.1 to 3"),
        (Request("extra_time", Decimal("1.05"), "Dyslexia.", 1), "factor from 1.1 to 3"),
        (Request("extra_time", Decimal("3.5"), "Dyslexia.", 1), "factor from 1.1 to 3"),
        (Request("extra_time", Decimal("1.255"), "Dyslexia.", 1), "two decimals"),
        (Request("extra_time", Decimal("1.500"), "Dyslexia.", 1), None),
        (Request("extra_time", Decimal("NaN"), "Dyslexia.", 1), "factor from 1.1 to 3"),
        (Request("extra_time", Decimal("Infinity"), "Dyslexia.", 1), "factor from 1.1 to 3"),
        (Request("rest_breaks", Decimal("1.5"), "Breaks.", 1), "Only extra time"),
        (Request("other", None, "  ", 1), "Say what you need"),
        (Request("other", None, "x" * 5001, 1), "At most 5000"),
        (Request("other", None, "A reader.", 0), "one to 5 supporting documents"),
        (Request("other", None, "A reader.", 6), "one to 5 supporting documents"),
    ],
)
def test_ac1_a_request(request_, words):
    decision = may_request(request_)
    assert decision.allowed is (words is None)
    if words:
        assert decision.rule == "AC1" and words in decision.reason


def decide(**changes):
    facts = {
        "status": "pending",
        "approve": True,
        "valid_from": TODAY,
        "valid_until": TODAY + timedelta(days=365),
        "note": "",
        "today": TODAY,
    }
    return may_decide(**{**facts, **changes})


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({}, None),
        ({"approve": False, "note": "No document shows the need."}, None),
        ({"status": "approved"}, "decided already"),
        ({"status": "refused", "approve": False, "note": "x"}, "decided already"),
        ({"approve": False}, "tells the candidate why"),
        ({"valid_until": None}, "needs its validity period"),
        ({"valid_from": None}, "needs its validity period"),
        ({"valid_until": TODAY - timedelta(days=1)}, "ends before it begins"),
        (
            {"valid_from": TODAY - timedelta(days=9), "valid_until": TODAY - timedelta(days=1)},
            "has ended already",
        ),
        ({"valid_until": TODAY + timedelta(days=5 * 366 + 1)}, "at most five years"),
    ],
)
def test_ac2_decided_once_an_approval_with_its_period(changes, words):
    decision = decide(**changes)
    assert decision.allowed is (words is None)
    if words:
        assert decision.rule == "AC2" and words in decision.reason


APPROVED = Granted("extra_time", "approved", Decimal("1.5"), TODAY, TODAY + timedelta(days=30))


def test_ac3_applies_only_approved_and_within_its_period():
    assert applies_on(APPROVED, TODAY).allowed
    assert applies_on(APPROVED, TODAY + timedelta(days=30)).allowed
    late = applies_on(APPROVED, TODAY + timedelta(days=31))
    assert late.rule == "AC3" and "it does not apply on" in late.reason
    for status in ("pending", "refused"):
        unapproved = Granted("extra_time", status, Decimal("1.5"), None, None)
        refused = applies_on(unapproved, TODAY)
        assert refused.rule == "AC3" and "Not approved by the program office" in refused.reason
        assert time_factor_on([unapproved], TODAY) == 1


def test_ac3_the_factor_on_a_day_is_the_largest_that_applies():
    bigger = Granted("extra_time", "approved", Decimal("2"), TODAY, TODAY)
    room = Granted("separate_room", "approved", None, TODAY, TODAY + timedelta(days=30))
    assert time_factor_on([APPROVED, bigger, room], TODAY) == 2
    assert time_factor_on([APPROVED, bigger, room], TODAY + timedelta(days=1)) == Decimal("1.5")
    assert time_factor_on([room], TODAY) == 1
    assert time_factor_on([], TODAY) == 1


def test_the_issues_example_forty_minutes_become_sixty():
    assert extended_minutes(40, Decimal("1.5")) == 60
    assert extended_minutes(90, Decimal("1.5")) == 135
    assert extended_minutes(45, Decimal("1.25")) == 57  # 56.25, rounded up


factors = st.decimals(min_value=Decimal("1.1"), max_value=Decimal("3"), places=2)


@given(minutes=st.integers(min_value=1, max_value=600), factor=factors)
def test_extended_time_is_never_short_and_never_a_minute_too_long(minutes, factor):
    extended = extended_minutes(minutes, factor)
    exact = Decimal(minutes) * factor
    assert extended >= exact > minutes
    assert extended - exact < 1
    assert extended == math.ceil(exact)


@given(minutes=st.integers(min_value=1, max_value=600), a=factors, b=factors)
def test_a_larger_factor_never_gives_less_time(minutes, a, b):
    low, high = sorted((a, b))
    assert extended_minutes(minutes, low) <= extended_minutes(minutes, high)


@given(minutes=st.integers(min_value=0, max_value=600))
def test_no_accommodation_changes_nothing(minutes):
    assert extended_minutes(minutes, Decimal(1)) == minutes

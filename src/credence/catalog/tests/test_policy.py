from __future__ import annotations

from datetime import date
from decimal import Decimal

from credence.catalog.api import rules_from_file


def test_cohort_by_registration_day():
    rules = rules_from_file()

    assert rules.cohort_for(date(2026, 1, 1)).code == "2026-first"
    assert rules.cohort_for(date(2026, 6, 30)).code == "2026-first"
    assert rules.cohort_for(date(2026, 7, 1)).subsidy_share == Decimal("0.25")
    assert rules.cohort_for(date(2027, 1, 1)) is None
    assert rules.cohort_for(date(2025, 12, 31)) is None


def test_recognition_suggests_waivers():
    rules = rules_from_file()

    waivers = {(w.certification, w.evaluation) for w in rules.waivable_by("google-ml-engineer")}

    assert waivers == {("ml-expert", "knowledge-test"), ("mlops", "knowledge-test")}
    assert rules.waivable_by("unknown") == ()


def test_the_default_pass_mark_comes_from_the_program():
    rules = rules_from_file()

    assert rules.pass_mark("nlp", "knowledge-test") == Decimal("70")

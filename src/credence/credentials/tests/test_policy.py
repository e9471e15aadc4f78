"""R5, R6 and R12 over plain data."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from credence.credentials.policy import (
    CertificateRecord,
    certificate_due,
    composite_awards,
    composite_status,
    held_on,
    valid_until_for,
)

from tests.support import ELECTIVES, PORTFOLIO, REQUIRED, TEST, ai_engineer_rules

P = ai_engineer_rules()


def cert(code, issued, years=5):
    return CertificateRecord(code, issued, valid_until_for(P, issued, None))


def test_r5_awarded_on_the_day_of_the_last_result_valid_five_years():
    award = certificate_due(P, (), "nlp", {TEST: date(2026, 3, 1), PORTFOLIO: date(2026, 5, 7)})
    assert award is not None
    assert (award.issued_on, award.valid_until, award.rule) == (
        date(2026, 5, 7),
        date(2031, 5, 7),
        "R5",
    )


def test_r5_not_awarded_while_an_evaluation_is_missing():
    assert certificate_due(P, (), "nlp", {TEST: date(2026, 3, 1)}) is None


def test_r5_not_awarded_twice_for_the_same_cycle():
    existing = (cert("nlp", date(2026, 5, 7)),)
    done = {TEST: date(2026, 3, 1), PORTFOLIO: date(2026, 5, 7)}
    assert certificate_due(P, existing, "nlp", done) is None


def test_r5_leap_day_validity_ends_on_28_february():
    assert valid_until_for(P, date(2028, 2, 29), None) == date(2033, 2, 28)


def test_expiry_on_the_exact_day():
    c = cert("nlp", date(2026, 5, 7))
    assert c.valid_on(date(2031, 5, 7))
    assert not c.valid_on(date(2031, 5, 8))
    assert not c.valid_on(date(2026, 5, 6))


def test_revoked_certificate_is_not_held_from_the_revocation_day():
    c = CertificateRecord("nlp", date(2026, 5, 7), date(2031, 5, 7), revoked_on=date(2027, 1, 1))
    assert held_on([c], date(2026, 12, 31)) == [c]
    assert held_on([c], date(2027, 1, 1)) == []


def test_r12_renewed_inside_the_window_runs_from_the_old_expiry():
    old = cert("nlp", date(2026, 5, 7))
    done = {TEST: date(2031, 1, 10), PORTFOLIO: date(2031, 3, 1)}
    award = certificate_due(P, (old,), "nlp", done)
    assert award is not None and award.rule == "R12" and award.renews == old
    assert award.valid_until == date(2036, 5, 7)


def test_r12_renewed_after_expiry_runs_from_its_issue():
    old = cert("nlp", date(2026, 5, 7))
    done = {TEST: date(2031, 4, 10), PORTFOLIO: date(2031, 6, 1)}
    award = certificate_due(P, (old,), "nlp", done)
    assert award is not None and award.valid_until == date(2036, 6, 1) and award.renews is None


def _six(day):
    return [cert(code, day) for code in (*REQUIRED, *ELECTIVES[:3])]


def test_r6_awarded_the_day_the_composite_first_holds():
    certs = [cert(code, date(2026, 1, 10 + i)) for i, code in enumerate(REQUIRED + ELECTIVES[:3])]
    [award] = composite_awards(P, certs, until=date(2027, 1, 1))
    assert award.issued_on == date(2026, 1, 15) and award.rule == "R6"
    assert award.valid_until == date(2031, 1, 15)
    assert not composite_status(P, certs, date(2026, 1, 14)).holds
    assert composite_status(P, certs, date(2026, 1, 15)).holds


def test_r6_two_electives_are_not_enough_and_say_what_is_missing():
    certs = [cert(code, date(2026, 1, 10)) for code in (*REQUIRED[:2], *ELECTIVES[:2])]
    status = composite_status(P, certs, date(2026, 2, 1))
    assert not status.holds
    assert status.required_missing == ("responsible-ai",)
    assert status.electives_missing_count == 1
    assert composite_awards(P, certs, until=date(2030, 1, 1)) == []


def test_r6_an_elective_that_expired_before_the_sixth_certificate_arrived():
    certs = [
        cert("computer-vision", date(2020, 1, 10)),  # valid until 2025-01-10
        *[cert(code, date(2024, 6, 1)) for code in (*REQUIRED, "nlp")],
        cert("generative-ai", date(2025, 2, 1)),  # the sixth, too late for computer vision
    ]
    status = composite_status(P, certs, date(2025, 2, 1))
    assert not status.holds and status.electives_missing_count == 1
    assert composite_awards(P, certs, until=date(2026, 1, 1)) == []
    # a fourth elective later completes it
    certs.append(cert("multimodal-ml", date(2025, 9, 9)))
    [award] = composite_awards(P, certs, until=date(2026, 1, 1))
    assert award.issued_on == date(2025, 9, 9)


def test_r6_renewed_when_a_component_is_renewed_inside_its_window():
    certs = _six(date(2026, 1, 10))
    renewed = CertificateRecord("nlp", date(2030, 9, 1), date(2036, 1, 10))
    awards = composite_awards(P, [*certs, renewed], until=date(2031, 1, 1))
    assert [a.rule for a in awards] == ["R6", "R12"]
    assert awards[1].valid_until == date(2036, 1, 10)


def test_r6_not_awarded_in_the_future():
    assert composite_awards(P, _six(date(2026, 1, 10)), until=date(2026, 1, 9)) == []


codes = st.sampled_from(REQUIRED + ELECTIVES)
days = st.dates(min_value=date(2018, 1, 1), max_value=date(2032, 12, 31))
cert_lists = st.lists(st.builds(cert, codes, days), max_size=12)


@settings(max_examples=300)
@given(cert_lists, days)
def test_composite_holds_exactly_when_the_rule_says(certs, day):
    valid = {c.award for c in certs if c.issued_on <= day <= c.valid_until}
    expected = set(REQUIRED) <= valid and len(valid & set(ELECTIVES)) >= 3
    assert composite_status(P, certs, day).holds == expected


@settings(max_examples=200)
@given(cert_lists, days)
def test_composite_awards_start_on_days_it_holds_and_never_overlap_except_renewals(certs, until):
    awards = composite_awards(P, certs, until=until)
    for award in awards:
        assert award.issued_on <= until
        assert composite_status(P, certs, award.issued_on).holds
    for earlier, later in pairwise(awards):
        assert later.issued_on > earlier.issued_on
        if later.issued_on <= earlier.valid_until:
            assert later.rule == "R12" and later.valid_until > earlier.valid_until


@settings(max_examples=200)
@given(cert_lists, days)
def test_first_award_is_the_first_day_the_composite_holds(certs, until):
    awards = composite_awards(P, certs, until=until)
    holding_days = [
        d
        for d in sorted({c.issued_on for c in certs})
        if d <= until and composite_status(P, certs, d).holds
    ]
    if holding_days:
        assert awards and awards[0].issued_on == holding_days[0]
    else:
        assert awards == []
    # and there is no day before it on which it held
    if awards:
        day = awards[0].issued_on - timedelta(days=1)
        assert not composite_status(P, certs, day).holds

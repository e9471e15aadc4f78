"""The advisor follows seed 001; claims need a valid certificate (R10); files are what their
bytes say."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credence.core.decisions import Allowed, Refused
from credence.recognition.policy import (
    Answers,
    CareerRole,
    Cloud,
    Condition,
    EvidenceRejected,
    GuideEntrySpec,
    Verdict,
    advise,
    evidence_kind,
    may_claim,
    may_claim_with_badge,
    waived_evaluation,
)
from credence.recognition.services import SIGNAL_GUIDE_FILE
from credence.recognition.tests.conftest import OPEN_BADGE, PDF, PNG


def _spec(entry):
    def conditions(lines):
        return tuple(Condition(**line) for line in lines)

    return GuideEntrySpec(
        slug=entry["slug"],
        name=entry["name"],
        provider=entry["provider"],
        category=entry["category"],
        cloud_platform=entry["cloud_platform"],
        worth_pursuing_if=conditions(entry.get("worth_pursuing_if", [])),
        not_worth_it_if=conditions(entry.get("not_worth_it_if", [])),
        why_avoid=tuple(entry.get("why_avoid", [])),
        signal_to_hiring_managers=tuple(entry.get("signal_to_hiring_managers", [])),
    )


GUIDE = tuple(_spec(e) for e in json.loads(SIGNAL_GUIDE_FILE.read_text())["entries"])
GOOGLE = "google-professional-machine-learning-engineer"
AWS = "aws-certified-machine-learning-specialty"
AZURE = "microsoft-azure-ai-engineer-associate"
IBM = "ibm-ai-engineering-professional-certificate-coursera"
AWS_PRACTITIONER = "aws-certified-ai-practitioner"
AZURE_FUNDAMENTALS = "microsoft-azure-ai-fundamentals"


def answers(**overrides):
    values = {
        "fundamentals_done": True,
        "cloud": Cloud.GCP,
        "role": CareerRole.ML_ENGINEER,
        "hands_on_ml": True,
        "portfolio": False,
    }
    values.update(overrides)
    return Answers(**values)


def verdicts(advice):
    return {r.entry.slug: r for r in advice.recommendations}


def test_an_engineer_on_gcp_with_fundamentals_is_pointed_to_google_with_the_guides_lines():
    advice = verdicts(advise(GUIDE, answers()))

    google = advice[GOOGLE]
    assert google.verdict == Verdict.WORTH_PURSUING
    assert [r.text for r in google.reasons] == [
        "You already have ML fundamentals (Pillars 1-4)",
        "You work or plan to work with GCP",
        "You need to demonstrate production ML experience",
        "You have built and deployed real models",
    ]
    aws = advice[AWS]
    assert aws.verdict == Verdict.NOT_FOR_YOU
    assert "You work exclusively with other clouds" in [r.text for r in aws.reasons]


def test_without_fundamentals_the_honest_recommendation_says_skip():
    advice = advise(
        GUIDE, answers(fundamentals_done=False, hands_on_ml=False, role=CareerRole.LEARNER)
    )
    by_slug = verdicts(advice)

    assert "skip certifications entirely" in advice.summary[0].text
    assert by_slug[GOOGLE].verdict == Verdict.NOT_FOR_YOU
    assert "You're using it to avoid learning fundamentals" in [
        r.text for r in by_slug[GOOGLE].reasons
    ]
    # the structured-learning exception (scenario 2): a complete beginner needing structure
    assert by_slug[IBM].verdict == Verdict.WORTH_PURSUING
    assert by_slug[IBM].reasons[0].text == "You're a complete beginner needing structure"
    # ... but not for someone who wants it as a hiring signal
    engineer = verdicts(advise(GUIDE, answers(fundamentals_done=False, hands_on_ml=False)))
    assert "You're seeking employment signal" in [r.text for r in engineer[IBM].reasons]


def test_a_strong_portfolio_rules_out_the_tensorflow_certificate():
    by_slug = verdicts(advise(GUIDE, answers(portfolio=True)))

    tf = by_slug["tensorflow-developer-certificate"]
    assert tf.verdict == Verdict.NOT_FOR_YOU
    assert [r.text for r in tf.reasons] == ["You have strong GitHub portfolio already"]


def test_business_roles_get_the_literacy_certificates_and_engineers_are_told_never():
    business = verdicts(
        advise(GUIDE, answers(role=CareerRole.BUSINESS, fundamentals_done=False, cloud=Cloud.AWS))
    )
    engineer = verdicts(advise(GUIDE, answers(cloud=Cloud.AWS)))

    assert business[AWS_PRACTITIONER].verdict == Verdict.WORTH_PURSUING
    assert business[AZURE_FUNDAMENTALS].verdict == Verdict.WORTH_PURSUING
    assert engineer[AWS_PRACTITIONER].verdict == Verdict.NOT_FOR_YOU
    assert [r.text for r in engineer[AZURE_FUNDAMENTALS].reasons] == [
        "Never for engineering positions"
    ]


def test_a_solutions_architect_in_azure_may_pursue_the_azure_associate():
    by_slug = verdicts(advise(GUIDE, answers(cloud=Cloud.AZURE, role=CareerRole.ARCHITECT)))

    assert by_slug[AZURE].verdict == Verdict.WORTH_PURSUING
    assert {r.text for r in by_slug[AZURE].reasons} == {
        "You work exclusively in Azure",
        "You're in a solutions architect role",
    }
    assert by_slug[GOOGLE].verdict == Verdict.NOT_FOR_YOU


def test_kinds_to_avoid_are_always_avoided_with_the_guides_reasons():
    advice = advise(GUIDE, answers())
    avoided = advice.with_verdict(Verdict.AVOID)

    assert len(avoided) == 4
    prompt = next(r for r in avoided if r.entry.slug == "prompt-engineering-certificates")
    assert prompt.reasons[0].text == "Prompt engineering is not AI engineering"


answers_strategy = st.builds(
    Answers,
    fundamentals_done=st.booleans(),
    cloud=st.sampled_from(list(Cloud)),
    role=st.sampled_from(list(CareerRole)),
    hands_on_ml=st.booleans(),
    portfolio=st.booleans(),
)


@given(answers_strategy)
def test_every_recommendation_explains_itself_and_none_contradicts_the_guide(a):
    advice = advise(GUIDE, a)

    assert len(advice.recommendations) == len(GUIDE)
    assert advice.summary
    for rec in advice.recommendations:
        assert rec.reasons, rec.entry.slug
        if rec.verdict == Verdict.WORTH_PURSUING:
            assert rec.entry.category != "avoid"
            # no "not worth it if" line that holds is ignored
            assert not any(c.holds(a) for c in rec.entry.not_worth_it_if)
            assert not any(c.against and c.holds(a) for c in rec.entry.worth_pursuing_if)
        if rec.entry.category == "avoid":
            assert rec.verdict == Verdict.AVOID


@given(answers_strategy)
def test_at_most_the_answered_cloud_platforms_certificate_is_recommended(a):
    advice = advise(GUIDE, a)
    clouds = {
        r.entry.cloud_platform
        for r in advice.with_verdict(Verdict.WORTH_PURSUING)
        if r.entry.cloud_platform and r.entry.category != "low"
    }
    if a.cloud == Cloud.MULTI:
        assert AZURE not in {r.entry.slug for r in advice.with_verdict(Verdict.WORTH_PURSUING)}
    else:
        assert clouds <= {a.cloud.value}


@given(answers_strategy)
def test_without_fundamentals_only_learning_aids_and_business_literacy_are_recommended(a):
    if a.fundamentals_done:
        return
    for rec in advise(GUIDE, a).with_verdict(Verdict.WORTH_PURSUING):
        assert {r.text for r in rec.reasons} & {
            "You're a complete beginner needing structure",
            "You're a beginner wanting structure from a respected teacher",
            "You need introductory material",
            "You're exploring whether AI interests you",
            "If you're in sales/business roles needing AI vocabulary",
            "Only for non-technical roles requiring AI literacy",
            "Sales, marketing, business analyst positions",
        }, rec.entry.slug


TODAY = date(2026, 11, 25)


def test_a_valid_certificate_may_be_claimed():
    assert isinstance(may_claim(issued_on=date(2025, 1, 1), expires_on=None, today=TODAY), Allowed)
    assert isinstance(may_claim(issued_on=TODAY, expires_on=TODAY, today=TODAY), Allowed)


def test_an_expired_certificate_is_refused_under_r10_with_the_day():
    decision = may_claim(issued_on=date(2022, 5, 1), expires_on=date(2025, 5, 1), today=TODAY)

    assert isinstance(decision, Refused)
    assert decision.rule == "R10" and decision.never
    assert "expired on" in decision.reason and "2025" in decision.reason


def test_future_and_backwards_dates_are_refused():
    assert may_claim(issued_on=date(2027, 1, 1), expires_on=None, today=TODAY).rule == "R10"
    decision = may_claim(issued_on=date(2026, 1, 1), expires_on=date(2025, 1, 1), today=TODAY)
    assert "before the issue date" in decision.reason


@given(
    issued=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
    days=st.integers(min_value=0, max_value=4000),
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
)
def test_a_claim_is_allowed_exactly_when_the_certificate_is_valid_today(issued, days, today):
    from datetime import timedelta

    expires = issued + timedelta(days=days)
    decision = may_claim(issued_on=issued, expires_on=expires, today=today)
    assert decision.allowed == (issued <= today <= expires)


def test_an_expired_badge_is_refused_under_r10_with_its_day():
    decision = may_claim_with_badge(valid_until=date(2026, 11, 24), today=TODAY)

    assert isinstance(decision, Refused)
    assert decision.rule == "R10" and decision.never
    assert "expired on" in decision.reason and "2026" in decision.reason


def test_a_badge_valid_today_or_without_an_end_may_be_claimed():
    for valid_until in (None, TODAY, date(2030, 1, 1)):
        decision = may_claim_with_badge(valid_until=valid_until, today=TODAY)
        assert decision == Allowed(rule="R10")


@given(
    valid_until=st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
)
def test_a_badge_is_allowed_exactly_when_it_has_not_expired_by_the_claim(valid_until, today):
    decision = may_claim_with_badge(valid_until=valid_until, today=today)
    assert decision.rule == "R10"
    assert decision.allowed == (valid_until is None or today <= valid_until)


def test_a_waived_evaluation_counts_as_done_under_r10():
    assert waived_evaluation() == Allowed(rule="R10")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpeg"),
        (OPEN_BADGE, "open_badge"),
    ],
)
def test_evidence_is_known_by_its_bytes(data, kind):
    assert evidence_kind(data) == kind


@pytest.mark.parametrize(
    "data",
    [
        b"<html><script>alert(1)</script></html>",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"PK\x03\x04zip",
        b'{"type": "VerifiableCredential"}',
        b"  %PDF-1.4 not at the start",
        b"",
    ],
)
def test_anything_else_is_rejected_whatever_its_name(data):
    with pytest.raises(EvidenceRejected):
        evidence_kind(data)

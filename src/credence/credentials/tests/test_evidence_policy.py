"""Rules E1 and E2 (decision 0054) as pure functions: whatever the holder chooses, what they
hide is nowhere in the evidence, and what says nothing about them is always there."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from credence.credentials.openbadges import (
    AGREEMENT,
    COMMIT,
    RELIABILITY,
    REPORT_DIGEST,
    REPOSITORY,
    EvidenceFacts,
    approved_evidence,
    chain_facts,
)
from credence.credentials.policy import PublicSet, evidence_choice_allowed

PAGE = "https://certs.example.test/certificates/CRD-0000000000/evidence/#portfolio"
PORTFOLIO = EvidenceFacts(
    name="Portfolio interview",
    genre="Portfolio interview",
    description="Passed on 2026-03-22; score band 90\u2013100 (pass mark 70)",
    url="https://github.com/carla/churn-model/tree/abc",
    day=date(2026, 3, 22),
    score_band="90\u2013100",
    pass_mark="70",
    evaluation="portfolio",
    repository="https://github.com/carla/churn-model",
    commit="0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
    report_digest="ab" * 32,
    agreement="two examiners scored the rubric independently, 2.00 points apart",
    reliability="0.81 (KR-20 of this form, 24 sittings)",
)
choices = st.builds(PublicSet, st.booleans(), st.booleans(), st.booleans(), st.booleans())


@given(choices)
def test_e1_what_is_hidden_is_nowhere_and_the_rest_is_stated(choice):
    shown = approved_evidence(PORTFOLIO, choice, PAGE)
    text = f"{shown.description}\n{shown.narrative}\n{shown.url}"
    assert ("90\u2013100" in text) is choice.bands
    assert ("churn-model" in text) is choice.repository
    assert (PORTFOLIO.commit in text) is choice.repository
    facts = chain_facts(shown.narrative)
    assert (REPOSITORY in facts, COMMIT in facts) == (choice.repository, choice.repository)
    assert facts[REPORT_DIGEST] == PORTFOLIO.report_digest
    assert facts[AGREEMENT] == PORTFOLIO.agreement
    assert facts[RELIABILITY] == PORTFOLIO.reliability
    assert shown.url == PAGE and facts["Evidence page"] == PAGE


@given(choices)
def test_a_waiver_is_not_an_evaluation_with_a_chain(choice):
    waiver = EvidenceFacts("Knowledge test", "Knowledge test", "Waived", waived=True)
    assert approved_evidence(waiver, choice, PAGE) == waiver


@given(choices)
def test_e2_refuses_exactly_a_public_report_with_a_hidden_repository(choice):
    decision = evidence_choice_allowed(choice)
    assert decision.rule == "E2"
    assert decision.allowed is not (choice.report and not choice.repository)

"""Pure portfolio rules: repository addresses, rubric arithmetic, reconciliation."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credence.portfolios import policy
from credence.portfolios.ics import interview_ics

GITHUB = {"hosts": ["github.com"], "schemes": ["https"]}


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        ("https://github.com/ada/churn-model", "https://github.com/ada/churn-model"),
        ("https://github.com/ada/churn-model.git", "https://github.com/ada/churn-model"),
        (" https://GitHub.com/ada/churn.model/ ", "https://github.com/ada/churn.model"),
    ],
)
def test_github_addresses_are_canonical(url, clean):
    assert policy.clean_repository_url(url, **GITHUB) == clean


@pytest.mark.parametrize(
    ("url", "phrase"),
    [
        ("", "Enter the address"),
        ("http://github.com/a/b", "https://"),
        ("git@github.com:a/b.git", "https://"),
        ("https://token@github.com/a/b", "user name or password"),
        ("https://github.com/a/b?tab=readme", "? or #"),
        ("https://gitlab.com/a/b", "github.com only"),
        ("https://github.com.evil.example/a/b", "github.com only"),
        ("https://github.com/a", "OWNER/REPOSITORY"),
        ("https://github.com/a/b/tree/main", "OWNER/REPOSITORY"),
        ("https://github.com/../etc", "OWNER/REPOSITORY"),
        ("https://github.com/a/b c", "spaces"),
    ],
)
def test_bad_addresses_say_why(url, phrase):
    with pytest.raises(policy.UrlRefused, match=phrase.replace("?", r"\?")):
        policy.clean_repository_url(url, **GITHUB)


def test_other_hosts_come_from_the_setting():
    clean = policy.clean_repository_url(
        "git://127.0.0.1:9418/team/p.git", hosts=["127.0.0.1:9418"], schemes=["git"]
    )
    assert clean == "git://127.0.0.1:9418/team/p.git"
    with pytest.raises(policy.UrlRefused):
        policy.clean_repository_url(
            "git://127.0.0.1:9418/../p", hosts=["127.0.0.1:9418"], schemes=["git"]
        )


@pytest.mark.parametrize(
    ("ref", "kind"), [("a" * 40, "commit"), ("main", "name"), ("v1.0", "name")]
)
def test_refs(ref, kind):
    assert policy.ref_kind(ref) == kind


@pytest.mark.parametrize("ref", ["--upload-pack=x", "a..b", "x.lock", "A" * 40 + "!"])
def test_bad_refs(ref):
    with pytest.raises(policy.UrlRefused):
        policy.ref_kind(ref)


RUBRIC = policy.Rubric(
    scale=4,
    criteria=(
        policy.Criterion("depth", "Depth", 3),
        policy.Criterion("talk", "Talk", 1),
    ),
)


def test_rubric_percent_is_weighted():
    assert policy.rubric_percent(RUBRIC, {"depth": 4, "talk": 0}) == Decimal("75.00")
    assert policy.rubric_percent(RUBRIC, {"depth": 1, "talk": 2}) == Decimal("31.25")


@given(st.integers(0, 4), st.integers(0, 4), st.integers(0, 4))
def test_rubric_percent_is_bounded_and_monotonic(depth, talk, more):
    low = policy.rubric_percent(RUBRIC, {"depth": min(depth, more), "talk": talk})
    high = policy.rubric_percent(RUBRIC, {"depth": max(depth, more), "talk": talk})
    assert Decimal(0) <= low <= high <= Decimal(100)


@given(
    st.decimals(0, 100, places=2),
    st.decimals(0, 100, places=2),
    st.decimals(0, 30, places=0),
)
def test_release_needs_reconciliation_exactly_when_examiners_differ_beyond_the_margin(a, b, margin):
    decision = policy.may_release(percents=[a, b], margin=margin, reconciled=None)
    assert decision.allowed is (abs(a - b) <= margin)
    assert policy.may_release(percents=[a, b], margin=margin, reconciled=Decimal(70)).allowed
    assert min(a, b) <= policy.combined_score([a, b]) <= max(a, b)


def test_interview_ics_is_rfc5545():
    text = interview_ics(
        uid="portfolio-7@credence",
        starts_at=datetime(2026, 5, 20, 8, 0, tzinfo=UTC),
        minutes=45,
        summary="Portfolio interview, ML Expert",
        location="Room 1; Building A, Potsdam",
        description="Repository https://github.com/ada/churn at " + "a" * 40,
        now=datetime(2026, 5, 4, tzinfo=UTC),
        url="https://certs.example.test/portfolios/7/",
    )
    lines = text.split("\r\n")
    assert "URL:https://certs.example.test/portfolios/7/" in lines
    assert lines[0] == "BEGIN:VCALENDAR" and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20260520T080000Z" in lines
    assert "DTEND:20260520T084500Z" in lines
    assert "LOCATION:Room 1\\; Building A\\, Potsdam" in lines
    assert all(len(line.encode()) <= 75 for line in lines)
    assert "".join(line[1:] if line.startswith(" ") else line for line in lines).count("a" * 40)

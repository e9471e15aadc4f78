"""My path, rendered from histories written through the real exam services."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from credence.accounts.models import User
from credence.exams.services import attempt_book, attempt_record_result

pytestmark = pytest.mark.django_db

TEST, PORTFOLIO = "knowledge-test", "portfolio"


@pytest.fixture
def program():
    call_command("program", "load", verbosity=0)


@pytest.fixture
def office():
    return User.objects.create_user("office@example.invalid", "x" * 12, full_name="Office")


@pytest.fixture
def candidate(client):
    user = User.objects.create_user("cand@example.invalid", "x" * 12, full_name="Cand Idate")
    client.force_login(user)
    return user


def sit(candidate, office, cert, evaluation, held_on, score, released_on):
    attempt = attempt_book(
        candidate=candidate,
        certification=cert,
        evaluation=evaluation,
        held_on=held_on,
        acting_user=candidate,
    )
    attempt_record_result(
        attempt=attempt, score=Decimal(score), released_on=released_on, acting_user=office
    )


def my_path(client, language="en"):
    response = client.get(reverse("learning:my-path"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_my_path_requires_login(client, program):
    response = client.get(reverse("learning:my-path"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_fresh_candidate_can_book_every_knowledge_test_and_learns_why_not_the_portfolio(
    client, program, candidate
):
    response = client.get(reverse("learning:my-path"))
    path = response.context["my"].path

    assert len(path.certifications) == 7
    for cp in path.certifications:
        assert cp.next_step.evaluation.code == TEST
        assert cp.next_step.state == "open"
        assert cp.steps[1].decision.rule == "R1"
    html = response.content.decode()
    assert html.count("Next step") == 7
    assert html.count("Rule R1") == 7
    assert "can be booked only after you pass the Knowledge test" in html
    assert "Depends on a result" in html
    assert "Electives still needed" in html
    # the path needs no script of its own (the site's one only makes wide tables focusable)
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/credence/site.js" defer>']


def test_after_a_failed_attempt_my_path_names_r2_and_the_earliest_date(
    client, program, candidate, office
):
    today = timezone.localdate()
    released = today - timedelta(days=5)
    sit(candidate, office, "mlops", TEST, today - timedelta(days=12), "55", released)

    response = client.get(reverse("learning:my-path"))

    mlops = next(
        c for c in response.context["my"].path.certifications if c.certification.code == "mlops"
    )
    earliest = mlops.steps[0].decision.earliest
    assert earliest > today
    html = response.content.decode()
    assert "Rule R2" in html
    assert f"Earliest: {date_format(earliest, 'DATE_FORMAT')}" in html
    assert "Attempts used: 1 of 3 (2 left)" in html


def test_certificates_and_the_composite_status_are_shown(client, program, candidate, office):
    start = timezone.localdate() - timedelta(days=60)
    sit(candidate, office, "ml-expert", TEST, start, "84", start)
    sit(
        candidate,
        office,
        "ml-expert",
        PORTFOLIO,
        start + timedelta(days=30),
        "88",
        start + timedelta(days=30),
    )

    my = client.get(reverse("learning:my-path")).context["my"]

    assert [c.name for c in my.certificates] == [
        "Training, Evaluating, and Deploying Machine Learning Models (ML Expert)"
    ]
    assert [s.code for s in my.required_missing] == ["mlops", "responsible-ai"]
    html = my_path(client)
    valid_until = date_format(my.certificates[0].record.valid_until, "DATE_FORMAT")
    assert f"valid until {valid_until}" in html
    assert "Certified" in html


def test_my_path_in_german(client, program, candidate, office):
    today = timezone.localdate()
    sit(
        candidate,
        office,
        "mlops",
        TEST,
        today - timedelta(days=12),
        "55",
        today - timedelta(days=5),
    )

    html = my_path(client, language="de")

    assert "Mein Weg" in html
    assert "Regel R2" in html
    assert "Frühestens:" in html
    assert "nicht bestanden" in html


def test_a_passed_step_says_when_and_the_next_step_moves_on(client, program, candidate, office):
    start = timezone.localdate() - timedelta(days=10)
    sit(candidate, office, "nlp", TEST, start, "80", start + timedelta(days=3))

    response = client.get(reverse("learning:my-path"))

    nlp = next(
        c for c in response.context["my"].path.certifications if c.certification.code == "nlp"
    )
    assert nlp.next_step.evaluation.code == PORTFOLIO
    assert nlp.next_step.state == "open"
    passed_on = date_format(start + timedelta(days=3), "DATE_FORMAT")
    assert f"You passed the Knowledge test of Natural Language Processing on {passed_on}" in (
        response.content.decode()
    )


def test_a_certified_card_says_once_when_recertification_opens(client, program, candidate, office):
    start = timezone.localdate() - timedelta(days=60)
    sit(candidate, office, "mlops", TEST, start, "84", start)
    sit(
        candidate,
        office,
        "mlops",
        PORTFOLIO,
        start + timedelta(days=30),
        "88",
        start + timedelta(days=30),
    )

    html = my_path(client)

    assert html.count("Rule R12") == 1
    assert "Recertification opens on" in html


def test_my_path_before_any_program_is_loaded_says_so(client, candidate):
    html = my_path(client)

    assert "has not published a program yet" in html

"""The public home page: the program as a candidate first meets it."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    call_command("program", "load", verbosity=0)


def test_home_shows_the_program_its_seven_certifications_and_the_composite_rule(client, program):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "AI Engineer Certification" in html
    assert "AI Service Centre Berlin Brandenburg @ HPI" in html
    for name in (
        "Training, Evaluating, and Deploying Machine Learning Models (ML Expert)",
        "MLOps",
        "Responsible AI",
        "Computer Vision",
        "Natural Language Processing",
        "Multimodal ML",
        "Generative AI",
    ):
        assert name in html
    assert html.count('<th scope="row">') == 7
    assert "Hold all 3 required certifications and at least 3 of the 4 electives" in html


def test_home_explains_the_evaluations_fees_and_waits(client, program):
    html = client.get(reverse("home")).content.decode()

    assert html.index("Knowledge test") < html.index("Interview based on a portfolio project")
    assert "200.00 EUR" in html
    assert "at most 3 attempts" in html
    assert "1 calendar month after the result was released" in html
    assert "valid for 5 years" in html
    assert "kisz@hpi.de" in html


def test_home_states_the_candidates_rights_from_the_program_in_force(client, program):
    # the windows are the program file's (A1, C1), read from the program in the database
    html = client.get(reverse("home")).content.decode()
    assert "within 30 days of its release; someone who took no part in it decides" in html
    assert "with your reasons, within 14 days of submitting it" in html
    assert "it applies by itself to every test and interview in that period" in html
    german = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "innerhalb von 30 Tagen nach der Freigabe" in german
    assert "innerhalb von 14 Tagen nach der Abgabe" in german


def test_home_shows_where_electives_overlap(client, program):
    html = client.get(reverse("home")).content.decode()

    assert "Where the electives overlap" in html
    assert "<strong>Computer Vision</strong> and <strong>Generative AI</strong> share:" in html


def test_home_before_any_program_is_loaded_says_so(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "No program yet" in response.content.decode()


def test_pages_have_a_skip_link_a_main_landmark_and_no_inline_script(client, program):
    for url in (reverse("home"), reverse("account_login"), reverse("account_signup")):
        html = client.get(url).content.decode()
        assert '<html lang="en">' in html
        assert 'href="#main"' in html
        assert '<main id="main"' in html
        # scripts come from files the Content Security Policy allows, never inline
        assert re.findall(r"<script[^>]*>", html) == [
            '<script src="/static/credence/site.js" defer>'
        ]
        assert 'action="/i18n/setlang/"' in html
        assert '<label for="language-select">' in html
        assert 'href="mailto:kisz@hpi.de"' in html  # the program office, in every footer


def test_german_via_accept_language(client, program):
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert '<html lang="de">' in html
    assert "Die Zertifizierungen" in html
    assert "200,00 EUR" in html


def test_german_via_the_language_switch(client, program):
    response = client.post(reverse("set_language"), {"language": "de", "next": "/"})

    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "Die Zertifizierungen" in html
    assert "Anmelden" in html


def test_the_home_page_reads_the_kept_rules_not_the_whole_catalog(
    client, program, django_assert_max_num_queries
):
    client.get(reverse("home"))  # the first visit of this rules version reads the catalog
    # the program's row and the session; the certifications, topics and overlaps come from
    # the rules kept by their version (it made 22 queries on every visit)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("home"))
    assert "Natural Language Processing" in response.content.decode()

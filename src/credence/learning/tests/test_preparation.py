"""Preparation resources, suggested projects (pages and Atom feed) and the planner page."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from credence.accounts.models import User
from credence.exams.services import attempt_book, attempt_record_result
from credence.exams.sessions.services import session_create, session_publish
from credence.items.tests.factories import stock_banks
from credence.learning.models import PathPlan, ResourceAccess, ResourceKind, SuggestedProject
from credence.learning.services import path_plan_save, resource_create, suggested_projects_seed

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


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


@pytest.fixture
def resources(program, office):
    today = timezone.localdate()
    return {
        "workshop": resource_create(
            kind=ResourceKind.WORKSHOP,
            title="Evaluation workshop",
            starts_on=today + timedelta(days=10),
            place="Potsdam",
            certifications=("ml-expert",),
            acting_user=office,
        ),
        "past": resource_create(
            kind=ResourceKind.WORKSHOP,
            title="Last year's workshop",
            starts_on=today - timedelta(days=300),
            place="Potsdam",
            certifications=("ml-expert",),
            acting_user=office,
        ),
        "mooc": resource_create(
            kind=ResourceKind.MOOC,
            title="GenAI MOOC",
            url="https://example.org/genai",
            topics=("text-generation",),
            acting_user=office,
        ),
        "guide": resource_create(
            kind=ResourceKind.STUDY_GUIDE,
            title="MLOps study guide",
            url="https://example.org/mlops",
            access=ResourceAccess.FREE_AND_PAID,
            certifications=("mlops",),
            acting_user=office,
        ),
    }


def titles(response):
    return [r.title for r in response.context["resources"]]


def test_events_need_dates_and_a_place_and_the_rest_a_link(program, office):
    with pytest.raises(ValidationError) as error:
        resource_create(kind=ResourceKind.BOOTCAMP, title="No date", acting_user=office)
    assert set(error.value.message_dict) == {"starts_on", "place"}
    with pytest.raises(ValidationError) as error:
        resource_create(kind=ResourceKind.BLOG_POST, title="No link", acting_user=office)
    assert "url" in error.value.message_dict
    with pytest.raises(ValidationError):
        resource_create(
            kind=ResourceKind.MOOC,
            title="Free with a price",
            url="https://example.org",
            price=Decimal("10.00"),
            currency="EUR",
            acting_user=office,
        )


def test_everyone_sees_current_resources_and_filters_by_kind_and_certification(client, resources):
    everything = client.get(reverse("learning:resources"))
    assert titles(everything) == ["Evaluation workshop", "GenAI MOOC", "MLOps study guide"]
    assert "Potsdam" in everything.content.decode()

    moocs = client.get(reverse("learning:resources"), {"kind": "mooc"})
    assert titles(moocs) == ["GenAI MOOC"]
    # through its topic, the MOOC serves NLP and Generative AI
    nlp = client.get(reverse("learning:resources"), {"certification": "nlp"})
    assert titles(nlp) == ["GenAI MOOC"]


def test_a_candidate_sees_what_their_path_still_needs(client, resources, candidate, office):
    today = timezone.localdate()
    for evaluation, offset in (("knowledge-test", 60), ("portfolio", 30)):
        attempt = attempt_book(
            candidate=candidate,
            certification="ml-expert",
            evaluation=evaluation,
            held_on=today - timedelta(days=offset),
            acting_user=candidate,
        )
        attempt_record_result(
            attempt=attempt,
            score=Decimal(85),
            released_on=today - timedelta(days=offset),
            acting_user=office,
        )
    path_plan_save(candidate=candidate, electives=["computer-vision"], acting_user=candidate)

    response = client.get(reverse("learning:resources"))

    # ML Expert is held; NLP and Generative AI are not in the plan.
    assert titles(response) == ["MLOps study guide"]
    assert "Showing what your path still needs." in response.content.decode()
    assert titles(client.get(reverse("learning:resources"), {"kind": ""})) == [
        "Evaluation workshop",
        "GenAI MOOC",
        "MLOps study guide",
    ]


def test_projects_are_seeded_once_from_the_program_file(program):
    assert suggested_projects_seed() == 14
    SuggestedProject.objects.filter(certification__code="nlp").first().delete()
    assert suggested_projects_seed() == 0
    assert SuggestedProject.objects.count() == 13


def test_projects_as_pages_and_as_an_atom_feed(client, program, settings):
    settings.CREDENCE_PUBLIC_URL = "https://certs.example.test"
    suggested_projects_seed()
    project = SuggestedProject.objects.get(title__startswith="A retrieval-augmented assistant")

    index = client.get(reverse("projects:index")).content.decode()
    assert "Generative AI" in index and project.title in index
    assert 'type="application/atom+xml"' in index
    detail = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert project.title in detail

    feed = client.get(reverse("projects:feed"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 14
    titles_in_feed = [e.find(f"{ATOM}title").text for e in entries]
    assert f"Generative AI: {project.title}" in titles_in_feed
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    # absolute on the public site, not on the host the feed was fetched from (decision 0033)
    assert f"{settings.CREDENCE_PUBLIC_URL}{reverse('projects:detail', args=[project.pk])}" in links
    assert all(link.startswith(settings.CREDENCE_PUBLIC_URL + "/projects/") for link in links)
    feed_links = {e.get("rel"): e.get("href") for e in root.findall(f"{ATOM}link")}
    assert feed_links == {
        "alternate": settings.CREDENCE_PUBLIC_URL + reverse("projects:index"),
        "self": settings.CREDENCE_PUBLIC_URL + reverse("projects:feed"),
    }

    project.published = False
    project.save()
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 404


def test_the_planner_saves_electives_and_shows_overlaps_dates_and_fees(client, program, candidate):
    candidate.date_joined = timezone.make_aware(timezone.datetime(2026, 3, 1, 12))
    candidate.save()

    response = client.post(
        reverse("learning:planner"), {"electives": ["computer-vision", "nlp", "generative-ai"]}
    )
    assert response.status_code == 302
    assert PathPlan.objects.get(candidate=candidate).electives == [
        "computer-vision",
        "nlp",
        "generative-ai",
    ]

    page = client.get(reverse("learning:planner"))
    plan = page.context["plan"]
    html = page.content.decode()
    assert len(plan.steps) == 12
    assert plan.fees == Decimal("2400.00")
    assert plan.subsidy == Decimal("1200.00")  # first cohort: half
    assert "1,200.00 EUR" in html
    pairs = {(o["first_name"], o["second_name"]) for o in page.context["overlaps"]}
    assert pairs == {
        ("Computer Vision", "Generative AI"),
        ("Natural Language Processing", "Generative AI"),
    }
    assert "Image generation" in html and "Text generation" in html


def test_the_planner_refuses_what_is_not_an_elective(client, program, candidate):
    response = client.post(reverse("learning:planner"), {"electives": ["ml-expert"]})
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert not PathPlan.objects.exists()


def test_the_planner_needs_a_login(client, program):
    assert client.get(reverse("learning:planner")).status_code == 302


def test_the_plan_moves_knowledge_tests_to_published_sessions(client, program, candidate, office):
    stock_banks("ml-expert", "mlops")  # a session needs banks that fill its forms (R11)
    now = timezone.now()
    session = session_create(
        certifications=["ml-expert", "mlops"],
        venue="HPI, Potsdam",
        starts_at=now + timedelta(days=20),
        duration_minutes=90,
        capacity=20,
        booking_deadline=now + timedelta(days=13),
        acting_user=office,
    )
    session_publish(session=session, acting_user=office, now=now)
    session_day = timezone.localdate(session.starts_at)

    plan = client.get(reverse("learning:planner")).context["plan"]

    steps = {(s.certification.code, s.evaluation.code): s for s in plan.steps}
    assert steps[("ml-expert", "knowledge-test")].on == session_day
    assert steps[("ml-expert", "knowledge-test")].state == "planned"
    assert steps[("ml-expert", "portfolio")].on == session_day  # after the test (R1)
    assert steps[("responsible-ai", "knowledge-test")].state == "no_session"
    assert steps[("responsible-ai", "knowledge-test")].on == timezone.localdate()

"""The session pages: the office creates and publishes, a candidate books, downloads the
calendar file and cancels; nobody sees another candidate's booking."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.exams.models import Booking, ExamSession
from credence.exams.sessions.services import session_book, session_create, session_publish
from credence.exams.statuses import AttemptStatus
from credence.items.models import Item
from credence.items.tests.factories import stock_banks


@pytest.fixture
def office(db):
    call_command("program", "load", verbosity=0)
    user = User.objects.create_user("office@example.invalid", "x" * 12, full_name="Office")
    user_assign_role(user=user, role=Role.STAFF, acting_user=None)
    stock_banks("ml-expert", "mlops")  # sessions need banks that fill their forms (R11)
    return user


@pytest.fixture
def candidate(db):
    return User.objects.create_user("cand@example.invalid", "x" * 12, full_name="Cand Idate")


def draft(office, certification: str, *, deadline_days: int = 1) -> ExamSession:
    """A session of ``certification`` in 30 days, created by ``office``, not published."""
    start = timezone.now() + timedelta(days=30)
    return session_create(
        certifications=[certification],
        venue="HPI, Potsdam",
        starts_at=start,
        duration_minutes=90,
        capacity=5,
        booking_deadline=start - timedelta(days=deadline_days),
        acting_user=office,
    )


def test_the_office_creates_and_publishes_a_session_a_candidate_books_it(
    client, office, candidate, django_capture_on_commit_callbacks
):
    start = timezone.localtime() + timedelta(days=30)
    client.force_login(office)
    response = client.post(
        reverse("exams:manage"),
        {
            "certifications": ["ml-expert"],
            "venue": "HPI, Potsdam",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "90",
            "capacity": "20",
            "booking_deadline": (start - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    session = ExamSession.objects.get()
    client.force_login(candidate)
    assert "HPI, Potsdam" not in client.get(reverse("exams:sessions")).content.decode()

    client.force_login(office)
    client.post(reverse("exams:publish", args=[session.pk]))
    client.force_login(candidate)
    page = client.get(reverse("exams:sessions")).content.decode()
    assert "HPI, Potsdam" in page
    assert "Book a seat for" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exams:book", args=[session.pk]), {"certification": "ml-expert"})

    booking = Booking.objects.get()
    assert booking.attempt.candidate == candidate
    ics = client.get(reverse("exams:calendar", args=[booking.pk]))
    assert ics["Content-Type"] == "text/calendar"
    assert b"BEGIN:VEVENT" in ics.content
    client.post(reverse("exams:cancel", args=[booking.pk]))
    booking.attempt.refresh_from_db()
    assert booking.attempt.status == AttemptStatus.CANCELLED


def test_the_manage_page_is_for_the_office_only(client, candidate):
    client.force_login(candidate)

    assert client.get(reverse("exams:manage")).status_code == 403


def test_a_refused_booking_says_which_rule(client, office, candidate):
    start = timezone.now() + timedelta(days=30)
    client.force_login(office)
    client.post(
        reverse("exams:manage"),
        {
            "certifications": ["mlops"],
            "venue": "Berlin",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "60",
            "capacity": "1",
            "booking_deadline": (start - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    session = ExamSession.objects.get()
    client.post(reverse("exams:publish", args=[session.pk]))
    client.force_login(candidate)

    response = client.post(
        reverse("exams:book", args=[session.pk]), {"certification": "nlp"}, follow=True
    )

    assert "R11: This session does not hold" in response.content.decode()
    assert not Booking.objects.exists()


def test_booking_an_unpublished_or_unknown_session_books_nothing(client, office, candidate):
    unpublished = draft(office, "mlops")
    client.force_login(candidate)

    refused = client.post(
        reverse("exams:book", args=[unpublished.pk]), {"certification": "mlops"}, follow=True
    )
    unknown = client.post(
        reverse("exams:book", args=[unpublished.pk + 1]), {"certification": "mlops"}
    )

    assert "R11: This session is not published." in refused.content.decode()
    assert unknown.status_code == 404
    assert not Booking.objects.exists()


def test_another_candidates_booking_is_not_found(client, office, candidate):
    session = draft(office, "ml-expert")
    session_publish(session=session, acting_user=office, now=timezone.now())
    booking = session_book(
        session=session, candidate=candidate, certification="ml-expert", acting_user=candidate
    )
    other = User.objects.create_user("other@example.invalid", "x" * 12, full_name="Other")
    client.force_login(other)

    assert client.get(reverse("exams:calendar", args=[booking.pk])).status_code == 404
    assert client.post(reverse("exams:cancel", args=[booking.pk])).status_code == 404


def test_the_office_assigns_proctors_to_a_session_with_an_audit_row(client, office, candidate):
    from credence.audit.models import AuditEvent

    proctor = User.objects.create_user("p@example.invalid", "x" * 12, full_name="Pia Proctor")
    user_assign_role(user=proctor, role=Role.PROCTOR, acting_user=None)
    session = draft(office, "ml-expert", deadline_days=7)
    client.force_login(office)
    assert "Pia Proctor" in client.get(reverse("exams:manage")).content.decode()

    client.post(reverse("exams:proctors", args=[session.pk]), {"proctors": [proctor.pk]})

    assert list(session.proctors.all()) == [proctor]
    event = AuditEvent.objects.get(action="session.proctors_assigned")
    assert event.before == {"proctors": []} and event.after == {"proctors": [proctor.pk]}

    # a candidate is no proctor: refused, and the choice stays as it was
    client.post(reverse("exams:proctors", args=[session.pk]), {"proctors": [candidate.pk]})
    assert list(session.proctors.all()) == [proctor]


def test_the_office_list_names_each_sessions_certifications_and_proctors(client, office):
    proctor = User.objects.create_user("p@example.invalid", "x" * 12, full_name="Pia Proctor")
    user_assign_role(user=proctor, role=Role.PROCTOR, acting_user=None)
    start = timezone.now() + timedelta(days=30)
    for venue, proctors in (("HPI", [proctor]), ("Nowhere", [])):
        session_create(
            certifications=["ml-expert", "mlops"],
            venue=venue,
            starts_at=start,
            duration_minutes=90,
            capacity=5,
            booking_deadline=start - timedelta(days=7),
            proctors=proctors,
            acting_user=office,
        )
    client.force_login(office)
    page = client.get(reverse("exams:manage")).content.decode()

    cells = re.findall(r'data-testid="proctors">\s*(.*?)\s*<details', page, re.S)
    assert sorted(cells) == ["No proctor yet", "Pia Proctor"]
    assert "(ML Expert); MLOps</td>" in page and ">ml-expert" not in page


def session_form(certification: str, start) -> dict:
    return {
        "certifications": [certification],
        "venue": "HPI, Potsdam",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "90",
        "capacity": "20",
        "booking_deadline": (start - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
    }


def test_the_office_is_told_what_the_bank_lacks_before_a_session_exists(client, office):
    client.force_login(office)

    response = client.post(
        reverse("exams:manage"), session_form("nlp", timezone.localtime() + timedelta(days=30))
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Text classification and information extraction: 20 items needed, 0 in the bank" in page
    assert "Text generation: 20 items needed, 0 in the bank" in page
    assert not ExamSession.objects.exists()


def test_a_session_whose_bank_shrank_is_not_published(client, office):
    client.force_login(office)
    client.post(
        reverse("exams:manage"),
        session_form("ml-expert", timezone.localtime() + timedelta(days=30)),
    )
    session = ExamSession.objects.get()
    Item.objects.filter(certification__code="ml-expert").delete()

    response = client.post(reverse("exams:publish", args=[session.pk]), follow=True)

    page = response.content.decode()
    assert "R11: The item bank of" in page
    assert "Supervised learning: 20 items needed, 0 in the bank" in page
    session.refresh_from_db()
    assert session.published_at is None

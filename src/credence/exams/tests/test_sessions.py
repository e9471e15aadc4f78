"""Sessions (R11): publication, booking through the rules, capacity (also under concurrent
booking on PostgreSQL), cancellation, the calendar file and the confirmation e-mail."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import translation
from django_tasks_db.models import DBTaskResult
from hypothesis import given
from hypothesis import strategies as st

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.audit.models import AuditEvent
from credence.catalog.models import Certification
from credence.core.decisions import Refused
from credence.exams.ical import event_calendar
from credence.exams.models import Attempt, Booking, ExamSession
from credence.exams.services import BookingRefused
from credence.exams.sessions.policy import SessionFacts, may_book_seat, may_cancel
from credence.exams.sessions.selectors import published_upcoming, seats_taken
from credence.exams.sessions.services import (
    SessionRefused,
    booking_cancel,
    session_book,
    session_create,
    session_publish,
)
from credence.exams.statuses import AttemptStatus
from credence.exams.tasks import send_booking_confirmation
from credence.items.gift import parse_gift
from credence.items.models import Item
from credence.items.services import item_retire, items_import
from credence.items.tests.factories import blueprint_gift, stock_banks

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
DEADLINE = START - timedelta(days=7)
BEFORE = DEADLINE - timedelta(days=1)


def facts(**overrides):
    values = {
        "certifications": frozenset({"ml-expert"}),
        "starts_at": START,
        "booking_deadline": DEADLINE,
        "capacity": 2,
        "seats_taken": 0,
        "published": True,
    }
    return SessionFacts(**(values | overrides))


# --- the rule, as plain data ------------------------------------------------------------------


def test_a_published_open_session_with_seats_may_be_booked():
    assert may_book_seat(facts(), "ml-expert", BEFORE).allowed


@pytest.mark.parametrize(
    ("overrides", "certification", "now", "words"),
    [
        ({"published": False}, "ml-expert", BEFORE, "not published"),
        ({}, "nlp", BEFORE, "does not hold"),
        ({}, "ml-expert", DEADLINE + timedelta(seconds=1), "closed"),
        ({"seats_taken": 2}, "ml-expert", BEFORE, "full"),
    ],
)
def test_refusals_name_r11_and_say_why(overrides, certification, now, words):
    decision = may_book_seat(facts(**overrides), certification, now)

    assert isinstance(decision, Refused)
    assert decision.rule == "R11"
    assert words in decision.reason


@given(capacity=st.integers(1, 50), taken=st.integers(0, 60))
def test_a_seat_is_offered_exactly_while_one_is_free(capacity, taken):
    decision = may_book_seat(facts(capacity=capacity, seats_taken=taken), "ml-expert", BEFORE)

    assert decision.allowed == (taken < capacity)


def test_candidates_cancel_until_the_deadline_staff_until_the_start():
    after_deadline = DEADLINE + timedelta(hours=1)

    assert may_cancel(facts(), DEADLINE, by_staff=False).allowed
    assert not may_cancel(facts(), after_deadline, by_staff=False).allowed
    assert may_cancel(facts(), after_deadline, by_staff=True).allowed
    assert not may_cancel(facts(), START + timedelta(minutes=1), by_staff=True).allowed


# --- the calendar file ------------------------------------------------------------------------


def test_the_calendar_file_follows_rfc_5545():
    text = event_calendar(
        uid="booking-1@credence",
        summary="Knowledge test: Training, Evaluating, and Deploying ML Models; ML Expert",
        location="HPI, Prof.-Dr.-Helmert-Straße 2\u20133, Potsdam",
        description="Line one\nline two with a very long text that must be folded " * 2,
        starts_at=START,
        ends_at=START + timedelta(minutes=90),
        stamp=BEFORE,
        url="https://certs.example.test/path/",
    )

    lines = text.split("\r\n")
    assert "URL:https://certs.example.test/path/" in lines  # a URI: not escaped as text
    assert text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20260302T080000Z" in lines
    assert "DTEND:20260302T093000Z" in lines
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "LOCATION:HPI\\, Prof.-Dr.-Helmert-Straße 2\u20133\\, Potsdam" in unfolded
    assert "SUMMARY:Knowledge test: Training\\, Evaluating\\, and Deploying ML Models\\; ML" in (
        unfolded
    )
    assert "DESCRIPTION:Line one\\nline two" in unfolded


# --- services against the database ------------------------------------------------------------


@pytest.fixture
def office(program):
    user = User.objects.create_user("office@example.invalid", "x" * 12, full_name="Office")
    user_assign_role(user=user, role=Role.STAFF, acting_user=None)
    stock_banks("ml-expert", "mlops", "nlp")  # sessions need banks that fill their forms (R11)
    return user


def make_session(office, *certifications: str, **changes):
    """A draft session through the real service: ordinary details unless a test changes them."""
    details = {
        "certifications": list(certifications),
        "venue": "HPI",
        "starts_at": START,
        "duration_minutes": 90,
        "capacity": 2,
        "booking_deadline": DEADLINE,
        "acting_user": office,
    }
    return session_create(**(details | changes))


def make_candidate(n):
    return User.objects.create_user(f"cand{n}@example.invalid", "x" * 12, full_name=f"Cand {n}")


def book(session, candidate, certification: str = "ml-expert"):
    """``candidate`` books a seat for themselves, before the deadline (``BEFORE``)."""
    return session_book(
        session=session,
        candidate=candidate,
        certification=certification,
        acting_user=candidate,
        now=BEFORE,
    )


@pytest.fixture
def session(office):
    created = session_create(
        certifications=["ml-expert", "mlops"],
        venue="HPI, Potsdam, room A-1.1",
        starts_at=START,
        duration_minutes=90,
        capacity=2,
        booking_deadline=DEADLINE,
        acting_user=office,
    )
    return session_publish(session=created, acting_user=office, now=BEFORE - timedelta(days=30))


def test_creating_a_session_checks_it(office):
    with pytest.raises(ValidationError) as caught:
        session_create(
            certifications=["no-such"],
            venue=" ",
            starts_at=START,
            duration_minutes=0,
            capacity=0,
            booking_deadline=START + timedelta(days=1),
            acting_user=office,
        )

    assert set(caught.value.message_dict) == {
        "certifications",
        "venue",
        "duration_minutes",
        "capacity",
        "booking_deadline",
    }
    assert not ExamSession.objects.exists()


def test_only_published_sessions_are_listed(office, session):
    draft = session_create(
        certifications=["nlp"],
        venue="Berlin",
        starts_at=START,
        duration_minutes=60,
        capacity=5,
        booking_deadline=DEADLINE,
        acting_user=office,
    )

    assert list(published_upcoming(BEFORE)) == [session]
    assert draft not in published_upcoming(BEFORE)
    assert AuditEvent.objects.filter(action="session.published").count() == 1


def test_booking_makes_an_attempt_on_the_sessions_day_and_mails_a_calendar(
    session, django_capture_on_commit_callbacks, settings
):
    settings.CREDENCE_PUBLIC_URL = "http://127.0.0.1:8111"
    candidate = make_candidate(1)
    # django-tasks resets its backends when TASKS changes
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    with django_capture_on_commit_callbacks(execute=True):
        booking = book(session, candidate)

    attempt = booking.attempt
    assert (attempt.certification.code, attempt.evaluation.code) == ("ml-expert", "knowledge-test")
    assert attempt.held_on.isoformat() == "2026-03-02"
    assert attempt.status == AttemptStatus.BOOKED
    (message,) = mail.outbox
    assert message.to == ["cand1@example.invalid"]
    assert "HPI, Potsdam, room A-1.1" in message.body
    # the product's name titles the mail; its link and the calendar's come from the public URL
    assert message.subject.startswith("[Credence] Your knowledge test: ")
    assert "on your path page: http://127.0.0.1:8111/path/\n" in message.body
    ((name, content, mimetype),) = message.attachments
    assert (name, mimetype.split(";")[0]) == ("knowledge-test.ics", "text/calendar")
    assert "DTSTART:20260302T080000Z" in content
    assert "URL:http://127.0.0.1:8111/path/\r\n" in content
    assert f"UID:booking-{booking.pk}@127.0.0.1\r\n" in content
    assert AuditEvent.objects.filter(action="session.booked").count() == 1


def test_the_confirmation_is_queued_in_the_bookings_own_transaction(session):
    # a row of the same transaction: no booking without its mail, no mail without a booking
    candidate = make_candidate(1)

    with pytest.raises(RuntimeError), transaction.atomic():
        book(session, candidate)
        assert DBTaskResult.objects.count() == 1  # queued before the commit, not after it
        raise RuntimeError("the booking's transaction rolls back")

    assert not DBTaskResult.objects.exists()
    assert not Booking.objects.exists()


def test_the_confirmation_is_mailed_by_the_worker_in_the_language_booked_in(
    session, django_capture_on_commit_callbacks, settings
):
    # with the product's task queue (the database), the booking's request only queues the
    # mail: a mail server that is slow or down cannot hold up or fail a committed booking
    candidate = make_candidate(1)
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        booking = book(session, candidate)
    assert mail.outbox == []
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "credence.exams.tasks.send_booking_confirmation"
    assert queued.args_kwargs["kwargs"] == {"booking_id": booking.pk, "language": "de"}

    send_booking_confirmation.call(**queued.args_kwargs["kwargs"])  # as the worker runs it

    (message,) = mail.outbox
    assert message.subject.startswith("[Credence] Ihr Wissenstest: ")
    assert f"stornieren: {settings.CREDENCE_PUBLIC_URL}/path/\n" in message.body
    assert message.to == ["cand1@example.invalid"]


def test_nothing_is_mailed_when_the_booking_is_refused(session, django_capture_on_commit_callbacks):
    candidate = make_candidate(1)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(BookingRefused):
        book(session, candidate, "nlp")

    assert mail.outbox == []
    assert not Attempt.objects.exists()


def test_the_rules_of_the_candidate_apply_too(session):
    candidate = make_candidate(1)
    book(session, candidate)

    with pytest.raises(BookingRefused) as caught:
        book(session, candidate)

    assert caught.value.decision.rule != "R11"  # one booking at a time (decision 0005)
    assert Booking.objects.count() == 1


def test_a_full_session_refuses_and_a_cancellation_frees_the_seat(session):
    first, second, third = (make_candidate(n) for n in range(3))
    booking = book(session, first)
    book(session, second, "mlops")

    with pytest.raises(BookingRefused) as caught:
        book(session, third)
    assert caught.value.decision.rule == "R11"

    booking_cancel(booking=booking, acting_user=first, now=BEFORE)
    booking.attempt.refresh_from_db()
    assert booking.attempt.status == AttemptStatus.CANCELLED
    assert seats_taken(session) == 1
    book(session, third)
    assert seats_taken(session) == 2


def test_after_the_deadline_only_the_office_cancels(session, office):
    candidate = make_candidate(1)
    booking = book(session, candidate)
    late = DEADLINE + timedelta(days=1)

    with pytest.raises(BookingRefused):
        booking_cancel(booking=booking, acting_user=candidate, now=late)
    with pytest.raises(PermissionError):
        booking_cancel(booking=booking, acting_user=make_candidate(2), now=BEFORE)
    booking_cancel(booking=booking, acting_user=office, now=late)

    booking.attempt.refresh_from_db()
    assert booking.attempt.status == AttemptStatus.CANCELLED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_never_exceed_capacity(office):
    call_command("program", "load", verbosity=0)
    session = make_session(office, "ml-expert", capacity=3)
    session_publish(session=session, acting_user=office, now=BEFORE - timedelta(days=30))
    candidates = [make_candidate(n) for n in range(12)]
    barrier = threading.Barrier(len(candidates))
    outcomes: list[str] = []

    def book_at_once(candidate):
        try:
            barrier.wait()
            book(session, candidate)
            outcomes.append("booked")
        except BookingRefused as refused:
            outcomes.append(refused.decision.rule)
        finally:
            connection.close()

    threads = [threading.Thread(target=book_at_once, args=(c,)) for c in candidates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["R11"] * 9 + ["booked"] * 3
    assert seats_taken(session) == 3


# --- a session only for tests whose forms the bank can fill (R11) -------------------------------


def cv_name():
    return Certification.objects.get(code="computer-vision").name


def test_a_session_is_not_created_when_the_bank_cannot_fill_its_forms(office):
    # computer-vision's bank holds 5 image-classification items and nothing else
    items_import(
        certification=Certification.objects.get(code="computer-vision"),
        items=parse_gift(blueprint_gift("computer-vision"))[:5],
        acting_user=None,
    )

    with pytest.raises(ValidationError) as caught:
        make_session(office, "ml-expert", "computer-vision")

    assert caught.value.message_dict == {
        "certifications": [
            f"The item bank of {cv_name()} cannot fill a test form: "
            "Image classification: 20 items needed, 5 in the bank; "
            "Object detection and segmentation: 20 items needed, 0 in the bank; "
            "Image generation: 20 items needed, 0 in the bank."
        ]
    }
    assert not ExamSession.objects.exists()
    assert not AuditEvent.objects.filter(action="session.created").exists()


def test_publishing_checks_the_bank_again(office):
    draft = make_session(office, "ml-expert")
    # the bank shrank after the session was created
    Item.objects.filter(
        certification__code="ml-expert", versions__topics__code="model-evaluation"
    ).delete()

    with pytest.raises(SessionRefused) as caught:
        session_publish(session=draft, acting_user=office, now=BEFORE - timedelta(days=30))

    assert caught.value.decision.rule == "R11"
    assert caught.value.decision.reason.endswith(
        "cannot fill a test form: Model evaluation and validation: 20 items needed, 0 in the bank."
    )
    draft.refresh_from_db()
    assert draft.published_at is None
    assert not AuditEvent.objects.filter(action="session.published").exists()
    with pytest.raises(BookingRefused):
        session_book(
            session=draft,
            candidate=make_candidate(1),
            certification="ml-expert",
            acting_user=office,
            now=BEFORE,
        )


def test_retired_items_do_not_count_for_the_bank(office):
    # one retired model-evaluation item leaves 19 of the 20 a form needs
    retired = Item.objects.filter(
        certification__code="ml-expert", versions__topics__code="model-evaluation"
    ).first()
    item_retire(item=retired, acting_user=office, now=BEFORE)

    with pytest.raises(ValidationError) as caught:
        make_session(office, "ml-expert")

    assert caught.value.message_dict["certifications"][0].endswith(
        "Model evaluation and validation: 20 items needed, 19 in the bank."
    )

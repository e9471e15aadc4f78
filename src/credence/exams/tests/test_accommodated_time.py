"""An approved accommodation's extra time (rule AC3, decision 0052) on the server's clock
(R11): it applies by itself at check-in to a sitting on a day of its validity period, on
top of and apart from the proctor's extra minutes; a requested or refused one, or one
outside its period, changes nothing. The console and the test page show it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from credence.accommodations.services import accommodation_decide, accommodation_request
from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.exams.delivery.policy import Clock, allowed_minutes, deadline, may_answer
from credence.exams.delivery.selectors import console_rows
from credence.exams.delivery.services import (
    response_save,
    session_open,
    sitting_check_in,
    sitting_extend,
    sitting_start,
)
from credence.exams.models import Sitting
from credence.exams.services import BookingRefused
from credence.exams.sessions.services import session_book, session_create, session_publish

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def documents_dir(settings, tmp_path):
    settings.CREDENCE_ACCOMMODATION_DOCUMENTS_DIR = tmp_path / "documents"


# --- the clock, as plain data -----------------------------------------------------------------


def test_the_factor_lengthens_the_limit_and_the_proctors_minutes_come_on_top():
    clock = Clock(START, 40, time_factor=Decimal("1.5"))
    assert allowed_minutes(clock) == 60
    assert deadline(clock, START) == START + timedelta(minutes=60)
    both = Clock(START, 90, extra_minutes=10, time_factor=Decimal("1.5"))
    assert deadline(both, START) == START + timedelta(minutes=145)
    assert may_answer(clock, START + timedelta(minutes=60)).allowed
    late = may_answer(clock, START + timedelta(minutes=60, seconds=1))
    assert late.rule == "R11" and "Time was up" in late.reason


@given(
    limit=st.integers(min_value=1, max_value=300),
    extra=st.integers(min_value=0, max_value=240),
    paused=st.integers(min_value=0, max_value=7200),
    factor=st.decimals(min_value=Decimal("1.1"), max_value=Decimal("3"), places=2),
)
def test_an_accommodation_never_shortens_a_test_and_adds_at_most_its_share(
    limit, extra, paused, factor
):
    plain = Clock(START, limit, extra_minutes=extra, paused_seconds=paused)
    accommodated = Clock(
        START, limit, extra_minutes=extra, paused_seconds=paused, time_factor=factor
    )
    gained = deadline(accommodated, START) - deadline(plain, START)
    assert gained > timedelta(0)
    assert gained < timedelta(minutes=float(limit * (factor - 1)) + 1)


# --- against the database ---------------------------------------------------------------------


def person(local, *roles):
    user = User.objects.create_user(f"{local}@example.invalid", "x" * 12, full_name=local.title())
    for role in roles:
        user_assign_role(user=user, role=role, acting_user=None)
    return user


@pytest.fixture
def proctor(office_with_bank):
    return person("proctor", Role.PROCTOR)


@pytest.fixture
def session(office_with_bank, proctor):
    created = session_create(
        certifications=["ml-expert"],
        venue="HPI",
        starts_at=START,
        duration_minutes=180,
        capacity=10,
        booking_deadline=START - timedelta(days=7),
        proctors=[proctor],
        acting_user=office_with_bank,
    )
    return session_publish(session=created, acting_user=office_with_bank, now=START - timedelta(10))


def booked(session, local):
    candidate = person(local, Role.CANDIDATE)
    return session_book(
        session=session,
        candidate=candidate,
        certification="ml-expert",
        acting_user=candidate,
        now=START - timedelta(days=10),
    )


def accommodate(candidate, office, *, kind="extra_time", factor="1.5", valid=None, approve=True):
    accommodation = accommodation_request(
        candidate=candidate,
        kind=kind,
        time_factor=Decimal(factor) if factor else None,
        details="Dyslexia.",
        uploads=[SimpleUploadedFile("letter.pdf", PDF, "application/pdf")],
        now=START - timedelta(days=30),
    )
    if approve is None:
        return accommodation
    start, end = valid or (date(2026, 1, 1), date(2026, 12, 31))
    return accommodation_decide(
        accommodation=accommodation,
        approve=approve,
        valid_from=start,
        valid_until=end,
        note="" if approve else "No need shown.",
        acting_user=office,
        now=START - timedelta(days=20),
    )


def started(booking, proctor):
    sitting = sitting_check_in(booking=booking, acting_user=proctor, now=START)
    return sitting_start(sitting=sitting, candidate=booking.attempt.candidate, now=START)


def answer(sitting, at):
    return response_save(
        sitting_id=sitting.pk,
        candidate=sitting.booking.attempt.candidate,
        position=0,
        answer={"choice": 0},
        flagged=False,
        now=at,
    )


def test_the_server_enforces_the_extended_deadline(session, proctor, office_with_bank):
    booking = booked(session, "ada")
    accommodate(booking.attempt.candidate, office_with_bank)
    session_open(session=session, acting_user=proctor, now=START)
    sitting = started(booking, proctor)
    assert sitting.time_factor == Decimal("1.5") and sitting.extra_minutes == 0

    answer(sitting, START + timedelta(minutes=134, seconds=59))  # 90 times 1.5 = 135 minutes
    with pytest.raises(BookingRefused) as late:
        answer(sitting, START + timedelta(minutes=135, seconds=1))
    assert late.value.decision.rule == "R11"
    sitting.refresh_from_db()
    assert sitting.submitted_by_server and sitting.submitted_at > START + timedelta(minutes=135)


@pytest.mark.parametrize(
    ("how", "valid"),
    [
        (None, None),  # requested, never approved
        (False, None),  # refused
        (True, (date(2026, 3, 3), date(2026, 12, 31))),  # approved from the next day on
        (True, (date(2025, 1, 1), date(2026, 3, 1))),  # ended the day before
    ],
)
def test_without_approval_valid_that_day_nothing_changes(
    session, proctor, office_with_bank, how, valid
):
    booking = booked(session, "bob")
    accommodate(booking.attempt.candidate, office_with_bank, approve=how, valid=valid)
    session_open(session=session, acting_user=proctor, now=START)
    sitting = started(booking, proctor)
    assert sitting.time_factor == 1
    with pytest.raises(BookingRefused):
        answer(sitting, START + timedelta(minutes=90, seconds=1))


def test_the_proctors_minutes_come_on_top_and_the_console_shows_both(
    session, proctor, office_with_bank
):
    ada, bob = booked(session, "ada"), booked(session, "bob")
    accommodate(ada.attempt.candidate, office_with_bank)
    accommodate(ada.attempt.candidate, office_with_bank, kind="rest_breaks", factor=None)
    accommodate(
        bob.attempt.candidate, office_with_bank, kind="separate_room", factor=None, approve=None
    )
    session_open(session=session, acting_user=proctor, now=START)
    sitting = started(ada, proctor)
    sitting_extend(sitting=sitting, minutes=10, reason="Fire alarm", acting_user=proctor)
    answer(sitting, START + timedelta(minutes=144))  # 135 + 10

    rows = {row.name: row for row in console_rows(session, START)}
    assert rows["Ada"].accommodated_minutes == 135 and rows["Ada"].extra_minutes == 10
    assert [(o.accommodation.kind, o.applies) for o in rows["Ada"].accommodations] == [
        ("extra_time", True),
        ("rest_breaks", True),
    ]
    [pending] = rows["Bob"].accommodations
    assert not pending.applies and pending.decision.rule == "AC3"


def test_the_console_and_the_test_page_say_so(client, session, proctor, office_with_bank):
    booking = booked(session, "ada")
    candidate = booking.attempt.candidate
    accommodate(candidate, office_with_bank)
    bob = booked(session, "bob")
    accommodate(bob.attempt.candidate, office_with_bank, kind="other", factor=None, approve=None)
    with time_machine.travel(START, tick=False):
        session_open(session=session, acting_user=proctor, now=START)
        sitting = sitting_check_in(booking=booking, acting_user=proctor, now=START)
        client.force_login(proctor)
        console = client.get(reverse("exams:console", args=[session.pk])).content.decode()
        assert "Extra time \u00d71.5: 135 min, applied" in console
        assert "Other — AC3: Not approved by the program office: it does not apply" in console
        client.force_login(candidate)
        page = client.get(reverse("exams:test", args=[sitting.pk])).content.decode()
    assert "Your time: 135 min (extended from 90)" in page
    assert Sitting.objects.get().started_at == START

"""A live test from check-in to close: the form, the server's clock, autosave, the proctor's
actions and the console (counts, never answers)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.catalog.models import Certification
from credence.exams.delivery.policy import (
    Clock,
    deadline,
    may_answer,
    seconds_left,
    time_warning,
)
from credence.exams.delivery.selectors import console_rows, progress, shown_item
from credence.exams.delivery.services import (
    DeliveryError,
    response_save,
    session_close,
    session_open,
    session_pause_all,
    session_resume_all,
    sitting_check_in,
    sitting_extend,
    sitting_pause,
    sitting_resume,
    sitting_start,
    sitting_submit_if_over,
)
from credence.exams.models import Booking, ExamSession
from credence.exams.services import BookingRefused, attempt_record_result
from credence.exams.sessions.services import session_book, session_create, session_publish
from credence.exams.statuses import AttemptStatus
from credence.exams.tests.conftest import TOPICS, bank_text
from credence.items.gift import parse_gift
from credence.items.models import Item, ItemVersion
from credence.items.services import items_import

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
BOOKING_DAY = START - timedelta(days=10)


# --- the clock, as plain data -----------------------------------------------------------------


def test_the_deadline_adds_extra_time_and_pauses():
    clock = Clock(started_at=START, time_limit_minutes=90, extra_minutes=15, paused_seconds=60)

    assert deadline(clock, START) == START + timedelta(minutes=106)
    paused = Clock(started_at=START, time_limit_minutes=90, paused_at=START + timedelta(hours=1))
    later = START + timedelta(hours=2)
    assert deadline(paused, later) == START + timedelta(minutes=150)
    assert seconds_left(paused, later) == 30 * 60


@pytest.mark.parametrize(
    ("seconds", "paused", "warning"),
    [
        (601, False, None),
        (600, False, 10),
        (121, False, 10),
        (120, False, 2),
        (0, False, 2),
        (60, True, None),  # a paused test's time does not run: no alarm
    ],
)
def test_the_countdown_warns_at_ten_and_at_two_minutes(seconds, paused, warning):
    assert time_warning(seconds, paused=paused) == warning


@pytest.mark.parametrize(
    ("clock", "now", "allowed", "words"),
    [
        (Clock(START, 90), START + timedelta(minutes=90), True, ""),
        (Clock(START, 90), START + timedelta(minutes=90, seconds=1), False, "Time was up"),
        (Clock(None, 90), START, False, "not started"),
        (Clock(START, 90, paused_at=START), START, False, "paused"),
        (Clock(START, 90, submitted_at=START), START, False, "submitted"),
    ],
)
def test_answers_count_only_while_the_test_runs(clock, now, allowed, words):
    decision = may_answer(clock, now)

    assert decision.allowed is allowed
    if not allowed:
        assert decision.rule == "R11"
        assert words in decision.reason


# --- against the database ---------------------------------------------------------------------


@pytest.fixture
def proctor(office_with_bank):
    user = User.objects.create_user("proctor@example.invalid", "x" * 12, full_name="Proctor")
    user_assign_role(user=user, role=Role.PROCTOR, acting_user=None)
    return user


@pytest.fixture
def session(office_with_bank, proctor):
    created = session_create(
        certifications=["ml-expert"],
        venue="HPI",
        starts_at=START,
        duration_minutes=120,
        capacity=10,
        booking_deadline=START - timedelta(days=7),
        proctors=[proctor],
        acting_user=office_with_bank,
    )
    return session_publish(session=created, acting_user=office_with_bank, now=BOOKING_DAY)


def booked(session, n):
    candidate = User.objects.create_user(f"c{n}@example.invalid", "x" * 12, full_name=f"C {n}")
    return session_book(
        session=session,
        candidate=candidate,
        certification="ml-expert",
        acting_user=candidate,
        now=BOOKING_DAY,
    )


def right_choice(sitting, position):
    item = shown_item(sitting, position)
    return next(o.index for o in item.options if o.text == "right")


def test_check_in_draws_a_form_by_the_blueprint_and_freezes_its_versions(session, proctor):
    booking = booked(session, 1)
    session_open(session=session, acting_user=proctor, now=START)

    sitting = sitting_check_in(booking=booking, acting_user=proctor, now=START)

    assert sitting.time_limit_minutes == 90
    assert len(sitting.form) == 60
    assert {e["topic"] for e in sitting.form} == set(TOPICS)
    versions = ItemVersion.objects.filter(pk__in=[e["version"] for e in sitting.form])
    assert all(v.first_used_at == START for v in versions)
    assert sitting_check_in(booking=booking, acting_user=proctor, now=START).pk == sitting.pk


def test_a_bank_that_shrank_after_booking_stops_check_in_with_the_offices_sentence(
    session, proctor, office_with_bank
):
    booking = booked(session, 1)
    session_open(session=session, acting_user=proctor, now=START)
    Item.objects.filter(versions__topics__code="model-deployment").delete()

    with pytest.raises(DeliveryError) as at_check_in:
        sitting_check_in(booking=booking, acting_user=proctor, now=START)
    with pytest.raises(ValidationError) as at_the_office:
        session_create(
            certifications=["ml-expert"],
            venue="HPI",
            starts_at=START + timedelta(days=30),
            duration_minutes=120,
            capacity=10,
            booking_deadline=START + timedelta(days=20),
            acting_user=office_with_bank,
        )

    name = Certification.objects.get(code="ml-expert").name
    sentence = (
        f"The item bank of {name} cannot fill a test form: "
        "Model deployment and serving: 20 items needed, 0 in the bank."
    )
    assert str(at_check_in.value) == sentence
    assert at_the_office.value.message_dict == {"certifications": [sentence]}


def test_candidates_only_check_in_to_an_open_session_and_only_proctors_check_in(session, proctor):
    booking = booked(session, 1)

    with pytest.raises(DeliveryError):
        sitting_check_in(booking=booking, acting_user=proctor, now=START)
    with pytest.raises(PermissionError):
        session_open(session=session, acting_user=booking.attempt.candidate, now=START)


def test_answers_are_saved_resumed_and_refused_after_the_deadline(session, proctor):
    booking = booked(session, 1)
    candidate = booking.attempt.candidate
    session_open(session=session, acting_user=proctor, now=START)
    sitting = sitting_check_in(booking=booking, acting_user=proctor, now=START)
    sitting = sitting_start(sitting=sitting, candidate=candidate, now=START)

    choice = right_choice(sitting, 0)
    response_save(
        sitting_id=sitting.pk,
        candidate=candidate,
        position=0,
        answer={"choice": choice},
        flagged=True,
        now=START + timedelta(minutes=1),
    )
    # a retried request is harmless
    response_save(
        sitting_id=sitting.pk,
        candidate=candidate,
        position=0,
        answer={"choice": choice},
        flagged=True,
        now=START + timedelta(minutes=1),
    )

    # a new browser, after a reload: the answer and the flag are there
    again = shown_item(sitting, 0)
    assert (again.answer, again.flagged) == ({"choice": choice}, True)
    assert progress(sitting)[0] == (True, True)
    with pytest.raises(DeliveryError):
        response_save(
            sitting_id=sitting.pk,
            candidate=candidate,
            position=1,
            answer={"choice": 7},
            flagged=False,
            now=START + timedelta(minutes=2),
        )
    with pytest.raises(BookingRefused) as caught:
        response_save(
            sitting_id=sitting.pk,
            candidate=candidate,
            position=1,
            answer={"choice": 0},
            flagged=False,
            now=START + timedelta(minutes=90, seconds=1),
        )
    assert caught.value.decision.rule == "R11"
    assert sitting.responses.count() == 1
    # the late answer found the time up: the server submitted the test as it refused it
    sitting.refresh_from_db()
    assert sitting.submitted_at == START + timedelta(minutes=90, seconds=1)
    assert sitting.submitted_by_server is True
    sitting = sitting_submit_if_over(sitting=sitting, now=START + timedelta(minutes=91))
    assert sitting.submitted_at == START + timedelta(minutes=90, seconds=1)


def running_sitting(session, proctor):
    booking = booked(session, 1)
    session_open(session=session, acting_user=proctor, now=START)
    sitting = sitting_check_in(booking=booking, acting_user=proctor, now=START)
    return sitting_start(sitting=sitting, candidate=booking.attempt.candidate, now=START)


def test_a_changed_answer_replaces_the_saved_one_in_its_row(session, proctor):
    sitting = running_sitting(session, proctor)
    candidate = sitting.booking.attempt.candidate
    right = right_choice(sitting, 3)
    first = response_save(
        sitting_id=sitting.pk,
        candidate=candidate,
        position=3,
        answer={"choice": (right + 1) % 3},
        flagged=True,
        now=START + timedelta(minutes=1),
    )

    second = response_save(
        sitting_id=sitting.pk,
        candidate=candidate,
        position=3,
        answer={"choice": right},
        flagged=False,
        now=START + timedelta(minutes=2),
    )

    assert second.pk == first.pk
    saved = sitting.responses.get()
    assert (saved.position, saved.answer, saved.flagged) == (3, {"choice": right}, False)
    assert saved.saved_at == START + timedelta(minutes=2)
    assert saved.version_id == sitting.form[3]["version"]
    sitting.refresh_from_db()
    assert sitting.position == 3  # where the candidate comes back to after a reload


def test_a_candidate_answers_only_their_own_test(session, proctor):
    sitting = running_sitting(session, proctor)
    other = booked(session, 2).attempt.candidate

    with pytest.raises(PermissionError):
        response_save(
            sitting_id=sitting.pk,
            candidate=other,
            position=0,
            answer={"choice": 0},
            flagged=False,
            now=START + timedelta(minutes=1),
        )
    assert not sitting.responses.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_autosave_locks_only_its_sitting_not_the_session_or_the_booking(session, proctor):
    sitting = running_sitting(session, proctor)
    locked, release = threading.Event(), threading.Event()

    def hold_the_session_and_booking() -> None:
        # what a proctor's action or a late booking holds while it works
        try:
            with transaction.atomic():
                ExamSession.objects.select_for_update().get(pk=session.pk)
                Booking.objects.select_for_update().get(pk=sitting.booking_id)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_session_and_booking)
    holder.start()
    try:
        assert locked.wait(10)
        with transaction.atomic():
            # fail at once instead of waiting, should the save want either row
            connection.cursor().execute("SET LOCAL lock_timeout = '1s'")
            response_save(
                sitting_id=sitting.pk,
                candidate=sitting.booking.attempt.candidate,
                position=0,
                answer={"choice": 0},
                flagged=False,
                now=START + timedelta(minutes=1),
            )
    finally:
        release.set()
        holder.join()
    assert sitting.responses.count() == 1


def test_the_page_never_carries_the_key(session, proctor):
    booking = booked(session, 1)
    session_open(session=session, acting_user=proctor, now=START)
    sitting = sitting_check_in(booking=booking, acting_user=proctor, now=START)

    item = shown_item(sitting, 0)

    assert not hasattr(item.options[0], "fraction")
    assert "fine" not in repr(item)  # feedback stays on the server too
    assert sorted(o.text for o in item.options) == ["other", "right", "wrong"]


def test_extra_time_and_pauses_move_one_candidates_deadline(session, proctor):
    first, second = booked(session, 1), booked(session, 2)
    session_open(session=session, acting_user=proctor, now=START)
    one = sitting_start(
        sitting=sitting_check_in(booking=first, acting_user=proctor, now=START),
        candidate=first.attempt.candidate,
        now=START,
    )
    two = sitting_start(
        sitting=sitting_check_in(booking=second, acting_user=proctor, now=START),
        candidate=second.attempt.candidate,
        now=START,
    )

    sitting_extend(sitting=one, minutes=20, reason="approved accommodation", acting_user=proctor)
    sitting_pause(sitting=two, acting_user=proctor, now=START + timedelta(minutes=10))
    with pytest.raises(BookingRefused):
        response_save(
            sitting_id=two.pk,
            candidate=second.attempt.candidate,
            position=0,
            answer={"choice": 0},
            flagged=False,
            now=START + timedelta(minutes=11),
        )
    sitting_resume(sitting=two, acting_user=proctor, now=START + timedelta(minutes=15))
    assert (
        session_pause_all(session=session, acting_user=proctor, now=START + timedelta(minutes=20))
        == 2
    )
    assert (
        session_resume_all(session=session, acting_user=proctor, now=START + timedelta(minutes=30))
        == 2
    )

    at = START + timedelta(minutes=100)
    rows = {r.name: r for r in console_rows(session, at)}
    assert rows["C 1"].seconds_left == (90 + 20 + 10 - 100) * 60
    assert rows["C 2"].seconds_left == (90 + 5 + 10 - 100) * 60
    assert rows["C 1"].extra_minutes == 20
    with pytest.raises(DeliveryError):
        sitting_extend(sitting=one, minutes=5, reason=" ", acting_user=proctor)


def test_the_console_counts_and_close_submits_and_records_no_shows(session, proctor):
    present, absent = booked(session, 1), booked(session, 2)
    session_open(session=session, acting_user=proctor, now=START)
    sitting = sitting_start(
        sitting=sitting_check_in(booking=present, acting_user=proctor, now=START),
        candidate=present.attempt.candidate,
        now=START,
    )
    for position in range(3):
        response_save(
            sitting_id=sitting.pk,
            candidate=present.attempt.candidate,
            position=position,
            answer={"choice": 0},
            flagged=False,
            now=START + timedelta(minutes=position + 1),
        )

    rows = {r.name: r for r in console_rows(session, START + timedelta(minutes=5))}
    assert (rows["C 1"].state, rows["C 1"].answered, rows["C 1"].total) == ("running", 3, 60)
    assert rows["C 2"].state == "booked"
    assert "answer" not in {field for field in rows["C 1"].__dataclass_fields__}

    session_close(session=session, acting_user=proctor, now=START + timedelta(minutes=60))

    sitting.refresh_from_db()
    absent.attempt.refresh_from_db()
    assert sitting.submitted_at is not None
    assert absent.attempt.status == AttemptStatus.NO_SHOW


def test_a_second_attempt_avoids_the_items_seen_in_the_first(session, proctor, office_with_bank):
    booking = booked(session, 1)
    session_open(session=session, acting_user=proctor, now=START)
    first = sitting_check_in(booking=booking, acting_user=proctor, now=START)
    session_close(session=session, acting_user=proctor, now=START + timedelta(hours=2))
    # a bank twice the form: the next form can be all new
    items_import(
        certification=Certification.objects.get(code="ml-expert"),
        items=parse_gift(bank_text(21, prefix="new-")),
        acting_user=None,
    )
    attempt_record_result(
        attempt=booking.attempt,
        score=Decimal(40),
        released_on=START.date(),
        acting_user=office_with_bank,
    )
    later = session_create(
        certifications=["ml-expert"],
        venue="HPI",
        starts_at=START + timedelta(days=60),
        duration_minutes=120,
        capacity=10,
        booking_deadline=START + timedelta(days=50),
        proctors=[proctor],
        acting_user=office_with_bank,
    )
    session_publish(session=later, acting_user=office_with_bank, now=START)
    again = session_book(
        session=later,
        candidate=booking.attempt.candidate,
        certification="ml-expert",
        acting_user=booking.attempt.candidate,
        now=START + timedelta(days=40),
    )
    session_open(session=later, acting_user=proctor, now=START + timedelta(days=60))

    second = sitting_check_in(booking=again, acting_user=proctor, now=START + timedelta(days=60))

    assert not {e["item"] for e in first.form} & {e["item"] for e in second.form}

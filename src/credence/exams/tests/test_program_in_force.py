"""A knowledge test is drawn and checked by the blueprint of the program loaded in the catalog
(issue 17): loading another version changes the next form, and a sitting already checked in
keeps the form and time limit it was drawn with."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.catalog.models import Certification
from credence.catalog.tests.programs import OTHER_BLUEPRINT, load_text, other_program_text
from credence.exams.delivery.services import DeliveryError, session_open, sitting_check_in
from credence.exams.models import Sitting
from credence.exams.sessions.services import session_book, session_create, session_publish
from credence.items.gift import parse_gift
from credence.items.services import items_import

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
BOOKING_DAY = START - timedelta(days=10)


@pytest.fixture
def proctor(office_with_bank):
    user = User.objects.create_user("proctor@example.invalid", "x" * 12, full_name="Proctor")
    user_assign_role(user=user, role=Role.PROCTOR, acting_user=None)
    return user


def create_session(office, proctor, starts_at=START):
    return session_create(
        certifications=["ml-expert"],
        venue="HPI",
        starts_at=starts_at,
        duration_minutes=120,
        capacity=10,
        booking_deadline=starts_at - timedelta(days=7),
        proctors=[proctor],
        acting_user=office,
    )


def booked(session, n):
    candidate = User.objects.create_user(f"c{n}@example.invalid", "x" * 12, full_name=f"C {n}")
    return session_book(
        session=session,
        candidate=candidate,
        certification="ml-expert",
        acting_user=candidate,
        now=BOOKING_DAY,
    )


def test_the_next_form_follows_the_blueprint_loaded_last(office_with_bank, proctor):
    session = session_publish(
        session=create_session(office_with_bank, proctor),
        acting_user=office_with_bank,
        now=BOOKING_DAY,
    )
    first, second = booked(session, 1), booked(session, 2)
    session_open(session=session, acting_user=proctor, now=START)
    before = sitting_check_in(booking=first, acting_user=proctor, now=START)
    assert (before.time_limit_minutes, len(before.form)) == (90, 60)

    load_text(other_program_text())  # ML Expert: 2 feature-engineering, 1 model-evaluation

    # checked by the new blueprint: the bank has no feature-engineering item yet
    name = Certification.objects.get(code="ml-expert").name
    sentence = (
        f"The item bank of {name} cannot fill a test form: "
        "Feature engineering: 2 items needed, 0 in the bank."
    )
    with pytest.raises(DeliveryError) as at_check_in:
        sitting_check_in(booking=second, acting_user=proctor, now=START)
    assert str(at_check_in.value) == sentence
    with pytest.raises(ValidationError) as at_the_office:
        create_session(office_with_bank, proctor, starts_at=START + timedelta(days=30))
    assert at_the_office.value.message_dict == {"certifications": [sentence]}

    items_import(
        certification=Certification.objects.get(code="ml-expert"),
        items=parse_gift(
            "\n".join(
                f"// [tag:feature-engineering]\n::fe-{n}:: Feature {n}? {{=right ~wrong}}\n"
                for n in range(2)
            )
        ),
        acting_user=None,
    )
    after = sitting_check_in(booking=second, acting_user=proctor, now=START)

    assert after.time_limit_minutes == 30
    assert Counter(e["topic"] for e in after.form) == OTHER_BLUEPRINT
    # the sitting checked in before keeps what it was drawn with
    kept = Sitting.objects.get(pk=before.pk)
    assert (kept.time_limit_minutes, kept.form) == (90, before.form)

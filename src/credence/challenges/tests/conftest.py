"""Fixtures for the challenges tests: the program, the office, an ML Expert bank (from the
exams tests), and one session in which two candidates sat the knowledge test and had their
results released: Anna passed on exactly the pass mark (42 of 60, 70 %) with the shared item
right, Ben failed by one item (41 of 60) with the shared item wrong."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import translation

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.exams.delivery.selectors import shown_item
from credence.exams.delivery.services import (
    response_save,
    session_close,
    session_open,
    sitting_check_in,
    sitting_start,
)
from credence.exams.scoring.services import session_release
from credence.exams.sessions.services import session_book, session_create, session_publish
from credence.exams.tests.conftest import office_with_bank  # noqa: F401 (fixture)

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
RELEASED = START + timedelta(days=1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def person(local: str, *roles: Role) -> User:
    user = User.objects.create_user(
        f"{local}@example.invalid", "x" * 12, full_name=local.replace("_", " ").title()
    )
    for role in roles:
        user_assign_role(user=user, role=role, acting_user=None)
    return user


@dataclass
class Sat:
    office: Any
    author: Any
    anna: Any
    ben: Any
    anna_sitting: Any
    ben_sitting: Any
    shared: int  # an item version on both forms
    anna_position: int  # where Anna saw it
    ben_position: int


def _answer(sitting: Any, candidate: Any, right: set[int], comments: dict[int, str]) -> None:
    sitting_start(sitting=sitting, candidate=candidate, now=START)
    for position in range(len(sitting.form)):
        options = shown_item(sitting, position).options
        wanted = "right" if position in right else "wrong"
        response_save(
            sitting_id=sitting.pk,
            candidate=candidate,
            position=position,
            answer={"choice": next(o.index for o in options if o.text == wanted)},
            flagged=position in comments,
            flag_comment=comments.get(position, ""),
            now=START + timedelta(seconds=position),
        )


@pytest.fixture
def sat(office_with_bank) -> Sat:  # noqa: F811 (fixture)
    office = office_with_bank
    proctor = person("pia_proctor", Role.PROCTOR)
    author = person("arne_author", Role.AUTHOR)
    session = session_create(
        certifications=["ml-expert"],
        venue="HPI",
        starts_at=START,
        duration_minutes=120,
        capacity=5,
        booking_deadline=START - timedelta(days=7),
        proctors=[proctor],
        acting_user=office,
    )
    session_publish(session=session, acting_user=office, now=START - timedelta(days=30))
    anna, ben = person("anna_candidate"), person("ben_candidate")
    bookings = [
        session_book(
            session=session,
            candidate=c,
            certification="ml-expert",
            acting_user=c,
            now=START - timedelta(days=10),
        )
        for c in (anna, ben)
    ]
    session_open(session=session, acting_user=proctor, now=START)
    anna_sitting, ben_sitting = (
        sitting_check_in(booking=b, acting_user=proctor, now=START) for b in bookings
    )
    anna_versions = [e["version"] for e in anna_sitting.form]
    ben_versions = [e["version"] for e in ben_sitting.form]
    shared = next(v for v in anna_versions if v in ben_versions)
    a_at, b_at = anna_versions.index(shared), ben_versions.index(shared)
    anna_right = {a_at} | set([p for p in range(60) if p != a_at][:41])
    ben_right = set([p for p in range(60) if p != b_at][:41])
    _answer(anna_sitting, anna, anna_right, {a_at: "Two options look right to me."})
    _answer(ben_sitting, ben, ben_right, {})
    session_close(session=session, acting_user=proctor, now=START + timedelta(hours=2))
    session_release(session=session, acting_user=office, now=RELEASED)
    anna_sitting.refresh_from_db()
    ben_sitting.refresh_from_db()
    return Sat(office, author, anna, ben, anna_sitting, ben_sitting, shared, a_at, b_at)

"""Real sittings for psychometrics: the ML Expert bank of the exams tests, candidates who sit
it in live sessions and answer by a known 2PL model (seeded), through the exams services."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from django.core.management import call_command

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.catalog.models import Certification
from credence.exams.delivery_services import (
    session_close,
    session_open,
    sitting_check_in,
    sitting_start,
)
from credence.exams.models import ExamSession, Response, Sitting
from credence.exams.session_services import session_book, session_create, session_publish
from credence.items.gift import parse_gift
from credence.items.models import ItemVersion
from credence.items.services import items_import

TOPICS = ("supervised-learning", "model-evaluation", "model-deployment")
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def bank_text(per_topic: int) -> str:
    # choice 0 is the right answer, choice 1 a wrong one
    return "\n".join(
        f"// [tag:{topic}]\n::{topic}-{n}:: Question {n} on {topic}? {{=right ~wrong ~other}}\n"
        for topic in TOPICS
        for n in range(per_topic)
    )


def difficulty(name: str) -> float:
    """A fixed difficulty per item name, spread over about -1.5..1.5."""
    digest = hashlib.sha256(name.encode()).digest()
    return (digest[0] / 255.0) * 3.0 - 1.5


@pytest.fixture
def office(db) -> User:
    call_command("program", "load", verbosity=0)
    user = User.objects.create_user("office@example.invalid", "x" * 12, full_name="Office")
    user_assign_role(user=user, role=Role.STAFF, acting_user=None)
    items_import(
        certification=Certification.objects.get(code="ml-expert"),
        items=parse_gift(bank_text(21)),
        acting_user=None,
    )
    return user


SitSession = Callable[..., ExamSession]


@pytest.fixture
def sit_session(office: User) -> SitSession:
    """``sit_session(n, seed=..., day=...)``: n new candidates sit a closed session; each
    answers item j right with P = expit(θ - b_j), θ ~ N(0, 1). ``answers`` (optional) maps a
    candidate's index to a fixed number of items answered right (the first ones)."""
    counter = {"candidates": 0}

    def sit(
        candidates: int,
        *,
        seed: int = 0,
        day: int = 0,
        answers: dict[int, int] | None = None,
    ) -> ExamSession:
        start = START + timedelta(days=day)
        session = session_create(
            certifications=["ml-expert"],
            venue="HPI",
            starts_at=start,
            duration_minutes=120,
            capacity=candidates,
            booking_deadline=start - timedelta(days=7),
            acting_user=office,
        )
        session_publish(session=session, acting_user=office, now=start - timedelta(days=30))
        bookings = []
        for _ in range(candidates):
            counter["candidates"] += 1
            person = User.objects.create_user(
                f"cand{counter['candidates']}@example.invalid", "x" * 12, full_name="Cand"
            )
            bookings.append(
                (
                    person,
                    session_book(
                        session=session,
                        candidate=person,
                        certification="ml-expert",
                        acting_user=person,
                        now=start - timedelta(days=10),
                    ),
                )
            )
        session_open(session=session, acting_user=office, now=start)
        rng = np.random.default_rng(seed)
        names = {v.pk: v.item.name for v in ItemVersion.objects.select_related("item")}
        rows = []
        for index, (person, booking) in enumerate(bookings):
            sitting = sitting_check_in(booking=booking, acting_user=office, now=start)
            sitting_start(sitting=sitting, candidate=person, now=start)
            theta = rng.standard_normal()
            for position, entry in enumerate(sitting.form):
                if answers is not None and index in answers:
                    right = position < answers[index]
                else:
                    p = 1 / (1 + np.exp(-(theta - difficulty(names[entry["version"]]))))
                    right = rng.random() < p
                rows.append(
                    Response(
                        sitting=sitting,
                        position=position,
                        version_id=entry["version"],
                        answer={"choice": 0 if right else 1},
                        saved_at=start + timedelta(seconds=position),
                    )
                )
        Response.objects.bulk_create(rows)
        session_close(session=session, acting_user=office, now=start + timedelta(hours=2))
        return session

    return sit


def sittings_of(session: ExamSession) -> list[Sitting]:
    return list(Sitting.objects.filter(booking__session=session).order_by("pk"))

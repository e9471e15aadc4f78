"""Real sittings for psychometrics: the ML Expert bank of the exams tests, candidates who sit
it in live sessions and answer by a known 2PL model (seeded). Used by the app's tests and by
the browser journey."""

from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, datetime, timedelta

import numpy as np
from django.core.management import call_command

from credence.accounts.models import User
from credence.catalog.models import Certification, Evaluation
from credence.exams.delivery.services import (
    session_close,
    session_open,
    sitting_check_in,
    sitting_start,
)
from credence.exams.models import Attempt, Booking, ExamSession, Response, Sitting
from credence.exams.sessions.services import session_book, session_create, session_publish
from credence.items import api as items_api
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


_CANDIDATES = itertools.count(1)


def program_with_bank() -> None:
    """The default program and an ML Expert bank of 63 items (21 per blueprint topic)."""
    call_command("program", "load", verbosity=0)
    items_import(
        certification=Certification.objects.get(code="ml-expert"),
        items=parse_gift(bank_text(21)),
        acting_user=None,
    )


def sit_session(
    office: User,
    candidates: int,
    *,
    seed: int = 0,
    day: int = 0,
    answers: dict[int, int] | None = None,
    factory: bool = False,
    ability: tuple[float, float] = (0.0, 1.0),
) -> ExamSession:
    """``candidates`` new candidates sit a closed session; each answers item j right with
    P = expit(θ - b_j), θ ~ N(mean, sd) of ``ability`` (seeded). ``answers`` maps a
    candidate's index to a fixed number of items answered right (the first ones).
    ``factory``: seat them straight in the tables (see ``_seated``) instead of booking and
    checking in through the services."""
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
    people = []
    for _ in range(candidates):
        number = next(_CANDIDATES)
        # no password: hashing one (argon2) would take most of the fixture's time
        people.append(
            User.objects.create_user(f"cand{number}@example.invalid", None, full_name="Cand")
        )
    rng = np.random.default_rng(seed)
    names = {v.pk: v.item.name for v in ItemVersion.objects.select_related("item")}
    if factory:
        sittings = _seated(session, people, office, start, f"{seed}-{day}")
    else:
        bookings = [
            session_book(
                session=session,
                candidate=person,
                certification="ml-expert",
                acting_user=person,
                now=start - timedelta(days=10),
            )
            for person in people
        ]
        session_open(session=session, acting_user=office, now=start)
        sittings = []
        for person, booking in zip(people, bookings, strict=True):
            sitting = sitting_check_in(booking=booking, acting_user=office, now=start)
            sittings.append(sitting_start(sitting=sitting, candidate=person, now=start))
    rows = []
    for index, sitting in enumerate(sittings):
        theta = ability[0] + ability[1] * rng.standard_normal()
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
    if factory:
        Sitting.objects.filter(booking__session=session).update(
            submitted_at=start + timedelta(hours=1)
        )
        ExamSession.objects.filter(pk=session.pk).update(
            opened_at=start, closed_at=start + timedelta(hours=2)
        )
    else:
        session_close(session=session, acting_user=office, now=start + timedelta(hours=2))
    return session


def _seated(
    session: ExamSession, people: list[User], office: User, start: datetime, seed: str
) -> list:
    """Sittings of many candidates straight in the tables, with forms drawn by the items
    app's own rule: for calibration data, where booking and check-in (tested in the exams
    app) would only cost time. Each form's seed is ``seed`` and the candidate's place, not
    a primary key, so the data are the same whichever tests ran before."""
    certification = Certification.objects.get(code="ml-expert")
    evaluation = Evaluation.objects.get(program=certification.program, code="knowledge-test")
    blueprint = items_api.blueprint_for("ml-expert")
    bank = items_api.bank_for_drawing(certification)
    sittings = []
    for place, person in enumerate(people):
        attempt = Attempt.objects.create(
            candidate=person,
            certification=certification,
            evaluation=evaluation,
            held_on=start.date(),
        )
        booking = Booking.objects.create(session=session, attempt=attempt)
        form = items_api.draw_form(blueprint, bank, seen_items=frozenset(), seed=f"{seed}-{place}")
        sittings.append(
            Sitting.objects.create(
                booking=booking,
                checked_in_at=start,
                checked_in_by=office,
                started_at=start,
                time_limit_minutes=blueprint.time_limit_minutes,
                form=[
                    {
                        "item": f.item_id,
                        "version": f.version_id,
                        "topic": f.topic,
                        "options": list(f.option_order),
                    }
                    for f in form.items
                ],
            )
        )
    return sittings


def sittings_of(session: ExamSession) -> list[Sitting]:
    return list(Sitting.objects.filter(booking__session=session).order_by("pk"))

"""A small world for the API: the program and the signal guide loaded, the office, two
candidates with API tokens, a published session with a booking each (so an invoice each),
a draft session, and a released result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.exams.models import Booking, ExamSession
from credence.exams.services import attempt_book, attempt_record_result
from credence.exams.sessions.services import session_book, session_create, session_publish
from credence.items.tests.factories import stock_banks
from credence.recognition.services import signal_guide_load
from credence.webapi.services import token_create

HOST = "localhost"


@dataclass
class World:
    office: Any
    alice: Any
    bob: Any
    tokens: dict[str, str]
    published: ExamSession
    draft: ExamSession
    alice_booking: Booking
    bob_booking: Booking


def person(email: str, role: Role) -> Any:
    # No password: the API is reached by token or force_login, and hashing one (argon2) would
    # double the world's cost in every test.
    user = User.objects.create_user(email, None, full_name=email.split("@")[0])
    user_assign_role(user=user, role=role, acting_user=None)
    return user


def new_session(office: Any, *, days: int, publish: bool) -> ExamSession:
    starts = timezone.now() + timedelta(days=days)
    created = session_create(
        certifications=["ml-expert", "mlops"],
        venue="HPI Potsdam",
        starts_at=starts,
        duration_minutes=120,
        capacity=20,
        booking_deadline=starts - timedelta(days=2),
        acting_user=office,
    )
    if publish:
        created = session_publish(session=created, acting_user=office, now=timezone.now())
    return created


def build_world() -> World:
    call_command("program", "load", verbosity=0)
    signal_guide_load()
    office = person("office@example.invalid", Role.STAFF)
    stock_banks("ml-expert", "mlops")  # the sessions' banks fill their forms (R11)
    alice = person("alice@example.invalid", Role.CANDIDATE)
    bob = person("bob@example.invalid", Role.CANDIDATE)
    published = new_session(office, days=30, publish=True)
    draft = new_session(office, days=60, publish=False)
    alice_booking = session_book(
        session=published, candidate=alice, certification="ml-expert", acting_user=alice
    )
    bob_booking = session_book(
        session=published, candidate=bob, certification="ml-expert", acting_user=bob
    )
    # A released result from an earlier knowledge test: Alice passed mlops' test.
    earlier = attempt_book(
        candidate=alice,
        certification="mlops",
        evaluation="knowledge-test",
        held_on=timezone.localdate() - timedelta(days=10),
        acting_user=office,
    )
    attempt_record_result(
        attempt=earlier,
        score=Decimal("84.50"),
        released_on=timezone.localdate() - timedelta(days=3),
        acting_user=office,
    )
    tokens = {
        user.email.split("@")[0]: token_create(user=user, name="tests", acting_user=user)[1]
        for user in (office, alice, bob)
    }
    return World(office, alice, bob, tokens, published, draft, alice_booking, bob_booking)


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.fixture
def client() -> Client:
    return Client(HTTP_HOST=HOST)


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

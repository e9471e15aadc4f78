"""Fixtures for the appeals tests: the default program, the office, a candidate with a
released result, and people who took part in it or not."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.exams.services import attempt_book, attempt_record_result

RELEASED = date(2026, 3, 10)


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


@pytest.fixture
def program(db):
    call_command("program", "load", verbosity=0)


@pytest.fixture
def office(program):
    return person("olivia_office", Role.STAFF)


@pytest.fixture
def candidate(program):
    return person("carla_candidate", Role.CANDIDATE)


@pytest.fixture
def result(candidate, office):
    """Carla's failed ML Expert knowledge test, released on 10 March 2026."""
    attempt = attempt_book(
        candidate=candidate,
        certification="ml-expert",
        evaluation="knowledge-test",
        held_on=date(2026, 3, 3),
        acting_user=candidate,
    )
    return attempt_record_result(
        attempt=attempt, score=Decimal("61"), released_on=RELEASED, acting_user=office
    )

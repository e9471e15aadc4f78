"""Fixtures for live-test tests: a loaded program, the office, and an ML Expert bank big
enough for the blueprint (60 items from 3 topics)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.catalog.models import Certification
from credence.items.gift import parse_gift
from credence.items.services import items_import

TOPICS = ("supervised-learning", "model-evaluation", "model-deployment")


def bank_text(per_topic: int, prefix: str = "") -> str:
    blocks = []
    for topic in TOPICS:
        for n in range(per_topic):
            blocks.append(
                f"// [tag:{topic}]\n::{prefix}{topic}-{n}:: Question {n} on {topic}? "
                "{=right #fine ~wrong ~other}\n"
            )
    return "\n".join(blocks)


@pytest.fixture
def office_with_bank(db):
    call_command("program", "load", verbosity=0)
    user = User.objects.create_user("office@example.invalid", "x" * 12, full_name="Office")
    user_assign_role(user=user, role=Role.STAFF, acting_user=None)
    items_import(
        certification=Certification.objects.get(code="ml-expert"),
        items=parse_gift(bank_text(21)),
        acting_user=None,
    )
    return user


# the program loaded, a user for the office and one for the candidate (files that need the
# office with its role or a bank define their own)
@pytest.fixture
def program(db):
    call_command("program", "load", verbosity=0)


@pytest.fixture
def office(db):
    return User.objects.create_user("office@example.invalid", "x" * 12, full_name="Office")


@pytest.fixture
def candidate(db):
    return User.objects.create_user("cand@example.invalid", "x" * 12, full_name="Cand Idate")

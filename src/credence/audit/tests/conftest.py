"""Fixtures for the audit tests: a few users and events written through ``audit.api``."""

from __future__ import annotations

import pytest

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.audit.api import record
from credence.audit.models import AuditEvent


@pytest.fixture
def office(db) -> User:
    user = User.objects.create_user("office@example.invalid", "x" * 12, full_name="Olivia Office")
    user_assign_role(user=user, role=Role.STAFF, acting_user=None)
    return user


@pytest.fixture
def candidate(db) -> User:
    return User.objects.create_user("cora@example.invalid", "x" * 12, full_name="Cora Candidate")


@pytest.fixture
def event(office: User, candidate: User) -> AuditEvent:
    return record(
        action="attempt.result_recorded",
        subject=candidate,
        actor=office,
        subject_user=candidate,
        reason="scored by the office",
        before={"score": None},
        after={"score": "71"},
    )

"""Fixtures for psychometrics: the office with the ML Expert bank, sessions sat by simulated
candidates (``factories``), and a calibration of them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial

import pytest

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.exams.models import ExamSession
from credence.psychometrics import services
from credence.psychometrics.tests.factories import START, program_with_bank
from credence.psychometrics.tests.factories import sit_session as sit

SitSession = Callable[..., ExamSession]


@pytest.fixture
def office(db) -> User:
    program_with_bank()
    user = User.objects.create_user("office@example.invalid", None, full_name="Office")
    user_assign_role(user=user, role=Role.STAFF, acting_user=None)
    return user


@pytest.fixture
def sit_session(office: User) -> SitSession:
    """``sit_session(n, seed=..., day=..., answers=..., factory=...)``: see
    ``factories.sit_session``."""
    return partial(sit, office)


@pytest.fixture
def immediate_tasks(settings):
    # django-tasks resets its backends when TASKS changes
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def calibrated(office, sit_session, immediate_tasks, django_capture_on_commit_callbacks):
    sit_session(150, seed=1, factory=True)
    with django_capture_on_commit_callbacks(execute=True):
        calibration = services.calibration_start(
            certification="ml-expert",
            model="rasch",
            acting_user=office,
            now=START + timedelta(days=3),
        )
    calibration.refresh_from_db()
    return calibration

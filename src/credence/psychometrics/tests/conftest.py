"""Fixtures for psychometrics: the office with the ML Expert bank, sessions sat by simulated
candidates (``factories``), and a calibration of them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from django.db import transaction
from django.test import TestCase, override_settings

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.exams.models import ExamSession
from credence.psychometrics import services
from credence.psychometrics.models import Calibration
from credence.psychometrics.tests.factories import START, program_with_bank
from credence.psychometrics.tests.factories import sit_session as sit

SitSession = Callable[..., ExamSession]


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def make_office() -> User:
    program_with_bank()
    user = User.objects.create_user("office@example.invalid", None, full_name="Office")
    user_assign_role(user=user, role=Role.STAFF, acting_user=None)
    return user


@pytest.fixture
def office(db) -> User:
    return make_office()


@pytest.fixture
def sit_session(office: User) -> SitSession:
    """``sit_session(n, seed=..., day=..., answers=..., factory=...)``: see
    ``factories.sit_session``."""
    return partial(sit, office)


@pytest.fixture
def immediate_tasks(settings):
    # django-tasks resets its backends when TASKS changes
    settings.TASKS = IMMEDIATE_TASKS


@dataclass(frozen=True)
class World:
    """Keys of what a module's tests share; each test reads fresh rows of them, so what one
    test changes in memory never reaches the next."""

    office: int
    calibration: int


def calibrated_world(
    django_db_blocker: Any, candidates: int, seed: int, **overrides: Any
) -> Iterator[World]:
    """The office, ``candidates`` sittings and their Rasch calibration (run as its task would
    be), built once inside a transaction that is rolled back when the module ends; each test
    runs in a savepoint of it (pytest-django's ``db``), so no test sees another's writes. A
    calibration costs seconds: built per test it was most of the module's time."""
    with (
        override_settings(TASKS=IMMEDIATE_TASKS, **overrides),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        office = make_office()
        sit(office, candidates, seed=seed, factory=True)
        with TestCase.captureOnCommitCallbacks(execute=True):
            calibration = services.calibration_start(
                certification="ml-expert",
                model="rasch",
                acting_user=office,
                now=START + timedelta(days=3),
            )
        yield World(office=office.pk, calibration=calibration.pk)
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """150 candidates and their calibration, for a module whose tests all share them: it says
    ``pytestmark = pytest.mark.usefixtures("world")`` (so every test, in any order, sees the
    same data) and overrides ``office`` and ``calibrated`` with ``shared_office`` and
    ``shared_calibration``."""
    yield from calibrated_world(django_db_blocker, 150, 1)


def shared_office(world: World) -> User:
    return User.objects.get(pk=world.office)


def shared_calibration(world: World) -> Calibration:
    return Calibration.objects.get(pk=world.calibration)


def world_fixtures() -> tuple[Any, Any]:
    """``office, calibrated = world_fixtures()`` in a module that shares ``world``: the two
    fixtures read from it instead of building their own."""

    @pytest.fixture(name="office")
    def office_of_world(db: None, world: World) -> User:
        return shared_office(world)

    @pytest.fixture(name="calibrated")
    def calibration_of_world(db: None, world: World) -> Calibration:
        return shared_calibration(world)

    return office_of_world, calibration_of_world

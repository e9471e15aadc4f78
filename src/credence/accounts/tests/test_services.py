"""Roles are groups; every change to them goes through a service that audits it."""

from __future__ import annotations

import pytest

from credence.accounts.models import Role, User
from credence.accounts.services import candidate_register, user_assign_role, user_remove_role
from credence.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return User.objects.create_user("office@example.invalid", "x" * 12, full_name="Office")


@pytest.fixture
def person():
    return User.objects.create_user("person@example.invalid", "x" * 12, full_name="Person")


def test_assigning_a_role_adds_the_group_and_records_who_did_it(person, office):
    assert user_assign_role(user=person, role=Role.PROCTOR, acting_user=office)

    assert person.has_role(Role.PROCTOR)
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.subject_user) == ("role.assigned", office, person)
    assert (event.before, event.after) == ({"roles": []}, {"roles": ["proctor"]})


def test_assigning_a_role_twice_records_it_once(person, office):
    user_assign_role(user=person, role=Role.EXAMINER, acting_user=office)

    assert not user_assign_role(user=person, role=Role.EXAMINER, acting_user=office)
    assert AuditEvent.objects.count() == 1


def test_removing_a_role(person, office):
    user_assign_role(user=person, role=Role.AUTHOR, acting_user=office)
    user_assign_role(user=person, role=Role.EXAMINER, acting_user=office)

    assert user_remove_role(user=person, role=Role.AUTHOR, acting_user=office)
    assert not user_remove_role(user=person, role=Role.AUTHOR, acting_user=office)

    assert not person.has_role(Role.AUTHOR)
    assert person.has_role(Role.EXAMINER)
    event = AuditEvent.objects.filter(action="role.removed").get()
    assert (event.before, event.after) == (
        {"roles": ["author", "examiner"]},
        {"roles": ["examiner"]},
    )


def test_a_system_action_has_no_actor(person):
    user_assign_role(user=person, role=Role.CANDIDATE, acting_user=None)

    assert AuditEvent.objects.get().actor is None


def test_candidate_register_tidies_the_name_and_makes_a_candidate(person):
    candidate_register(user=person, full_name=" Grace  Hopper ")

    person.refresh_from_db()
    assert person.full_name == "Grace Hopper"
    assert person.has_role(Role.CANDIDATE)
    registered = AuditEvent.objects.get(action="user.registered")
    assert registered.actor == person
    assert registered.after is None  # no personal data copied into the trail


def test_candidate_register_refuses_an_empty_name(person):
    with pytest.raises(ValueError, match="full name"):
        candidate_register(user=person, full_name="  ")
    assert not AuditEvent.objects.exists()

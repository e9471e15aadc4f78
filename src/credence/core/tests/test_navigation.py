"""The navigation shows each role the pages it works in, and nobody else."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    call_command("program", "load", verbosity=0)


def _nav_for(client, role):
    user = User.objects.create_user(f"{role}@example.invalid", "x" * 12, full_name=role)
    user_assign_role(user=user, role=Role(role), acting_user=None)
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_a_proctor_sees_the_console_but_not_the_office_pages(client, program):
    html = _nav_for(client, "proctor")
    assert reverse("exams:console-list") in html
    assert reverse("exams:manage") not in html
    assert reverse("billing:office") not in html


def test_a_candidate_sees_neither_console_nor_office_pages(client, program):
    html = _nav_for(client, "candidate")
    assert reverse("exams:console-list") not in html
    assert reverse("billing:office") not in html
    assert reverse("learning:my-path") in html


def test_the_program_office_sees_sessions_console_and_billing(client, program):
    html = _nav_for(client, "staff")
    for name in ("exams:console-list", "exams:manage", "billing:office"):
        assert reverse(name) in html


def test_the_admin_link_follows_the_admins_own_test(client, program):
    """A stray is_staff flag on a candidate links nothing: the admin would refuse them."""
    html = _nav_for(client, "candidate")
    assert reverse("admin:index") not in html
    User.objects.filter(email="candidate@example.invalid").update(is_staff=True)
    assert reverse("admin:index") not in client.get(reverse("home")).content.decode()

    office = _nav_for(client, "staff")
    assert reverse("admin:index") not in office  # the office without the flag
    User.objects.filter(email="staff@example.invalid").update(is_staff=True)
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()

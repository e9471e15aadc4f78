"""The admin: users by e-mail with roles applied through the audited services; the audit
trail readable and never editable."""

from __future__ import annotations

import pytest
from django.urls import reverse

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client):
    user = User.objects.create_superuser("office@example.invalid", "x" * 12, full_name="Office")
    client.force_login(user)
    return user


def test_the_user_list_shows_email_name_and_roles(client, office):
    user_assign_role(user=office, role=Role.STAFF, acting_user=None)

    html = client.get(reverse("admin:accounts_user_changelist")).content.decode()

    assert "office@example.invalid" in html
    assert "Program office" in html


def test_staff_create_a_user_with_a_role_and_the_audit_names_them(client, office):
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Proctor@Example.invalid",
            "full_name": "Paul Proctor",
            "roles": ["proctor"],
            "usable_password": "true",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
        },
    )

    assert response.status_code == 302, response.content.decode()
    proctor = User.objects.get(email="proctor@example.invalid")
    assert proctor.has_role(Role.PROCTOR)
    assert proctor.password.startswith("argon2")
    event = AuditEvent.objects.get(action="role.assigned", subject_user=proctor)
    assert event.actor == office


def test_unticking_a_role_in_the_admin_removes_it_with_an_audit_row(client, office):
    person = User.objects.create_user("p@example.invalid", "x" * 12, full_name="Person")
    user_assign_role(user=person, role=Role.EXAMINER, acting_user=None)
    url = reverse("admin:accounts_user_change", args=[person.pk])

    response = client.post(
        url,
        {
            "email": person.email,
            "full_name": person.full_name,
            "roles": ["author"],
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-05",
            "date_joined_1": "10:00:00",
        },
    )

    assert response.status_code == 302, response.content.decode()
    assert not person.has_role(Role.EXAMINER)
    assert person.has_role(Role.AUTHOR)
    actions = set(
        AuditEvent.objects.filter(actor=office, subject_user=person).values_list(
            "action", flat=True
        )
    )
    assert actions == {"role.assigned", "role.removed"}


def test_the_audit_trail_can_be_read_but_not_added_changed_or_deleted(client, office):
    event = AuditEvent.objects.create(action="x.y", subject_type="t", subject_id="1")

    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    detail = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()

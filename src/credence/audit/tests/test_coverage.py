"""Changes made outside the services are audited too: edits in the admin (pass marks and other
catalog rows, users' privilege flags), each event in the edit's own transaction."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from credence.accounts.models import User
from credence.audit.api import record
from credence.audit.models import AuditEvent
from credence.catalog.models import Certification, Evaluation, PassMark


@pytest.fixture
def admin_client(client, office: User):
    office.is_staff = True
    office.is_superuser = True
    office.save()
    client.force_login(office)
    return client


@pytest.fixture
def program(db) -> None:
    call_command("program", "load", verbosity=0)


def test_an_event_rolls_back_with_the_change_it_records(candidate: User) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        record(action="test.recorded", subject=candidate, after={"n": 1})
        raise RuntimeError("the service failed after recording")
    assert not AuditEvent.objects.filter(action="test.recorded").exists()


def test_a_pass_mark_changed_in_the_admin_is_audited(admin_client, office, program) -> None:
    certification = Certification.objects.get(code="ml-expert")
    evaluation = Evaluation.objects.get(code="knowledge-test")
    PassMark.objects.filter(certification=certification, evaluation=evaluation).delete()
    mark = PassMark.objects.create(
        certification=certification, evaluation=evaluation, mark=Decimal("70")
    )
    response = admin_client.post(
        f"/admin/catalog/passmark/{mark.pk}/change/",
        {"certification": certification.pk, "evaluation": evaluation.pk, "mark": "75"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="admin.changed", subject_type="catalog.passmark")
    assert event.actor == office and event.subject_id == str(mark.pk)
    assert event.before == {"mark": "70.00"} and event.after == {"mark": "75.00"}

    admin_client.post(f"/admin/catalog/passmark/{mark.pk}/delete/", {"post": "yes"})
    deleted = AuditEvent.objects.get(action="admin.deleted", subject_type="catalog.passmark")
    assert deleted.subject_id == str(mark.pk) and deleted.before["mark"] == "75.00"


def test_privilege_flags_changed_in_the_user_admin_are_audited(
    admin_client, office: User, candidate: User
) -> None:
    response = admin_client.post(
        f"/admin/accounts/user/{candidate.pk}/change/",
        {
            "email": candidate.email,
            "full_name": candidate.full_name,
            "is_active": "on",
            "is_staff": "on",
            "date_joined_0": candidate.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": candidate.date_joined.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action="admin.changed", subject_user=candidate)
    assert event.actor == office
    assert event.before == {"is_staff": False} and event.after == {"is_staff": True}
    assert "password" not in str(event.before) + str(event.after)

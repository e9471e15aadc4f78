"""The audit trail is append-only: the model refuses changes in Python, and the database's
triggers (migration 0002) refuse them from any SQL, unless the maintenance switch is on."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction

from credence.accounts.models import User
from credence.audit.maintenance import audit_maintenance
from credence.audit.models import AuditEvent, AuditTrailIsAppendOnly

# The refusals run inside their own atomic block: on PostgreSQL a failed statement spoils the
# surrounding transaction, and the test goes on to check the row is unchanged.


def _refused_by_database(run) -> None:
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        run()


def _plain_rows() -> models.QuerySet:
    # A queryset without the model's own guard, as any code using the ORM generically would
    return models.QuerySet(AuditEvent)


def _unchanged(event: AuditEvent) -> None:
    row = _plain_rows().get(pk=event.pk)
    assert (row.action, row.after, row.reason) == (event.action, event.after, event.reason)


def test_the_model_refuses_saving_an_existing_event(event: AuditEvent) -> None:
    event.reason = "tidied up"
    with pytest.raises(AuditTrailIsAppendOnly, match="append-only"):
        event.save()
    event.refresh_from_db()
    assert event.reason == "scored by the office"


def test_the_model_refuses_deleting_an_event(event: AuditEvent) -> None:
    with pytest.raises(AuditTrailIsAppendOnly, match="append-only"):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_default_manager_refuses_update_and_delete(event: AuditEvent) -> None:
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()
    _unchanged(event)


def _database_refusals(event: AuditEvent) -> None:
    table = AuditEvent._meta.db_table
    _refused_by_database(lambda: _plain_rows().filter(pk=event.pk).update(reason="edited"))
    _refused_by_database(lambda: _plain_rows().filter(pk=event.pk).delete())

    def save_over_it() -> None:
        row = _plain_rows().get(pk=event.pk)
        row.after = {"score": "99"}
        models.Model.save_base(row)  # the plain model save, past AuditEvent.save

    _refused_by_database(save_over_it)

    def raw(sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])

    _refused_by_database(lambda: raw(f"UPDATE {table} SET reason = 'edited' WHERE id = %s"))
    _refused_by_database(lambda: raw(f"DELETE FROM {table} WHERE id = %s"))
    _unchanged(event)


def test_the_database_refuses_update_and_delete(event: AuditEvent) -> None:
    # runs on SQLite in the first CI pass and on PostgreSQL in the second
    _database_refusals(event)


@pytest.mark.postgres
def test_postgresql_also_refuses_truncate(event: AuditEvent) -> None:
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # the test's own inserts leave deferred FK checks pending, which TRUNCATE refuses
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {AuditEvent._meta.db_table} CASCADE")
    _unchanged(event)


def test_new_events_are_still_written(event: AuditEvent, office: User) -> None:
    assert AuditEvent.objects.filter(actor=office).count() == 1


def test_deleting_a_user_with_events_is_refused(event: AuditEvent, candidate: User) -> None:
    # Users are pseudonymized, never deleted; PROTECT stops Django before the trigger would.
    with pytest.raises(models.ProtectedError):
        candidate.delete()
    assert AuditEvent.objects.filter(subject_user=candidate).exists()


def test_the_maintenance_switch_lets_a_deletion_through_and_ends_with_its_block(
    event: AuditEvent,
) -> None:
    with audit_maintenance():
        _plain_rows().filter(pk=event.pk).delete()
    assert not AuditEvent.objects.filter(pk=event.pk).exists()
    other = AuditEvent.objects.create(action="x.y", subject_type="t", subject_id="1")
    _refused_by_database(lambda: _plain_rows().filter(pk=other.pk).delete())


def test_the_maintenance_switch_rolls_back_with_a_failure(event: AuditEvent) -> None:
    with pytest.raises(RuntimeError), audit_maintenance():
        _plain_rows().filter(pk=event.pk).delete()
        raise RuntimeError("restore failed half-way")
    _unchanged(event)
    _refused_by_database(lambda: _plain_rows().filter(pk=event.pk).delete())


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_audit_trail_and_leaves_the_triggers_armed(event: AuditEvent) -> None:
    # flush is what transactional tests (and browser tests) run between tests
    call_command("flush", interactive=False, verbosity=0)
    assert not _plain_rows().exists()
    again = AuditEvent.objects.create(action="x.y", subject_type="t", subject_id="1")
    _refused_by_database(lambda: _plain_rows().filter(pk=again.pk).delete())

"""Make the audit trail append-only in the database (docs/decisions/0021, docs/audit.md).

The users behind ``actor``/``subject_user`` are never deleted, so the foreign keys become
PROTECT: with SET_NULL, Django would try an UPDATE that the triggers below refuse.

Triggers refuse UPDATE and DELETE on every row (and TRUNCATE on PostgreSQL) unless the
maintenance switch (``credence.audit.maintenance``) is on in the same transaction: on
PostgreSQL the transaction-local setting ``credence.audit_maintenance``; on SQLite, whose
triggers cannot see connection state, a row in ``audit_maintenance`` written and removed inside
the transaction. Only ``flush`` (empties every table) and ``credence restore`` turn it on.
Other backends get no triggers; the model's own refusal still applies.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


SQLITE_CREATE = [
    "CREATE TABLE IF NOT EXISTS audit_maintenance (since TEXT NOT NULL)",
    *(
        f"""
        CREATE TRIGGER audit_auditevent_no_{operation.lower()}
        BEFORE {operation} ON audit_auditevent
        WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
        BEGIN
            SELECT RAISE(ABORT, 'audit events are append-only: {operation} refused');
        END
        """
        for operation in ("UPDATE", "DELETE")
    ),
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
    "DROP TABLE IF EXISTS audit_maintenance",
]

POSTGRES_CREATE = [
    """
    CREATE FUNCTION audit_auditevent_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        -- current_setting(..., true) is NULL when the setting was never made
        IF current_setting('credence.audit_maintenance', true) = 'on' THEN
            IF TG_OP = 'DELETE' THEN
                RETURN OLD;
            END IF;
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER audit_auditevent_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only()
    """,
    """
    CREATE TRIGGER audit_auditevent_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_append_only()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update_or_delete ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_append_only()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, ()):
            # no parameters: the plpgsql body holds a literal "%"
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='actor'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='subject_user',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='audit_events', to=settings.AUTH_USER_MODEL, verbose_name='concerning'),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]

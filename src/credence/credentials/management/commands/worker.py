"""`credence worker`: work the background task queue (django-tasks-db's database worker)."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DbWorker


class Command(DbWorker):
    help = (
        "Run every background task (evidence reports, calibrations, expiry reminders): the "
        "database queue's worker."
    )

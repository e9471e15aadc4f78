"""`credence worker`: work the background task queue (django-tasks-db's database worker)."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DbWorker


class Command(DbWorker):
    help = "Run background tasks (e-mail, reminders): the database queue's worker."

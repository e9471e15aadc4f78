"""The audit trail's part of the data-protection rights. Events are exported (those about
the person and those they made) but never changed or deleted: the trail is the legal record
of decisions and holds ids and decision values, not names or addresses; the account row they
point to is pseudonymized instead."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q

from credence.audit.models import AuditEvent
from credence.core.personal_data import ErasureSummary, Export, label, rows


def export_user_data(user: AbstractBaseUser) -> Export:
    events = AuditEvent.objects.filter(Q(subject_user=user) | Q(actor=user))
    return {label(AuditEvent): rows(events)}


def erase_user_data(user: AbstractBaseUser, *, now: datetime) -> ErasureSummary:
    return {label(AuditEvent): "kept (append-only legal record; holds ids only)"}

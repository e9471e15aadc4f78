"""The audit trail other apps write to. Call it inside the service's transaction so the event
commits or rolls back with the change it records."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models

from credence.audit.models import AuditEvent
from credence.audit.personal_data import erase_user_data as erase_user_data
from credence.audit.personal_data import export_user_data as export_user_data

# The events of a ``recorded_together`` block, written when it ends; None outside one.
_together: ContextVar[list[AuditEvent] | None] = ContextVar("audit_together", default=None)


@contextmanager
def recorded_together() -> Iterator[None]:
    """Write the events recorded inside the block in one INSERT when it ends without an error
    (a seat booking's attempt, invoice and booking: one round trip instead of three, issue 14).
    Use it inside the transaction of the change the events record, so they still commit or
    roll back with it; an error in the block writes none of them. Inside, ``record`` returns
    events whose primary key is not set yet. A nested block is part of the outer one."""
    if _together.get() is not None:
        yield
        return
    events: list[AuditEvent] = []
    token = _together.set(events)
    try:
        yield
    finally:
        _together.reset(token)
    AuditEvent.objects.bulk_create(events)


def record(
    *,
    action: str,
    subject: models.Model,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    subject_user: AbstractBaseUser | None = None,
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        # an anonymous visitor (or a user not saved) is recorded as no one
        # by id: the audit trail sits below accounts and knows the user model only as Django's
        actor_id=actor.pk if isinstance(actor, AbstractBaseUser) and actor.pk else None,
        subject_user_id=subject_user.pk if subject_user is not None else None,
        reason=reason,
        before=before,
        after=after,
    )
    together = _together.get()
    if together is None:
        event.save()
    else:
        together.append(event)
    return event

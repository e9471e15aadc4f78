"""The audit trail other apps write to. Call it inside the service's transaction so the event
commits or rolls back with the change it records."""

from __future__ import annotations

from typing import Any

from django.db import models

from credence.audit.models import AuditEvent
from credence.audit.personal_data import erase_user_data as erase_user_data
from credence.audit.personal_data import export_user_data as export_user_data


def record(
    *,
    action: str,
    subject: models.Model,
    actor: Any = None,
    subject_user: Any = None,
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        action=action,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        actor=actor if getattr(actor, "pk", None) else None,
        subject_user=subject_user,
        reason=reason,
        before=before,
        after=after,
    )

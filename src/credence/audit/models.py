from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditTrailIsAppendOnly(Exception):
    """Raised when code tries to change or remove an audit event. The database refuses it too
    (migration 0002, docs/audit.md); this error only says so earlier and more clearly."""


def _refuse(what: str) -> NoReturn:
    raise AuditTrailIsAppendOnly(
        f"audit events are append-only: {what} is refused (docs/decisions/0021)"
    )


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        _refuse("QuerySet.update()")

    def delete(self) -> NoReturn:
        _refuse("QuerySet.delete()")


class AuditEvent(models.Model):
    """One decision or change that matters, with who made it, when, and the state before and
    after. Rows are only ever added (``audit.api.record``); never updated or deleted.

    .. pii: the acting user; before/after may hold a candidate's results.
    .. pii_types: id, other
    .. pii_retirement: retained (legal record); the actor link is pseudonymized on erasure.
    """

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        # Users are never deleted (erasure pseudonymizes in place); SET_NULL would make Django
        # issue an UPDATE the append-only trigger refuses, so deleting such a user fails early.
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    subject_type = models.CharField(_("subject type"), max_length=80)
    subject_id = models.CharField(_("subject id"), max_length=64)
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("concerning"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    reason = models.TextField(_("reason"), blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject_type}#{self.subject_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse("saving an existing event")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("deleting an event")

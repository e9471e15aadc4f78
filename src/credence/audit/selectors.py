"""Reads of the audit trail: the staff search, its export, and a readable before/after diff."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, QuerySet
from django.utils import timezone

from credence.audit.models import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    """What the staff search narrows by; empty values do not narrow."""

    action: str = ""
    actor: str = ""  # the acting user's e-mail, or part of it
    subject_type: str = ""
    subject_id: str = ""
    concerning: str = ""  # the e-mail of the user the event concerns, or part of it
    since: date | None = None  # from the start of this day (program's time zone)
    until: date | None = None  # to the end of this day
    text: str = ""  # words in the reason


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def events_matching(criteria: AuditFilter) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor", "subject_user").order_by("-at", "-id")
    if criteria.action:
        # an exact action, or a whole family: "certificate." matches certificate.revoked, ...
        if criteria.action.endswith("."):
            events = events.filter(action__startswith=criteria.action)
        else:
            events = events.filter(action=criteria.action)
    if criteria.actor:
        events = events.filter(actor__email__icontains=criteria.actor)
    if criteria.subject_type:
        events = events.filter(subject_type=criteria.subject_type)
    if criteria.subject_id:
        events = events.filter(subject_id=criteria.subject_id)
    if criteria.concerning:
        events = events.filter(subject_user__email__icontains=criteria.concerning)
    if criteria.since:
        events = events.filter(at__gte=_start_of(criteria.since))
    if criteria.until:
        events = events.filter(at__lt=_start_of(criteria.until + timedelta(days=1)))
    for word in criteria.text.split():
        events = events.filter(Q(reason__icontains=word))
    return events


def actions() -> list[str]:
    """Every action the trail holds, for the search form's suggestions."""
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def subject_types() -> list[str]:
    return list(
        AuditEvent.objects.order_by("subject_type")
        .values_list("subject_type", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class Change:
    key: str
    before: str
    after: str
    kind: str  # "added", "removed" or "changed"


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)


def changes(before: Any, after: Any) -> list[Change]:
    """The keys whose values differ between ``before`` and ``after``, one line each.

    Events store flat dicts of ids and decision values; anything else is shown whole."""
    if not isinstance(before, dict | None) or not isinstance(after, dict | None):
        return [Change("", _shown(before), _shown(after), "changed")]
    before, after = before or {}, after or {}
    found = []
    for key in sorted(set(before) | set(after), key=str):
        if key not in before:
            found.append(Change(str(key), "", _shown(after[key]), "added"))
        elif key not in after:
            found.append(Change(str(key), _shown(before[key]), "", "removed"))
        elif before[key] != after[key]:
            found.append(Change(str(key), _shown(before[key]), _shown(after[key]), "changed"))
    return found


EXPORT_COLUMNS = (
    "id",
    "at",
    "action",
    "actor_id",
    "subject_type",
    "subject_id",
    "subject_user_id",
    "reason",
    "before",
    "after",
)


def _export_record(event: AuditEvent) -> dict[str, Any]:
    # Ids, not e-mail addresses: an export outlives an erasure (shared agreement, issue 9).
    return {
        "id": event.pk,
        "at": event.at.isoformat(),
        "action": event.action,
        "actor_id": event.actor_id,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "subject_user_id": event.subject_user_id,
        "reason": event.reason,
        "before": event.before,
        "after": event.after,
    }


def _records(events: QuerySet[AuditEvent]) -> Iterator[dict[str, Any]]:
    # iterator(): rows are fetched in chunks, never all at once
    for event in events.order_by("at", "id").iterator(chunk_size=1000):
        yield _export_record(event)


def export_jsonl(events: QuerySet[AuditEvent]) -> Iterator[str]:
    for row in _records(events):
        yield json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n"


def export_csv(events: QuerySet[AuditEvent]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS)

    def take() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writeheader()
    yield take()
    for row in _records(events):
        for key in ("before", "after"):
            if row[key] is not None:
                row[key] = json.dumps(row[key], cls=DjangoJSONEncoder, sort_keys=True)
        # a reason starting with = + - @ would be a formula in a spreadsheet
        if row["reason"][:1] in ("=", "+", "-", "@"):
            row["reason"] = "'" + row["reason"]
        writer.writerow(row)
        yield take()

"""The program office's audit trail page, its exports and ``credence audit export``: filters,
content, a readable diff, permission, and bad filter values as form errors."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.audit.api import record
from credence.audit.models import AuditEvent
from credence.audit.selectors import AuditFilter, changes, events_matching


@pytest.fixture
def trail(office: User, candidate: User, event: AuditEvent) -> dict[str, AuditEvent]:
    """Three events on three days besides the fixture's ``event`` (and the role assignment)."""
    with time_machine.travel(datetime(2026, 3, 1, 9, tzinfo=UTC), tick=False):
        revoked = record(
            action="certificate.revoked",
            subject=candidate,
            actor=office,
            subject_user=candidate,
            reason="=HYPERLINK fraud found in the portfolio",
            before={"revoked_on": None},
            after={"revoked_on": "2026-03-01"},
        )
    with time_machine.travel(datetime(2026, 3, 5, 9, tzinfo=UTC), tick=False):
        suspended = record(
            action="certificate.suspended",
            subject=candidate,
            actor=office,
            subject_user=candidate,
            reason="under review",
            before={"suspended_on": None},
            after={"suspended_on": "2026-03-05"},
        )
    with time_machine.travel(datetime(2026, 3, 9, 9, tzinfo=UTC), tick=False):
        waiver = record(
            action="waiver.granted",
            subject=office,
            actor=None,
            reason="system migration",
            after={"count": 1},
        )
    return {"revoked": revoked, "suspended": suspended, "waiver": waiver, "result": event}


def _ids(criteria: AuditFilter) -> set[int]:
    return set(events_matching(criteria).values_list("pk", flat=True))


def test_filters_narrow_by_each_criterion(trail: dict[str, AuditEvent]) -> None:
    revoked, suspended, waiver = trail["revoked"].pk, trail["suspended"].pk, trail["waiver"].pk
    assert _ids(AuditFilter(action="certificate.revoked")) == {revoked}
    assert _ids(AuditFilter(action="certificate.")) == {revoked, suspended}
    assert _ids(AuditFilter(actor="office@", action="certificate.")) == {revoked, suspended}
    assert waiver not in _ids(AuditFilter(actor="office@"))
    assert _ids(
        AuditFilter(subject_type="accounts.user", subject_id=str(trail["waiver"].subject_id))
    ) >= {waiver}
    assert _ids(AuditFilter(concerning="cora@")) == {revoked, suspended, trail["result"].pk}
    day = datetime(2026, 3, 5).date()
    assert _ids(AuditFilter(since=day, until=day)) == {suspended}
    assert _ids(AuditFilter(since=day, until=datetime(2026, 3, 9).date())) == {suspended, waiver}
    assert _ids(AuditFilter(text="FRAUD portfolio")) == {revoked}


def test_the_diff_names_added_removed_and_changed_keys() -> None:
    found = changes(
        {"score": "55", "status": "failed", "gone": 1},
        {"score": "71", "status": "failed", "new": [1]},
    )
    assert [(c.key, c.kind, c.before, c.after) for c in found] == [
        ("gone", "removed", "1", ""),
        ("new", "added", "", "[1]"),
        ("score", "changed", "55", "71"),
    ]
    assert [c.kind for c in changes(None, {"a": 1})] == ["added"]


def test_the_page_is_for_the_program_office_only(client, candidate: User, trail) -> None:
    assert client.get("/audit/").status_code == 302  # to the login page
    client.force_login(candidate)
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403
    examiner = User.objects.create_user("erik@example.invalid", "x" * 12, full_name="Erik")
    user_assign_role(user=examiner, role=Role.EXAMINER, acting_user=None)
    client.force_login(examiner)
    assert client.get("/audit/export.jsonl").status_code == 403


def test_the_page_lists_matching_events_with_their_diff(client, office: User, trail) -> None:
    client.force_login(office)
    page = client.get("/audit/", {"action": "certificate.revoked"}).content.decode()
    assert "<code>certificate.revoked</code>" in page
    assert "<code>certificate.suspended</code>" not in page
    assert "<del>null</del> → <ins>2026-03-01</ins>" in page
    assert "1 event" in page


def test_a_malformed_date_is_a_form_error_not_a_server_error(client, office: User, trail) -> None:
    client.force_login(office)
    response = client.get("/audit/", {"since": "2026-02-31"})
    assert response.status_code == 400
    assert "Enter a valid date" in response.content.decode()
    response = client.get("/audit/", {"since": "2026-03-09", "until": "2026-03-01"})
    assert response.status_code == 400 and "before its start" in response.content.decode()
    assert client.get("/audit/export.csv", {"until": "yesterday"}).status_code == 400


def test_the_page_is_paginated(client, office: User, candidate: User) -> None:
    for n in range(60):
        record(action="test.counted", subject=candidate, actor=office, after={"n": n})
    client.force_login(office)
    first = client.get("/audit/", {"action": "test.counted"}).content.decode()
    assert "Page 1 of 2" in first and first.count("test.counted</code>") == 50
    second = client.get("/audit/", {"action": "test.counted", "page": 2}).content.decode()
    assert second.count("test.counted</code>") == 10


def _streamed(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def test_the_csv_export_holds_the_filtered_events_oldest_first(client, office, trail) -> None:
    client.force_login(office)
    response = client.get("/audit/export.csv", {"action": "certificate."})
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(_streamed(response))))
    assert [row["action"] for row in rows] == ["certificate.revoked", "certificate.suspended"]
    assert rows[0]["actor_id"] == str(office.pk)
    assert json.loads(rows[0]["after"]) == {"revoked_on": "2026-03-01"}
    # a reason that looks like a formula is defused for spreadsheets
    assert rows[0]["reason"].startswith("'=HYPERLINK")
    assert "office@example.invalid" not in _streamed(client.get("/audit/export.csv"))


def test_the_jsonl_export_is_one_event_per_line(client, office, trail) -> None:
    client.force_login(office)
    lines = _streamed(client.get("/audit/export.jsonl", {"concerning": "cora@"})).splitlines()
    events = [json.loads(line) for line in lines]
    assert [e["action"] for e in events] == [
        "certificate.revoked",
        "certificate.suspended",
        "attempt.result_recorded",
    ]
    assert events[-1]["before"] == {"score": None} and events[-1]["after"] == {"score": "71"}


def test_the_cli_exports_since_a_day(trail, capsys) -> None:
    call_command("audit", "export", "--since", "2026-03-05", "--format", "jsonl")
    actions = [json.loads(line)["action"] for line in capsys.readouterr().out.splitlines()]
    assert actions[:2] == ["certificate.suspended", "waiver.granted"]
    assert "certificate.revoked" not in actions
    call_command(
        "audit", "export", "--since", "2026-03-01", "--until", "2026-03-01", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["action"] for row in rows] == ["certificate.revoked"]
    with pytest.raises(CommandError, match="not a date"):
        call_command("audit", "export", "--since", "March")

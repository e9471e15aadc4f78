"""``recorded_together``: the events of a block are written in one INSERT when it ends, in the
order recorded, and none of them when the block fails; a nested block is part of the outer."""

from __future__ import annotations

import pytest
from django.db import transaction

from credence.accounts.models import User
from credence.audit.api import record, recorded_together
from credence.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def person() -> User:
    return User.objects.create_user("ada@example.org", None, full_name="Ada Lovelace")


def test_the_events_of_a_block_are_written_in_one_insert_in_order(
    person, django_assert_num_queries
):
    with django_assert_num_queries(1), recorded_together():
        first = record(action="one", subject=person, subject_user=person)
        with recorded_together():
            record(action="two", subject=person, subject_user=person, reason="R11")
        assert first.pk is None  # not written yet
        record(action="three", subject=person, actor=person)
    written = list(AuditEvent.objects.order_by("pk"))
    assert [e.action for e in written] == ["one", "two", "three"]
    assert written[1].reason == "R11"
    assert written[2].actor == person


def test_a_failing_block_writes_none_of_its_events(person):
    with pytest.raises(ValueError), transaction.atomic(), recorded_together():
        record(action="booked", subject=person)
        raise ValueError("refused")
    assert not AuditEvent.objects.exists()
    record(action="after", subject=person)  # outside a block: written at once
    assert AuditEvent.objects.get().action == "after"

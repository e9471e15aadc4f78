"""Demo data of item challenges: a candidate who sat the ML Expert knowledge test three days
ago, flagged an item with a comment, had the result released and challenged the item; it
waits in the review queue, where the office or an author can see what a decision would
change and apply it (decision 0053). Written through the real services."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from credence.billing import demo as billing_demo
from credence.challenges.services import challenge_file
from credence.exams.delivery.selectors import shown_item
from credence.exams.delivery.services import (
    response_save,
    session_close,
    session_open,
    sitting_check_in,
    sitting_start,
)
from credence.exams.scoring.services import session_release
from credence.exams.sessions.services import session_book, session_create, session_publish
from credence.items import api as items_api

COMMENT = "Two of the options seem right to me: the stem does not say which metric matters."


def challenge_for_demo(*, candidate: Any, staff: Any, proctor: Any, today: date) -> None:
    """Sit, submit and release the test, then challenge the flagged item (C1). Without the
    shipped item bank (`credence demo` loads it; tests of the demo's other data do not) there
    is no test to sit, and nothing is made."""
    if not items_api.ItemVersion.objects.filter(item__certification__code="ml-expert").exists():
        return
    zone = timezone.get_current_timezone()
    starts = datetime.combine(today - timedelta(days=3), time(9), tzinfo=zone)
    session = session_create(
        certifications=["ml-expert"],
        venue="Demo test centre",
        starts_at=starts,
        duration_minutes=120,
        capacity=10,
        booking_deadline=starts - timedelta(days=7),
        proctors=[proctor],
        acting_user=staff,
    )
    session_publish(session=session, acting_user=staff, now=starts - timedelta(days=30))
    booking = session_book(
        session=session,
        candidate=candidate,
        certification="ml-expert",
        acting_user=candidate,
        now=starts - timedelta(days=20),
    )
    billing_demo.pay_booking(attempt=booking.attempt, staff=staff)
    session_open(session=session, acting_user=proctor, now=starts)
    sitting = sitting_check_in(booking=booking, acting_user=proctor, now=starts)
    sitting_start(sitting=sitting, candidate=candidate, now=starts)
    versions = items_api.versions_by_id([e["version"] for e in sitting.form])
    flagged = None
    for position, entry in enumerate(sitting.form):
        content = versions[entry["version"]].item_content
        if content.type not in items_api.REKEYABLE:
            continue  # the demo candidate answers the choice items only
        options = [o.index for o in shown_item(sitting, position).options]
        key = max(options, key=lambda i: content.choices[i].fraction)
        # every fourth answer wrong; the first choice item is flagged with a comment
        wrong = position % 4 == 3
        choice = next(i for i in options if i != key) if wrong else key
        flag = flagged is None
        flagged = position if flag else flagged
        response_save(
            sitting_id=sitting.pk,
            candidate=candidate,
            position=position,
            answer={"choice": choice},
            flagged=flag,
            flag_comment=COMMENT if flag else "",
            now=starts + timedelta(minutes=1 + position),
        )
    session_close(session=session, acting_user=proctor, now=starts + timedelta(hours=2))
    session_release(session=session, acting_user=staff, now=starts + timedelta(days=1))
    assert flagged is not None  # a 60-item ML Expert form holds choice items
    challenge_file(
        sitting_id=sitting.pk,
        position=flagged,
        reasons=COMMENT,
        candidate=candidate,
        now=starts + timedelta(days=1, hours=3),
    )

"""Ada, checked in to a running ML Expert session, for the journeys of the test screen: call it
once the program and an item bank are loaded, at a time travelled to (a session is dated in
the program's time zone)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from signin import PASSWORD

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.exams.delivery import services as delivery
from credence.exams.models import Sitting
from credence.exams.sessions.services import session_book, session_create, session_publish


def ada_checked_in() -> Sitting:
    office = User.objects.create_user("office@example.invalid", PASSWORD, full_name="Office")
    user_assign_role(user=office, role=Role.STAFF, acting_user=None)
    ada = User.objects.create_user("ada@example.invalid", PASSWORD, full_name="Ada Lovelace")
    user_assign_role(user=ada, role=Role.CANDIDATE, acting_user=None)
    now = timezone.now()
    session = session_create(
        certifications=["ml-expert"],
        venue="Potsdam, lecture hall 1",
        starts_at=now + timedelta(minutes=5),
        duration_minutes=120,
        capacity=5,
        booking_deadline=now + timedelta(minutes=4),
        proctors=[],
        acting_user=office,
    )
    session_publish(session=session, acting_user=office, now=now)
    booking = session_book(
        session=session, candidate=ada, certification="ml-expert", acting_user=ada
    )
    delivery.session_open(session=session, acting_user=office, now=now)
    return delivery.sitting_check_in(booking=booking, acting_user=office, now=now)

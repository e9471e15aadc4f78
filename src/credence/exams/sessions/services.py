"""Writes about sessions (R11): the program office creates and publishes them; candidates
book a seat (through ``services.attempt_book``: R1-R3, R7, R12) and cancel it.

Lock order: the session row first, then the candidate (inside ``attempt_book``), so that
concurrent bookings of the last seat are decided one after the other and never oversell.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from credence.accounts.access import is_office
from credence.accounts.models import Role, User
from credence.audit.api import record, recorded_together
from credence.catalog import api as catalog_api
from credence.catalog.models import Certification
from credence.core.compiled import CompiledRead, model_columns
from credence.core.decisions import Refused, RuleRefused
from credence.exams.models import Booking, ExamSession
from credence.exams.services import BookingRefused, attempt_book_in_transaction, attempt_cancel
from credence.exams.sessions.policy import may_book_seat, may_cancel
from credence.exams.sessions.selectors import (
    live_evaluation,
    session_day,
    session_facts,
)
from credence.exams.tasks import send_booking_confirmation
from credence.items import api as items_api


class SessionRefused(RuleRefused):
    """A session the rules do not let the office create or publish; carries the decision."""


def _bank_refusals(certifications: Sequence[Certification]) -> list[str]:
    """Why forms of these certifications' tests could not be drawn at check-in, one sentence
    per certification that falls short (R11, ``items.policy.may_draw_forms``): none when
    every bank fills its blueprint."""
    reasons = []
    topic_names = {t.code: t.name for t in catalog_api.program_rules().topics}
    for certification in certifications:
        try:
            blueprint = items_api.blueprint_for(certification.code)
        except items_api.BlueprintMissing as missing:
            reasons.append(str(missing))
            continue
        decision = items_api.may_draw_forms(
            certification.name,
            blueprint,
            items_api.drawable_per_topic(certification),
            topic_names,
        )
        if isinstance(decision, Refused):
            reasons.append(decision.reason)
    return reasons


def _snapshot(session: ExamSession) -> dict[str, Any]:
    return {
        "certifications": sorted(session.certifications.values_list("code", flat=True)),
        "venue": session.venue,
        "starts_at": session.starts_at.isoformat(),
        "duration_minutes": session.duration_minutes,
        "capacity": session.capacity,
        "booking_deadline": session.booking_deadline.isoformat(),
        "published_at": session.published_at.isoformat() if session.published_at else None,
        "proctors": sorted(session.proctors.values_list("pk", flat=True)),
    }


@transaction.atomic
def session_create(
    *,
    certifications: Sequence[str],
    venue: str,
    starts_at: datetime,
    duration_minutes: int,
    capacity: int,
    booking_deadline: datetime,
    acting_user: User,
    proctors: Sequence[Any] = (),
) -> ExamSession:
    """A draft session; ``ValidationError`` (by field) when it could not take place, also when
    a test form of one of its certifications could not be drawn from the item bank (R11).
    ``proctors`` run it at the venue (only they, and the program office, see its console)."""
    errors: dict[str, str] = {}
    found = list(Certification.objects.filter(code__in=certifications))
    if not certifications or len(found) != len(set(certifications)):
        errors["certifications"] = _("Choose one or more certifications of the program.")
    elif refusals := _bank_refusals(found):
        errors["certifications"] = " ".join(refusals)
    if not venue.strip():
        errors["venue"] = _("Say where the session takes place.")
    if timezone.is_naive(starts_at) or timezone.is_naive(booking_deadline):
        errors["starts_at"] = _("Times need a time zone.")
    elif booking_deadline > starts_at:
        errors["booking_deadline"] = _("The booking deadline must be before the start.")
    if duration_minutes < 1:
        errors["duration_minutes"] = _("A session lasts at least one minute.")
    if capacity < 1:
        errors["capacity"] = _("A session needs at least one seat.")
    if any(not person.has_role(Role.PROCTOR) for person in proctors):
        errors["proctors"] = _("Only people with the proctor role can run a session.")
    if errors:
        raise ValidationError(errors)
    session = ExamSession.objects.create(
        venue=venue.strip(),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        capacity=capacity,
        booking_deadline=booking_deadline,
    )
    session.certifications.set(found)
    session.proctors.set(proctors)
    record(action="session.created", subject=session, actor=acting_user, after=_snapshot(session))
    return session


@transaction.atomic
def session_assign_proctors(
    *, session: ExamSession, proctors: Sequence[Any], acting_user: User
) -> ExamSession:
    """Who runs the session at the venue; replaces the earlier choice. Only they (and the
    program office) see its console (docs/permissions.md)."""
    if any(not person.has_role(Role.PROCTOR) for person in proctors):
        raise ValidationError(
            {"proctors": _("Only people with the proctor role can run a session.")}
        )
    session = ExamSession.objects.select_for_update().get(pk=session.pk)
    before = _snapshot(session)
    session.proctors.set(proctors)
    record(
        action="session.proctors_assigned",
        subject=session,
        actor=acting_user,
        before={"proctors": before["proctors"]},
        after={"proctors": _snapshot(session)["proctors"]},
    )
    return session


@transaction.atomic
def session_publish(*, session: ExamSession, acting_user: User, now: datetime) -> ExamSession:
    """Candidates see the session and may book it from now on (R11). Publishing twice keeps
    the first publication. ``SessionRefused`` when a test form of one of its certifications
    could not be drawn from the item bank (checked again: the bank may have changed since the
    session was created)."""
    session = ExamSession.objects.select_for_update().get(pk=session.pk)
    if session.published_at is not None:
        return session
    if refusals := _bank_refusals(list(session.certifications.all())):
        raise SessionRefused(Refused(rule="R11", reason=" ".join(refusals)))
    before = _snapshot(session)
    session.published_at = now
    session.save(update_fields=["published_at"])
    record(
        action="session.published",
        subject=session,
        actor=acting_user,
        reason="R11",
        before=before,
        after=_snapshot(session),
    )
    return session


_BOOKING_COLUMNS = model_columns(
    ExamSession, "id", "starts_at", "booking_deadline", "capacity", "published_at"
)
# every booking takes it: compiled once (decision 0047, issue 14)
_LOCKED_FOR_BOOKING = CompiledRead(
    lambda pk: ExamSession.objects.select_for_update().filter(pk=pk).values_list(*_BOOKING_COLUMNS)
)


@transaction.atomic
def session_book(
    *,
    session: ExamSession | int,
    candidate: User,
    certification: str,
    acting_user: User,
    now: datetime | None = None,
) -> Booking:
    """Book ``candidate`` a seat for ``certification``'s knowledge test in ``session`` (or the
    session of that key: ``ExamSession.DoesNotExist`` if there is none): R11 here, R1-R3 and
    R12 by ``attempt_book`` (which also invoices, R7). ``BookingRefused`` names the rule that
    refuses."""
    now = now or timezone.now()
    locked = _LOCKED_FOR_BOOKING.rows(session if isinstance(session, int) else session.pk)
    if not locked:
        raise ExamSession.DoesNotExist("no such session")
    # the columns a booking reads; the others are read if something asks for them
    session = ExamSession.from_db(connection.alias, _BOOKING_COLUMNS, locked[0])
    facts = session_facts(session)
    decision = may_book_seat(facts, certification, now)
    if isinstance(decision, Refused):
        raise BookingRefused(decision)
    program = catalog_api.program_model()
    rules = catalog_api.rules_cached(program)
    with recorded_together():  # the attempt's, the invoice's and the seat's events
        attempt = attempt_book_in_transaction(
            candidate=candidate,
            certification=certification,
            evaluation=live_evaluation(rules),
            held_on=session_day(session, rules),
            acting_user=acting_user,
            program=program,
        )
        booking = Booking.objects.create(session=session, attempt=attempt)
        record(
            action="session.booked",
            subject=booking,
            actor=acting_user,
            subject_user=candidate,
            reason="R11",
            # counted under the session's lock before this booking: one more now
            after={
                "session": session.pk,
                "attempt": attempt.pk,
                "seats_taken": facts.seats_taken + 1,
            },
        )
        # mailed by the task worker: a slow or failing mail server neither holds up the
        # booking nor turns a committed booking into an error page. The task is a row of this
        # transaction: it commits with the booking (or not at all), in one commit (issue 14)
        send_booking_confirmation.enqueue(
            booking_id=booking.pk, language=translation.get_language() or settings.LANGUAGE_CODE
        )
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, acting_user: User, now: datetime | None = None) -> Booking:
    """Cancel a booking: the candidate until the booking deadline, the program office until
    the start. The attempt is cancelled (with its credit note) and the seat is free again."""
    now = now or timezone.now()
    session = ExamSession.objects.select_for_update().get(pk=booking.session_id)
    booking = Booking.objects.select_related("attempt").get(pk=booking.pk)
    by_staff = bool(is_office(acting_user))
    if not by_staff and getattr(acting_user, "pk", None) != booking.attempt.candidate_id:
        raise PermissionError("only the candidate or the program office cancels a booking")
    decision = may_cancel(session_facts(session), now, by_staff=by_staff)
    if isinstance(decision, Refused):
        raise BookingRefused(decision)
    attempt_cancel(attempt=booking.attempt, acting_user=acting_user)
    booking.attempt.refresh_from_db()
    record(
        action="session.booking_cancelled",
        subject=booking,
        actor=acting_user,
        subject_user=booking.attempt.candidate,
        reason="R11",
        after={"session": session.pk, "attempt": booking.attempt_id},
    )
    return booking

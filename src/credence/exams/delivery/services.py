"""Writes of a live test (R11): the proctor opens the session, checks candidates in (which
draws each one's form), extends time, pauses and resumes, and closes; the candidate starts,
answers (each answer saved at once) and submits. The server's clock decides what counts.

Every write locks the sitting (or the session) row first, so that an answer and a pause, or
a last-second answer and the deadline submission, are decided one after the other.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from credence.accommodations import api as accommodations_api
from credence.accounts.models import User
from credence.audit.api import record
from credence.catalog import api as catalog_api
from credence.core.decisions import Refused
from credence.exams.delivery.policy import Clock, is_over, may_answer
from credence.exams.delivery.selectors import clock_of
from credence.exams.models import Attempt, Booking, ExamSession, Response, Sitting
from credence.exams.scoring.services import sitting_release_if_automatic
from credence.exams.services import BookingRefused, attempt_record_no_show
from credence.exams.statuses import AttemptStatus
from credence.items import api as items_api


class DeliveryError(Exception):
    """A proctor or candidate action that cannot happen now; the message says why."""


def _require_proctor(user: User, session: ExamSession) -> None:
    # The same rule as the console's (exams/permissions.py): a proctor of this session, or
    # the program office.
    if not user.has_perm("exams.proctor_session", session):
        raise PermissionError("only a proctor of this session or the program office runs it")


def _locked(sitting: Sitting) -> Sitting:
    # One query: the booking and attempt (whose test, in which session) come with the row but
    # only the sitting's row is locked, so one candidate's autosave never waits on another's
    # or on the session's row.
    return (
        Sitting.objects.select_for_update(of=("self",))
        .select_related("booking__attempt", "booking__session")
        .get(pk=sitting.pk)
    )


@transaction.atomic
def session_open(*, session: ExamSession, acting_user: User, now: datetime) -> ExamSession:
    _require_proctor(acting_user, session)
    session = ExamSession.objects.select_for_update().get(pk=session.pk)
    if session.published_at is None:
        raise DeliveryError(_("Only a published session can be opened."))
    if session.closed_at is not None:
        raise DeliveryError(_("This session is closed."))
    if session.opened_at is None:
        session.opened_at = now
        session.save(update_fields=["opened_at"])
        record(action="session.opened", subject=session, actor=acting_user, reason="R11")
    return session


def _seen_items(booking: Booking) -> frozenset[int]:
    """Items the candidate saw in earlier sittings of this certification's test."""
    forms = Sitting.objects.filter(
        booking__attempt__candidate_id=booking.attempt.candidate_id,
        booking__attempt__certification_id=booking.attempt.certification_id,
    ).values_list("form", flat=True)
    return frozenset(entry["item"] for form in forms for entry in form)


@transaction.atomic
def sitting_check_in(*, booking: Booking, acting_user: User, now: datetime) -> Sitting:
    """The proctor has seen the candidate at the venue: draw their form from the bank by the
    blueprint, avoiding items they saw before, and freeze the versions it shows."""
    _require_proctor(acting_user, booking.session)
    session = ExamSession.objects.select_for_update().get(pk=booking.session_id)
    if session.opened_at is None or session.closed_at is not None:
        raise DeliveryError(_("Candidates are checked in while the session is open."))
    booking = Booking.objects.select_related("attempt__certification").get(pk=booking.pk)
    if booking.attempt.status != AttemptStatus.BOOKED:
        raise DeliveryError(_("This booking is not active."))
    existing = Sitting.objects.filter(booking=booking).first()
    if existing is not None:
        return existing
    certification = booking.attempt.certification
    try:
        blueprint = items_api.blueprint_for(certification.code)
        form = items_api.draw_form(
            blueprint,
            items_api.bank_for_drawing(certification),
            seen_items=_seen_items(booking),
            seed=f"booking-{booking.pk}",
        )
    except items_api.BlueprintMissing as exc:
        raise DeliveryError(str(exc)) from None
    except items_api.BankTooSmall as exc:
        # the sentence the office read if the bank was too small when it created the session
        topic_names = {t.code: t.name for t in catalog_api.program_rules().topics}
        refusal = items_api.bank_refusal(certification.name, exc.shortfalls, topic_names)
        raise DeliveryError(refusal.reason) from None
    # the candidate's approved extra time for the session's day applies by itself (AC3)
    time_factor = accommodations_api.time_factor_for(
        booking.attempt.candidate_id, timezone.localdate(session.starts_at)
    )
    sitting = Sitting.objects.create(
        booking=booking,
        checked_in_at=now,
        checked_in_by=acting_user,
        time_limit_minutes=blueprint.time_limit_minutes,
        time_factor=time_factor,
        form=[
            {
                "item": f.item_id,
                "version": f.version_id,
                "topic": f.topic,
                "options": list(f.option_order),
            }
            for f in form.items
        ],
    )
    for version in items_api.versions_by_id([f.version_id for f in form.items]).values():
        items_api.item_version_mark_used(version=version, now=now)
    record(
        action="sitting.checked_in",
        subject=sitting,
        actor=acting_user,
        subject_user=booking.attempt.candidate,
        reason="R11",
        after={
            "items": len(form.items),
            "reused": form.reused,
            "time_factor": str(time_factor),
        },
    )
    return sitting


@transaction.atomic
def sitting_extend(*, sitting: Sitting, minutes: int, reason: str, acting_user: User) -> Sitting:
    """The proctor's extra time on the day (an interruption, a technical problem); who, how
    much and why are recorded. An approved accommodation's extra time needs none of this: it
    applies by itself from check-in (AC3)."""
    _require_proctor(acting_user, sitting.booking.session)
    if not 1 <= minutes <= 240:
        raise DeliveryError(_("Extra time is 1 to 240 minutes."))
    if not reason.strip():
        raise DeliveryError(_("Extra time needs a reason."))
    sitting = _locked(sitting)
    if sitting.submitted_at is not None:
        raise DeliveryError(_("This test is already submitted."))
    sitting.extra_minutes += minutes
    sitting.save(update_fields=["extra_minutes"])
    record(
        action="sitting.extended",
        subject=sitting,
        actor=acting_user,
        reason=reason,
        after={"extra_minutes": sitting.extra_minutes},
    )
    return sitting


def _pause(sitting: Sitting, now: datetime, acting_user: User) -> bool:
    if sitting.submitted_at is not None or sitting.paused_at is not None:
        return False
    sitting.paused_at = now
    sitting.save(update_fields=["paused_at"])
    record(action="sitting.paused", subject=sitting, actor=acting_user, reason="R11")
    return True


def _resume(sitting: Sitting, now: datetime, acting_user: User) -> bool:
    if sitting.paused_at is None:
        return False
    sitting.paused_seconds += max(int((now - sitting.paused_at).total_seconds()), 0)
    sitting.paused_at = None
    sitting.save(update_fields=["paused_at", "paused_seconds"])
    record(action="sitting.resumed", subject=sitting, actor=acting_user, reason="R11")
    return True


@transaction.atomic
def sitting_pause(*, sitting: Sitting, acting_user: User, now: datetime) -> Sitting:
    _require_proctor(acting_user, sitting.booking.session)
    sitting = _locked(sitting)
    _pause(sitting, now, acting_user)
    return sitting


@transaction.atomic
def sitting_resume(*, sitting: Sitting, acting_user: User, now: datetime) -> Sitting:
    _require_proctor(acting_user, sitting.booking.session)
    sitting = _locked(sitting)
    _resume(sitting, now, acting_user)
    return sitting


@transaction.atomic
def session_pause_all(*, session: ExamSession, acting_user: User, now: datetime) -> int:
    _require_proctor(acting_user, session)
    sittings = Sitting.objects.select_for_update().filter(booking__session=session)
    return sum(_pause(s, now, acting_user) for s in sittings)


@transaction.atomic
def session_resume_all(*, session: ExamSession, acting_user: User, now: datetime) -> int:
    _require_proctor(acting_user, session)
    sittings = Sitting.objects.select_for_update().filter(booking__session=session)
    return sum(_resume(s, now, acting_user) for s in sittings)


def _submit(sitting: Sitting, now: datetime, acting_user: User | None, *, by_server: bool) -> None:
    sitting.submitted_at = now
    sitting.submitted_by_server = by_server
    sitting.save(update_fields=["submitted_at", "submitted_by_server"])
    record(
        action="sitting.submitted",
        subject=sitting,
        actor=acting_user,
        subject_user=sitting.booking.attempt.candidate,
        reason="R11",
        after={"by_server": by_server, "answered": sitting.responses.count()},
    )
    sitting_release_if_automatic(sitting=sitting, now=now)


@transaction.atomic
def sitting_start(*, sitting: Sitting, candidate: User, now: datetime) -> Sitting:
    """The candidate opens their test: the clock starts once, at the first opening."""
    sitting = _locked(sitting)
    if sitting.booking.attempt.candidate_id != candidate.pk:
        raise PermissionError("a candidate starts only their own test")
    if sitting.booking.session.closed_at is not None:
        raise DeliveryError(_("This session is closed."))
    if sitting.started_at is None:
        sitting.started_at = now
        sitting.save(update_fields=["started_at"])
        record(action="sitting.started", subject=sitting, actor=candidate, reason="R11")
    return sitting


@transaction.atomic
def sitting_submit_if_over(*, sitting: Sitting, now: datetime) -> Sitting:
    """Submission by the server at the deadline (called whenever the sitting is touched and by
    the session's close)."""
    sitting = _locked(sitting)
    if sitting.submitted_at is None and is_over(clock_of(sitting), now):
        _submit(sitting, now, None, by_server=True)
    return sitting


@transaction.atomic
def sitting_submit(*, sitting: Sitting, candidate: User, now: datetime) -> Sitting:
    sitting = _locked(sitting)
    if sitting.booking.attempt.candidate_id != candidate.pk:
        raise PermissionError("a candidate submits only their own test")
    if sitting.submitted_at is None:
        over = is_over(clock_of(sitting), now)
        _submit(sitting, now, None if over else candidate, by_server=over)
    return sitting


# The sitting's clock (delivery.policy.Clock), as an autosave reads it.
# what a candidate notes on a flagged item, to challenge it after the test (C1)
MAX_FLAG_COMMENT = 2000

_CLOCK = [
    "started_at",
    "time_limit_minutes",
    "extra_minutes",
    "paused_at",
    "paused_seconds",
    "submitted_at",
    "time_factor",
]


def response_save(
    *,
    sitting_id: int,
    candidate: User,
    position: int,
    flagged: bool,
    now: datetime,
    answer: Any = None,
    answer_from: Callable[[items_api.ItemContent], Any] | None = None,
    flag_comment: str = "",
) -> Response:
    """Save one answer (and its flag, with the candidate's comment on it) the moment it is
    given; when this returns, it is committed. Saving the same answer again changes nothing,
    so a retried request is harmless.

    ``answer_from``, when given, reads the answer from the item's content (the test page's
    fields mean what the item's type says) instead of ``answer``.
    Raises ``Sitting.DoesNotExist`` for no such sitting, ``PermissionError`` for another
    candidate's, ``DeliveryError`` for a position or an answer that does not fit the form, and
    ``BookingRefused`` (R11) when the test does not run; a test whose time is up is then
    submitted by the server first (committed, although the answer is refused)."""
    with transaction.atomic():
        # The busiest write of a live test reads the sitting once, as plain values: its row
        # locked (a pause, an extension or the deadline submission waits for the save, and
        # the save for them; only this row, so one candidate's save never waits on another's
        # or on the session's), with whose test it is.
        sitting = (
            Sitting.objects.select_for_update(of=("self",))
            .values(*_CLOCK, "form", "position", candidate=F("booking__attempt__candidate"))
            .get(pk=sitting_id)
        )
        if sitting["candidate"] != candidate.pk:
            raise PermissionError("a candidate answers only their own test")
        clock = Clock(**{field: sitting[field] for field in _CLOCK})
        decision = may_answer(clock, now)
        if not isinstance(decision, Refused):
            return _save(
                sitting_id, sitting, position, flagged, now, answer, answer_from, flag_comment
            )
        if clock.submitted_at is None and is_over(clock, now):
            late = Sitting.objects.select_related("booking__attempt").get(pk=sitting_id)
            _submit(late, now, None, by_server=True)
            decision = may_answer(clock_of(late), now)
    assert isinstance(decision, Refused)  # the test was submitted: no answer counts now
    raise BookingRefused(decision)


def _save(
    sitting_id: int,
    sitting: dict[str, Any],
    position: int,
    flagged: bool,
    now: datetime,
    answer: Any,
    answer_from: Callable[[items_api.ItemContent], Any] | None,
    flag_comment: str,
) -> Response:
    form = sitting["form"]
    if not 0 <= position < len(form):
        raise DeliveryError(_("There is no such item in your test."))
    if len(flag_comment) > MAX_FLAG_COMMENT:
        raise DeliveryError(
            _("A comment is at most %(most)s characters.") % {"most": MAX_FLAG_COMMENT}
        )
    version = form[position]["version"]
    # the version's content only: a version on a form never changes
    content = items_api.ItemContent.from_json(
        items_api.ItemVersion.objects.values_list("content", flat=True).get(pk=version)
    )
    if answer_from is not None:
        answer = answer_from(content)
    problem = items_api.check_answer(content, answer)
    if problem:
        raise DeliveryError(problem)
    # One INSERT ... ON CONFLICT DO UPDATE: the first answer and every change are the same
    # statement, without update_or_create's SELECT and savepoints (the sitting's lock already
    # keeps two saves of one position apart).
    (response,) = Response.objects.bulk_create(
        [
            Response(
                sitting_id=sitting_id,
                position=position,
                version_id=version,
                answer=answer,
                flagged=flagged,
                flag_comment=flag_comment.strip(),
                saved_at=now,
            )
        ],
        update_conflicts=True,
        unique_fields=["sitting", "position"],
        update_fields=["version", "answer", "flagged", "flag_comment", "saved_at"],
    )
    if sitting["position"] != position:
        Sitting.objects.filter(pk=sitting_id).update(position=position)
    return response


@transaction.atomic
def session_close(*, session: ExamSession, acting_user: User, now: datetime) -> ExamSession:
    """End the session: every running test is submitted by the server; a booked candidate
    who never checked in is recorded as a no-show (R3)."""
    _require_proctor(acting_user, session)
    session = ExamSession.objects.select_for_update().get(pk=session.pk)
    if session.closed_at is not None:
        return session
    for sitting in Sitting.objects.select_for_update().filter(
        booking__session=session, submitted_at__isnull=True
    ):
        _submit(sitting, now, acting_user, by_server=True)
    absent = Attempt.objects.filter(
        booking__session=session, status=AttemptStatus.BOOKED, booking__sitting__isnull=True
    )
    for attempt in absent:
        attempt_record_no_show(attempt=attempt, acting_user=acting_user)
    session.closed_at = now
    session.save(update_fields=["closed_at"])
    record(action="session.closed", subject=session, actor=acting_user, reason="R11")
    return session

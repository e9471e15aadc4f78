"""Rule R11 (live sessions) over plain data: may a seat in this session be booked, or a
booking cancelled, at ``now``? The candidate's own rules (R1-R3, R12) are ``policy.may_book``;
a booking needs both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from credence.core.decisions import Allowed, Decision, Refused


@dataclass(frozen=True)
class SessionFacts:
    certifications: frozenset[str]
    starts_at: datetime
    booking_deadline: datetime
    capacity: int
    seats_taken: int
    published: bool

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)


def _moment(moment: datetime) -> str:
    return date_format(localtime(moment), "DATETIME_FORMAT")


def may_book_seat(session: SessionFacts, certification: str, now: datetime) -> Decision:
    """R11: the session is published, holds this certification's test, is still open for
    booking at ``now`` and has a free seat."""
    if not session.published:
        return Refused(rule="R11", reason=_("This session is not published."), never=True)
    if certification not in session.certifications:
        return Refused(
            rule="R11",
            reason=_("This session does not hold the knowledge test of this certification."),
            never=True,
        )
    if now > session.booking_deadline:
        return Refused(
            rule="R11",
            reason=_("Booking for this session closed at %(deadline)s.")
            % {"deadline": _moment(session.booking_deadline)},
            never=True,
        )
    if session.seats_left == 0:
        return Refused(
            rule="R11",
            reason=_("This session is full. A seat frees up only when someone cancels."),
        )
    return Allowed(rule="R11")


def may_cancel(session: SessionFacts, now: datetime, *, by_staff: bool) -> Decision:
    """A candidate cancels until the booking deadline (docs/decisions/0013); after it a missed
    session is a no-show (R3). The program office can cancel any booking before the start."""
    limit = session.starts_at if by_staff else session.booking_deadline
    if now > limit:
        return Refused(
            rule="R11",
            reason=_(
                "Bookings can be cancelled until %(limit)s. Please contact the program office."
            )
            % {"limit": _moment(limit)},
            never=True,
        )
    return Allowed(rule="R11")

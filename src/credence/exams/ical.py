"""An iCalendar file (RFC 5545) for a booked session: one event, times in UTC, text escaped
and lines folded at 75 octets as the RFC requires, CRLF line ends; its URL opens the page
about the event on the public site (decision 0033)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from credence.core.public import public_host, public_url
from credence.exams.models import Booking


def _text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1),
    never splitting a UTF-8 character."""
    parts: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not parts else 74  # continuation lines start with one space
        if len((current + char).encode("utf-8")) > limit:
            parts.append(current)
            current = char
        else:
            current += char
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_calendar(
    *,
    uid: str,
    summary: str,
    location: str,
    description: str,
    starts_at: datetime,
    ends_at: datetime,
    stamp: datetime,
    url: str,
) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Credence//Knowledge test sessions//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(starts_at)}",
        f"DTEND:{_utc(ends_at)}",
        f"SUMMARY:{_text(summary)}",
        f"LOCATION:{_text(location)}",
        f"DESCRIPTION:{_text(description)}",
        f"URL:{url}",  # a URI value: not escaped as text (RFC 5545 3.3.13)
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)


def booking_calendar(booking: Booking, *, stamp: datetime) -> str:
    session = booking.session
    certification = booking.attempt.certification.name
    return event_calendar(
        uid=f"booking-{booking.pk}@{public_host()}",
        summary=_("Knowledge test: %(certification)s") % {"certification": certification},
        location=session.venue,
        description=_(
            "Your seat is booked. Please arrive 15 minutes early and check in with the proctor "
            "with an official photo ID."
        ),
        starts_at=session.starts_at,
        ends_at=session.starts_at + timedelta(minutes=session.duration_minutes),
        stamp=stamp,
        url=public_url(reverse("learning:my-path")),
    )

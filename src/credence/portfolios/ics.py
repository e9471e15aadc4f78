"""An interview slot as an iCalendar file (RFC 5545), for any calendar application; its URL
opens the submission's page on the public site (decision 0033)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from credence.core.public import public_host, public_url
from credence.portfolios.models import Submission


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    raw = line.encode()
    parts: list[str] = []
    while len(raw) > 75:
        cut = 75 if not parts else 74
        while cut and (raw[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        parts.append(raw[:cut].decode())
        raw = raw[cut:]
    parts.append(raw.decode())
    return "\r\n ".join(parts)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def interview_ics(
    *,
    uid: str,
    starts_at: datetime,
    minutes: int,
    summary: str,
    location: str,
    description: str,
    now: datetime,
    url: str,
) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Credence//Portfolio interview//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(starts_at)}",
        f"DTEND:{_stamp(starts_at + timedelta(minutes=minutes))}",
        f"SUMMARY:{_escape(summary)}",
        f"LOCATION:{_escape(location)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{url}",  # a URI value: not escaped as text (RFC 5545 3.3.13)
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def submission_interview_ics(submission: Submission, now: datetime) -> str:
    """The calendar file of the submission's scheduled interview (``submission.slot``), for
    its page and the candidate's invitation."""
    slot = submission.slot
    return interview_ics(
        uid=f"portfolio-{submission.pk}@{public_host()}",
        starts_at=slot.starts_at,
        minutes=slot.minutes,
        summary=_("Portfolio interview: %(certification)s")
        % {"certification": submission.certification.name},
        location=slot.location,
        description=_("Repository %(url)s at commit %(commit)s")
        % {"url": submission.url, "commit": submission.commit},
        now=now,
        url=public_url(reverse("portfolios:detail", args=[submission.pk])),
    )

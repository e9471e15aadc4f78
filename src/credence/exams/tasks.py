"""Background tasks of the exams app, run by `credence worker` (django-tasks-db)."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from credence.core.public import mail_subject, public_url
from credence.exams.models import Booking
from credence.exams.session_selectors import booking_calendar


@task()
def send_booking_confirmation(*, booking_id: int, language: str) -> None:
    """Mail the candidate the booked seat with a calendar file, in the language the candidate
    booked in."""
    booking = Booking.objects.select_related(
        "session", "attempt__candidate", "attempt__certification"
    ).get(pk=booking_id)
    candidate = booking.attempt.candidate
    with translation.override(language):
        message = EmailMessage(
            subject=mail_subject(
                _("Your knowledge test: %(certification)s")
                % {"certification": booking.attempt.certification.name}
            ),
            body=_(
                "Dear %(name)s,\n\nyour seat for the knowledge test of %(certification)s is "
                "booked: %(start)s at %(venue)s. The calendar file is attached.\n\n"
                "You can cancel until the booking deadline on your path page: %(path)s\n"
            )
            % {
                "name": candidate.full_name or candidate.email,
                "certification": booking.attempt.certification.name,
                "start": date_format(
                    timezone.localtime(booking.session.starts_at), "DATETIME_FORMAT"
                ),
                "venue": booking.session.venue,
                "path": public_url(reverse("learning:my-path")),
            },
            to=[candidate.email],
        )
    message.attach(
        "knowledge-test.ics",
        booking_calendar(booking, stamp=timezone.now()),
        "text/calendar; method=PUBLISH",
    )
    message.send()

"""Background tasks of the exams app, run by `credence worker` (django-tasks-db)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from credence.core.public import mail_subject, public_url
from credence.exams.ical import booking_calendar
from credence.exams.models import Attempt, Booking
from credence.exams.statuses import AttemptStatus


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


@task()
def send_result_released(*, attempt_id: int) -> None:
    """Mail the candidate that a result is released: passed or not, the score, where the path
    shows what comes next."""
    attempt = Attempt.objects.select_related("candidate", "certification", "evaluation").get(
        pk=attempt_id
    )
    candidate = attempt.candidate
    # Candidates choose no language yet: mails go out in the platform's language.
    with translation.override(settings.LANGUAGE_CODE):
        outcome = (
            _("You passed.") if attempt.status == AttemptStatus.PASSED else _("You did not pass.")
        )
        EmailMessage(
            subject=mail_subject(
                _("Your result: %(evaluation)s, %(certification)s")
                % {
                    "evaluation": attempt.evaluation.name,
                    "certification": attempt.certification.name,
                }
            ),
            body=_(
                "Dear %(name)s,\n\nthe result of your %(evaluation)s for %(certification)s is "
                "released: %(outcome)s Your score: %(score)s.\n\nWhat comes next is on your "
                "path page: %(path)s\n"
            )
            % {
                "name": candidate.full_name or candidate.email,
                "evaluation": attempt.evaluation.name,
                "certification": attempt.certification.name,
                "outcome": outcome,
                "score": attempt.score,
                "path": public_url(reverse("learning:my-path")),
            },
            to=[candidate.email],
        ).send()


@task()
def send_result_rescored(*, attempt_id: int, before: str | None, withdrawn: list[str]) -> None:
    """Mail the candidate that a challenge decision (C2) changed a released result: the score
    before and now, passed or not, and a certificate withdrawn because of it."""
    attempt = Attempt.objects.select_related("candidate", "certification", "evaluation").get(
        pk=attempt_id
    )
    candidate = attempt.candidate
    with translation.override(settings.LANGUAGE_CODE):
        outcome = (
            _("You passed.") if attempt.status == AttemptStatus.PASSED else _("You did not pass.")
        )
        body = _(
            "Dear %(name)s,\n\nafter a challenge of one of its items, your %(evaluation)s for "
            "%(certification)s has been rescored: your score was %(before)s and is now "
            "%(score)s. %(outcome)s\n"
        ) % {
            "name": candidate.full_name or candidate.email,
            "evaluation": attempt.evaluation.name,
            "certification": attempt.certification.name,
            "before": before,
            "score": attempt.score,
            "outcome": outcome,
        }
        if withdrawn:
            body += "\n" + _(
                "The certificate that rested on this result is withdrawn: %(serials)s.\n"
            ) % {"serials": ", ".join(withdrawn)}
        body += "\n" + _("Your results and certificates: %(path)s\n") % {
            "path": public_url(reverse("learning:my-path"))
        }
        EmailMessage(
            subject=mail_subject(
                _("Your result is rescored: %(evaluation)s, %(certification)s")
                % {
                    "evaluation": attempt.evaluation.name,
                    "certification": attempt.certification.name,
                }
            ),
            body=body,
            to=[candidate.email],
        ).send()

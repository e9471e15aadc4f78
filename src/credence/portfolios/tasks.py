"""Background work of the portfolios app, run by `credence worker` (django-tasks-db)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from credence.core.public import mail_subject, public_url
from credence.portfolios.evidence import submission_analyse
from credence.portfolios.ics import submission_interview_ics
from credence.portfolios.models import Submission


@task()
def analyse_submission(*, submission_id: int) -> None:
    """Clone the repository at the pinned commit and store its evidence report."""
    submission_analyse(submission_id=submission_id)


@task()
def send_interview_invitation(*, submission_id: int) -> None:
    """Mail the candidate the scheduled (or moved) interview with its calendar file."""
    submission = Submission.objects.select_related("candidate", "certification", "slot").get(
        pk=submission_id
    )
    slot, candidate = submission.slot, submission.candidate
    # Candidates choose no language yet: mails go out in the platform's language.
    with translation.override(settings.LANGUAGE_CODE):
        message = EmailMessage(
            subject=mail_subject(
                _("Your portfolio interview: %(certification)s")
                % {"certification": submission.certification.name}
            ),
            body=_(
                "Dear %(name)s,\n\nyour portfolio interview for %(certification)s is on "
                "%(start)s (%(minutes)s minutes), %(location)s. The calendar file is "
                "attached.\n\nYour submission: %(page)s\n"
            )
            % {
                "name": candidate.full_name or candidate.email,
                "certification": submission.certification.name,
                "start": date_format(timezone.localtime(slot.starts_at), "DATETIME_FORMAT"),
                "minutes": slot.minutes,
                "location": slot.location,
                "page": public_url(reverse("portfolios:detail", args=[submission.pk])),
            },
            to=[candidate.email],
        )
        calendar = submission_interview_ics(submission, timezone.now())
    message.attach(f"interview-{submission.pk}.ics", calendar, "text/calendar; method=PUBLISH")
    message.send()

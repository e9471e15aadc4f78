"""Background tasks of the challenges app, run by `credence worker` (django-tasks-db)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from credence.challenges.models import Challenge
from credence.core.public import mail_subject, public_url


@task()
def send_challenge_decided(*, challenge_id: int) -> None:
    """Mail the candidate the decision on an item they challenged (C2). A result the decision
    changed is mailed by the exams app with the new score."""
    challenge = Challenge.objects.shown().get(pk=challenge_id)
    candidate = challenge.candidate
    # Candidates choose no language yet: mails go out in the platform's language.
    with translation.override(settings.LANGUAGE_CODE):
        EmailMessage(
            subject=mail_subject(
                _("Your item challenge: %(outcome)s") % {"outcome": challenge.get_outcome_display()}
            ),
            body=_(
                "Dear %(name)s,\n\nthe item %(number)s of your knowledge test for "
                "%(certification)s that you challenged is decided: %(outcome)s.\n\n"
                "Your challenges: %(page)s\n"
            )
            % {
                "name": candidate.full_name or candidate.email,
                "number": challenge.position + 1,
                "certification": challenge.sitting.booking.attempt.certification.name,
                "outcome": challenge.get_outcome_display(),
                "page": public_url(reverse("challenges:mine")),
            },
            to=[candidate.email],
        ).send()

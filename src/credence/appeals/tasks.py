"""Background tasks of the appeals app, run by `credence worker` (django-tasks-db)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from credence.appeals.models import Appeal
from credence.core.public import mail_subject, public_url


@task()
def send_appeal_decided(*, appeal_id: int) -> None:
    """Mail the candidate the reviewer's decision on their appeal."""
    appeal = Appeal.objects.select_related(
        "candidate", "attempt__certification", "attempt__evaluation"
    ).get(pk=appeal_id)
    candidate = appeal.candidate
    # Candidates choose no language yet: mails go out in the platform's language.
    with translation.override(settings.LANGUAGE_CODE):
        EmailMessage(
            subject=mail_subject(
                _("Your appeal: %(outcome)s") % {"outcome": appeal.get_outcome_display()}
            ),
            body=_(
                "Dear %(name)s,\n\nyour appeal of the result of %(evaluation)s for "
                "%(certification)s is decided: %(outcome)s.\n\n%(decision)s\n\n"
                "Your appeals and results: %(page)s\n"
            )
            % {
                "name": candidate.full_name or candidate.email,
                "evaluation": appeal.attempt.evaluation.name,
                "certification": appeal.attempt.certification.name,
                "outcome": appeal.get_outcome_display(),
                "decision": appeal.decision,
                "page": public_url(reverse("appeals:detail", args=[appeal.pk])),
            },
            to=[candidate.email],
        ).send()

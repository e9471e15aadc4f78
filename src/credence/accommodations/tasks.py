"""Background tasks of the accommodations app, run by `credence worker` (django-tasks-db)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from credence.accommodations.models import Accommodation, AccommodationStatus
from credence.core.public import mail_subject, public_url


@task()
def send_accommodation_decided(*, accommodation_id: int) -> None:
    """Mail the candidate the program office's decision on their accommodation."""
    accommodation = Accommodation.objects.select_related("candidate").get(pk=accommodation_id)
    candidate = accommodation.candidate
    # Candidates choose no language yet: mails go out in the platform's language.
    with translation.override(settings.LANGUAGE_CODE):
        kind = accommodation.get_kind_display()
        if accommodation.status == AccommodationStatus.APPROVED:
            assert accommodation.valid_from and accommodation.valid_until
            outcome = _(
                "approved from %(start)s to %(end)s. It applies by itself to every test and "
                "interview in that period; you need not ask again."
            ) % {
                "start": date_format(accommodation.valid_from, "DATE_FORMAT"),
                "end": date_format(accommodation.valid_until, "DATE_FORMAT"),
            }
        else:
            outcome = _("refused.")
        EmailMessage(
            subject=mail_subject(
                _("Your accommodation: %(status)s") % {"status": accommodation.get_status_display()}
            ),
            body=_(
                "Dear %(name)s,\n\nyour request for an accommodation (%(kind)s) is "
                "%(outcome)s\n\n%(note)s\n\nYour accommodations: %(page)s\n"
            )
            % {
                "name": candidate.full_name or candidate.email,
                "kind": kind,
                "outcome": outcome,
                "note": accommodation.decision_note,
                "page": public_url(reverse("accommodations:detail", args=[accommodation.pk])),
            },
            to=[candidate.email],
        ).send()

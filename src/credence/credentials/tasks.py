"""Background tasks of the credentials app, run by `credence worker` (django-tasks-db)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from credence.catalog import api as catalog_api
from credence.core.public import mail_subject
from credence.credentials import selectors
from credence.credentials.models import ExpiryReminder
from credence.credentials.policy import recertification_opens


@task()
def send_expiry_reminder(*, reminder_id: int) -> None:
    """Mail the holder that a certificate expires soon, with how to recertify (R12)."""
    reminder = ExpiryReminder.objects.select_related(
        "certificate__holder", "certificate__program", "certificate__certification"
    ).get(pk=reminder_id)
    certificate = reminder.certificate
    rules = catalog_api.rules_for(certificate.program)
    award = selectors.describe_award(rules, certificate.award)
    context = {
        "opens": recertification_opens(rules, selectors.certificate_record(certificate)),
        "years": rules.validity_years,
        "certificate": certificate,
        "award": award,
        "days": reminder.days_before,
        "verification_url": selectors.verification_url(certificate.serial),
        "contact": certificate.program.contact_email,
    }
    # Holders choose no language yet: mails go out in the platform's default language,
    # whatever language the process that runs the task happens to have active.
    with translation.override(settings.LANGUAGE_CODE):
        subject = mail_subject(
            _("Your certificate %(name)s expires on %(date)s")
            % {"name": award.name, "date": date_format(certificate.valid_until, "DATE_FORMAT")}
        )
        body = render_to_string("credentials/mail/expiry_reminder.txt", context)
    send_mail(subject, body, None, [certificate.holder.email])

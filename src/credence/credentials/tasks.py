"""Background tasks of the credentials app, run by `credence worker` (django-tasks-db)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from credence.catalog import api as catalog_api
from credence.core.public import mail_subject, public_url
from credence.credentials import artwork, selectors
from credence.credentials.models import Certificate, ExpiryReminder
from credence.credentials.records import certificate_record
from credence.exams.api import recertification_opens


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
        "opens": recertification_opens(rules, certificate_record(certificate)),
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


@task()
def send_certificate_issued(*, certificate_id: int) -> None:
    """Mail the holder the new certificate: its PDF attached, its public verification page,
    the link that adds it to a LinkedIn profile, where to download the signed badge, and its
    public evidence page with where to choose what that shows (rule E1)."""
    certificate = Certificate.objects.select_related("holder", "program", "certification").get(
        pk=certificate_id
    )
    rules = catalog_api.rules_for(certificate.program)
    # Holders choose no language yet: mails go out in the platform's language.
    with translation.override(settings.LANGUAGE_CODE):
        award = selectors.describe_award(rules, certificate.award)
        message = EmailMessage(
            subject=mail_subject(_("Your certificate: %(name)s") % {"name": award.name}),
            body=_(
                "Dear %(name)s,\n\ncongratulations: you hold the certificate %(award)s, "
                "serial %(serial)s, valid until %(until)s. The PDF is attached.\n\n"
                "Anyone can check it on its public page: %(page)s\n"
                "Add it to your LinkedIn profile: %(linkedin)s\n"
                "The signed credential for wallets and the badge image are on your "
                "certificates page: %(mine)s\n\n"
                "Its public evidence page shows what you choose: %(evidence)s\n"
                "Choose what it shows before you share it: %(choice)s\n"
            )
            % {
                "name": certificate.holder.full_name or certificate.holder.email,
                "award": award.name,
                "serial": certificate.serial,
                "until": date_format(certificate.valid_until, "DATE_FORMAT"),
                "page": selectors.verification_url(certificate.serial),
                "linkedin": selectors.linkedin_url(certificate, award.name),
                "mine": public_url(reverse("credentials:mine")),
                "evidence": public_url(reverse("credentials:evidence", args=[certificate.serial])),
                "choice": public_url(
                    reverse("credentials:evidence-choice-certificate", args=[certificate.serial])
                ),
            },
            to=[certificate.holder.email],
        )
        message.attach(
            f"{certificate.serial}.pdf", artwork.certificate_pdf(certificate), "application/pdf"
        )
    message.send()

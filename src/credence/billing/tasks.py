"""Background tasks of the billing app, run by `credence worker` (django-tasks-db)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from credence.billing.models import Payment
from credence.core.l10n import money
from credence.core.public import mail_subject, public_url


@task()
def send_payment_receipt(*, payment_id: int) -> None:
    """Mail the candidate that a payment was received and booked to an invoice."""
    payment = Payment.objects.select_related("invoice__candidate").get(pk=payment_id)
    invoice, candidate = payment.invoice, payment.invoice.candidate
    # Candidates choose no language yet: mails go out in the platform's language.
    with translation.override(settings.LANGUAGE_CODE):
        EmailMessage(
            subject=mail_subject(
                _("Payment received: invoice %(number)s") % {"number": invoice.number}
            ),
            body=_(
                "Dear %(name)s,\n\nwe received %(amount)s on %(day)s for invoice %(number)s. "
                "Thank you.\n\nYour invoices and what is still open: %(fees)s\n"
            )
            % {
                "name": candidate.full_name or candidate.email,
                "amount": money(payment.amount, invoice.currency),
                "day": date_format(payment.received_on, "DATE_FORMAT"),
                "number": invoice.number,
                "fees": public_url(reverse("billing:my-fees")),
            },
            to=[candidate.email],
        ).send()

"""The billing app's mails to candidates: the receipt of a payment (sent by the task worker,
``tasks.send_payment_receipt``) and each excellence refund notice (sent after the commit of
the transaction that stored the notice). The words of a notice are a read
(``selectors.notice_text``): the fees page shows the same text."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from credence.billing.models import Payment, RefundNotice
from credence.billing.selectors import notice_text
from credence.core.l10n import money
from credence.core.public import mail_subject, public_url


def payment_receipt_send(payment_id: int) -> None:
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


def refund_notice_send(notice_id: int) -> None:
    """Mail the candidate what a refund notice says."""
    notice = RefundNotice.objects.select_related("refund__candidate", "refund__certification").get(
        pk=notice_id
    )
    send_mail(
        subject=mail_subject(_("Your excellence refund")),
        message=notice_text(notice),
        from_email=None,
        recipient_list=[notice.refund.candidate.email],
    )

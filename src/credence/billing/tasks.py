"""Background tasks of the billing app, run by `credence worker` (django-tasks-db)."""

from __future__ import annotations

from django_tasks import task

from credence.billing.mail import payment_receipt_send


@task()
def send_payment_receipt(*, payment_id: int) -> None:
    """Mail the candidate that a payment was received and booked to an invoice."""
    payment_receipt_send(payment_id)

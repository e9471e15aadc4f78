"""Money is seen by its candidate and the program office only (docs/permissions.md): no
proctor, examiner or author sees an invoice."""

from __future__ import annotations

from typing import Any

import rules
from django.http import HttpRequest

from credence.accounts.access import access_object, is_office
from credence.billing.models import Invoice


@rules.predicate
def is_invoiced(user: Any, invoice: Invoice) -> bool:
    return invoice is not None and bool(user.pk) and invoice.candidate_id == user.pk


rules.add_perm("billing.read_invoice", is_invoiced | is_office)


def access_invoice(request: HttpRequest, number: str) -> Invoice:
    """Another candidate's invoice does not exist as far as this user can tell (404)."""
    return access_object(
        request, Invoice.objects.select_related("candidate"), "billing.read_invoice", number=number
    )

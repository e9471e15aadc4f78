"""Who may see an accommodation and its documents (docs/permissions.md): the candidate who
asked for it and the program office; only the office decides it (rule AC2)."""

from __future__ import annotations

import rules
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from credence.accommodations.models import Accommodation, AccommodationDocument
from credence.accounts.access import access_object, is_office
from credence.accounts.models import User


@rules.predicate
def requested_it(user: User | AnonymousUser, accommodation: Accommodation) -> bool:
    return accommodation is not None and bool(user.pk) and accommodation.candidate_id == user.pk


@rules.predicate
def uploaded_it(user: User | AnonymousUser, document: AccommodationDocument) -> bool:
    return document is not None and bool(user.pk) and document.accommodation.candidate_id == user.pk


rules.add_perm("accommodations.read_accommodation", requested_it | is_office)
rules.add_perm("accommodations.decide_accommodation", is_office)
rules.add_perm("accommodations.read_document", uploaded_it | is_office)


def access_accommodation(request: HttpRequest, pk: int) -> Accommodation:
    """Someone else's accommodation does not exist for this user (404)."""
    # not through the selectors: permissions load with the app registry, for every command
    return access_object(
        request, Accommodation.objects.shown(), "accommodations.read_accommodation", pk=pk
    )


def access_document(request: HttpRequest, pk: int) -> AccommodationDocument:
    return access_object(
        request,
        AccommodationDocument.objects.select_related("accommodation"),
        "accommodations.read_document",
        pk=pk,
    )

"""Who may see an appeal (docs/permissions.md): the candidate who filed it, the reviewer the
office assigned, and the program office; only the assigned reviewer decides it (rule A2)."""

from __future__ import annotations

import rules
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from credence.accounts.access import access_object, is_office
from credence.accounts.models import User
from credence.appeals.models import Appeal


@rules.predicate
def filed_appeal(user: User | AnonymousUser, appeal: Appeal) -> bool:
    return appeal is not None and bool(user.pk) and appeal.candidate_id == user.pk


@rules.predicate
def reviews_appeal(user: User | AnonymousUser, appeal: Appeal) -> bool:
    return appeal is not None and bool(user.pk) and appeal.reviewer_id == user.pk


rules.add_perm("appeals.read_appeal", filed_appeal | reviews_appeal | is_office)
rules.add_perm("appeals.decide_appeal", reviews_appeal)
rules.add_perm("appeals.assign_appeal", is_office)


def access_appeal(request: HttpRequest, pk: int) -> Appeal:
    """Someone else's appeal does not exist for this user (404)."""
    # not through the selectors: permissions load with the app registry, for every command
    return access_object(request, Appeal.objects.shown(), "appeals.read_appeal", pk=pk)

"""Writes of the accounts app: registration and roles. Each service owns its transaction and
writes the audit event in it, so a change and its record commit or roll back together."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from credence.accounts.models import Role, User
from credence.audit.api import record
from credence.core.compiled import CompiledRead

_LOCK = CompiledRead(lambda pk: User.objects.select_for_update().filter(pk=pk).values_list("pk"))


def user_lock(user_id: int) -> None:
    """Lock a person's account row until the caller's transaction ends. Every write to one
    candidate's record (a booking, a result, an award, a payment) takes it first, so that two
    of them for the same person are decided one after the other on fresh data."""
    _LOCK.rows(user_id)


def _roles_of(user: User) -> list[str]:
    names = set(user.groups.values_list("name", flat=True))
    return sorted(role.value for role in Role if role.value in names)


@transaction.atomic
def user_assign_role(*, user: User, role: Role, acting_user: User | None) -> bool:
    """Give ``user`` a role (its group). Returns False, and records nothing, if they hold it."""
    group, _ = Group.objects.get_or_create(name=role.value)
    before = _roles_of(user)
    if role.value in before:
        return False
    user.groups.add(group)
    record(
        action="role.assigned",
        subject=user,
        actor=acting_user,
        subject_user=user,
        before={"roles": before},
        after={"roles": _roles_of(user)},
    )
    return True


@transaction.atomic
def user_remove_role(*, user: User, role: Role, acting_user: User | None) -> bool:
    """Take a role away. Returns False, and records nothing, if ``user`` does not hold it."""
    before = _roles_of(user)
    if role.value not in before:
        return False
    user.groups.remove(*Group.objects.filter(name=role.value))
    record(
        action="role.removed",
        subject=user,
        actor=acting_user,
        subject_user=user,
        before={"roles": before},
        after={"roles": _roles_of(user)},
    )
    return True


@transaction.atomic
def candidate_register(*, user: User, full_name: str) -> User:
    """Complete a sign-up: the name for certificates, the candidate role, the audit event.

    allauth has already saved the account (e-mail, password hash); this runs in the same
    request, and the person registering is the one acting.
    """
    full_name = " ".join(full_name.split())
    if not full_name:
        raise ValueError("a candidate needs a full name")
    user.full_name = full_name
    user.save(update_fields=["full_name"])
    # No name or address in the event: the account row holds them, and erasure (issue 9)
    # then has one place to pseudonymize.
    record(action="user.registered", subject=user, actor=user, subject_user=user)
    user_assign_role(user=user, role=Role.CANDIDATE, acting_user=user)
    return user

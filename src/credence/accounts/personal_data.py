"""The account's part of the data-protection rights: the User row itself, its e-mail
addresses, sessions and failed-login records. Erasure pseudonymizes the row in place and
never deletes it (audit rows, ledger lines and certificates keep their foreign keys)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.apps import apps
from django.contrib.sessions.models import Session

from credence.accounts.models import Role, User
from credence.core.personal_data import ErasureSummary, Export, label, row

# Never exported: the password hash is a secret, not information about the person.
_NOT_EXPORTED = ("password",)


def pseudonym_email(user: User) -> str:
    return f"erased-{user.pk}@invalid"


def pseudonym_name(user: User) -> str:
    return f"Erased user {user.pk}"


def _email_addresses(user: User) -> Any:
    if not apps.is_installed("allauth.account"):
        return None
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user)


def _sessions_of(user: User) -> list[Session]:
    # Session data is signed and encoded: the only way to find a user's sessions is to decode
    # them, expired ones included (they still name the account until ``clearsessions`` runs).
    return [
        session
        for session in Session.objects.all()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]


def export_user_data(user: User) -> Export:
    data: Export = {
        label(User): [
            {
                **row(user, exclude=_NOT_EXPORTED),
                "roles": sorted(user.groups.values_list("name", flat=True)),
            }
        ]
    }
    addresses = _email_addresses(user)
    if addresses is not None:
        data["account.emailaddress"] = [
            {"email": a.email, "verified": a.verified, "primary": a.primary} for a in addresses
        ]
    if apps.is_installed("axes"):
        from axes.models import AccessLog

        data["axes.accesslog"] = [
            {
                "attempt_time": log.attempt_time,
                "logout_time": log.logout_time,
                "ip_address": log.ip_address,
                "user_agent": log.user_agent,
            }
            for log in AccessLog.objects.filter(username__iexact=user.email).order_by("pk")
        ]
    return data


def erase_user_data(user: User, *, now: datetime) -> ErasureSummary:
    """Pseudonymize the account: no name, no address, no way to log in, no roles."""
    old_email = user.email
    summary: ErasureSummary = {}
    addresses = _email_addresses(user)
    if addresses is not None:
        summary["account.emailaddress"] = f"deleted {addresses.delete()[0]}"
    if apps.is_installed("allauth.socialaccount"):
        from allauth.socialaccount.models import SocialAccount

        summary["socialaccount.socialaccount"] = (
            f"deleted {SocialAccount.objects.filter(user=user).delete()[0]}"
        )
    sessions = _sessions_of(user)
    for session in sessions:
        session.delete()
    summary["sessions.session"] = f"deleted {len(sessions)}"
    if apps.is_installed("axes"):
        # Failed-login records name the account by the address that was typed.
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        deleted = sum(
            model.objects.filter(username__iexact=old_email).delete()[0]
            for model in (AccessAttempt, AccessLog, AccessFailureLog)
        )
        summary["axes.accesslog"] = f"deleted {deleted}"
    roles = sorted(r.value for r in Role if user.groups.filter(name=r.value).exists())
    user.groups.clear()
    user.user_permissions.clear()
    user.email = pseudonym_email(user)
    user.full_name = pseudonym_name(user)
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    summary[label(User)] = f"pseudonymized; {len(roles)} roles removed"
    return summary

"""allauth's mails in Credence's terms (ACCOUNT_ADAPTER, decision 0033): their links come from
CREDENCE_PUBLIC_URL and their subjects start "[Credence] ", like every other mail the platform
sends. allauth would build links from the request's Host header (``127.0.0.1:8111``, or what
a proxy passed on) and title mails with that host."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from credence.core.public import PRODUCT_NAME, mail_subject, public_domain, public_url


@dataclass(frozen=True)
class PublicSite:
    """What allauth's mail templates read as ``current_site`` ("Hello from {{ name }}!",
    "Thank you for using {{ name }}! {{ domain }}")."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject: str) -> str:
        return mail_subject(subject)

    def get_email_confirmation_url(
        self, request: HttpRequest | None, emailconfirmation: Any
    ) -> str:
        return public_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key: str) -> str:
        # allauth's own path for the opaque key: the URL pattern splits it at its first "-"
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return public_url(path.replace("UID-KEY", quote(key)))

    def send_account_already_exists_mail(self, email: str) -> None:
        self.send_mail(
            "account/email/account_already_exists",
            email,
            {
                "signup_url": public_url(reverse("account_signup")),
                "password_reset_url": public_url(reverse("account_reset_password")),
            },
        )

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        context = {**context, "current_site": PublicSite(PRODUCT_NAME, public_domain())}
        if "signup_url" in context:
            # The mail to an address without an account (a password reset asked for it) gets
            # its sign-up link from allauth's flow, which offers no hook to build it.
            context["signup_url"] = public_url(reverse("account_signup"))
        super().send_mail(template_prefix, email, context)

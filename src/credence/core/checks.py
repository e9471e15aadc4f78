"""System checks for the public address every absolute link is built from (decision 0033)."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from credence.core.public import public_url_problem


@register()
def check_public_url(**kwargs: Any) -> list[CheckMessage]:
    problem = public_url_problem(settings.CREDENCE_PUBLIC_URL)
    if not problem:
        return []
    return [
        Error(
            f"CREDENCE_PUBLIC_URL {settings.CREDENCE_PUBLIC_URL!r} cannot be the site's public "
            f"address: {problem}.",
            hint="Set it to the address people open the site at, such as "
            "https://certs.example.org or http://127.0.0.1:8000.",
            id="credence.E001",
        )
    ]


@register(deploy=True)
def check_public_url_for_deployment(**kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    if not (os.environ.get("CREDENCE_PUBLIC_URL") or os.environ.get("CREDENCE_ISSUER_DOMAIN")):
        messages.append(
            Warning(
                "CREDENCE_PUBLIC_URL is not set: links in mails, certificates, feeds and "
                f"calendar files name {settings.CREDENCE_PUBLIC_URL}, a guess.",
                hint="Set CREDENCE_PUBLIC_URL to the address people open the site at.",
                id="credence.W001",
            )
        )
    if settings.SECURE_SSL_REDIRECT and urlsplit(settings.CREDENCE_PUBLIC_URL).scheme != "https":
        messages.append(
            Warning(
                f"The site is served over HTTPS, but CREDENCE_PUBLIC_URL "
                f"({settings.CREDENCE_PUBLIC_URL}) starts with http://: every mailed link "
                "would be redirected, and the certificates' addresses would not be the site's.",
                id="credence.W002",
            )
        )
    return messages

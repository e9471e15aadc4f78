"""How Credence names itself outside its own pages (decision 0033).

Every absolute link the platform hands out -- in mails, on LinkedIn, in a certificate's QR
code, in feeds and calendar files -- is built here from one setting, CREDENCE_PUBLIC_URL,
never from the Host header of whatever request happened to cause it: a mail sent by the task
worker has no request, and a request that reached the server as ``127.0.0.1:8111`` or through
a proxy names an address the reader cannot open. Every mail subject starts with the product's
name, so that a reader sees who writes before reading what about.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

# How the product names itself (the page titles and the brand link in base.html say the same).
PRODUCT_NAME = "Credence"


def public_url(path: str = "/") -> str:
    """The absolute address of ``path``, a path on this site as ``reverse()`` returns it."""
    if not path.startswith("/"):
        raise ValueError(f"a path on this site starts with '/': {path!r}")
    return settings.CREDENCE_PUBLIC_URL + path


def public_domain() -> str:
    """The public address's host and port (``certs.example.org``, ``127.0.0.1:8111``)."""
    return urlsplit(settings.CREDENCE_PUBLIC_URL).netloc


def public_host() -> str:
    """The public address's host name alone, as calendar event UIDs end (RFC 5545 3.8.4.7)."""
    return urlsplit(settings.CREDENCE_PUBLIC_URL).hostname or "localhost"


def use_local_address(*, host: str, port: int) -> str:
    """Point the public address at a local server (the demo's, or ``credence serve`` on this
    machine): links, the issuer's did:web, verification pages and QR codes then name
    http://HOST:PORT, unless CREDENCE_ISSUER_DOMAIN or CREDENCE_PUBLIC_URL are set explicitly.
    The address is recorded in var/public_url, which settings read, so that `serve`, the
    worker and the CLI sign and verify as this same issuer. Returns the public address in
    force."""
    if os.environ.get("CREDENCE_ISSUER_DOMAIN") or os.environ.get("CREDENCE_PUBLIC_URL"):
        return settings.CREDENCE_PUBLIC_URL
    url = f"http://{host}:{port}"
    path = Path(settings.PUBLIC_URL_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(url + "\n")
    settings.CREDENCE_PUBLIC_URL = url
    settings.CREDENCE_ISSUER_DOMAIN = f"{host}:{port}"
    return url


def mail_subject(subject: str) -> str:
    """``[Credence] subject``: every mail the platform sends is titled this way."""
    return f"[{PRODUCT_NAME}] {subject}"


def public_url_problem(url: str) -> str:
    """Why ``url`` cannot be the public address, or "" when it can: an absolute http(s)
    address of the site's root, without a path (a site served below a path sets
    FORCE_SCRIPT_NAME instead, which ``reverse()`` already puts in every path), query or
    fragment."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "it must start with http:// or https:// and name a host"
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return "it must name the site's root only, with no path, query or fragment"
    if parts.username or parts.password:
        return "it must not carry a user name or password"
    return ""

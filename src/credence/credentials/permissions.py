"""Who may do what with a certificate (docs/permissions.md). Its verification page is public;
the signed credential and the PDF are the holder's to download (and the office's); only the
program office revokes, suspends or reinstates."""

from __future__ import annotations

import rules
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from credence.accounts.access import is_office, require_permission
from credence.accounts.models import User
from credence.credentials.models import Certificate


@rules.predicate
def holds(user: User | AnonymousUser, certificate: Certificate) -> bool:
    return certificate is not None and bool(user.pk) and certificate.holder_id == user.pk


rules.add_perm("credentials.download_certificate", holds | is_office)
rules.add_perm("credentials.manage_certificate", is_office)
# what is public about a certificate is its holder's choice alone (decision 0054)
rules.add_perm("credentials.choose_evidence", holds)


def access_certificate(request: HttpRequest, serial: str, permission: str) -> Certificate:
    """A certificate's existence is public (anyone may verify a serial), so a user without
    ``permission`` gets 403, not 404."""
    # Imported here, not at the top: every process imports this module at start-up (the
    # accounts app registers all permissions then), and the selectors bring the whole
    # verification stack (pyld with requests and lxml, the program file's pydantic schema),
    # which made every `credence ... --help` cost a second (issue 14). Not an import cycle.
    from credence.credentials import selectors

    try:
        certificate = selectors.certificate_get(serial)
    except Certificate.DoesNotExist:
        raise Http404(_("No certificate has this serial number.")) from None
    require_permission(request, permission, certificate)
    return certificate

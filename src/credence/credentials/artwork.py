"""What the holder posts: the certificate as a PDF and as an image for social posts, and the
Open Badges image with the signed credential baked in (docs/decisions/0032).

The texts are gathered here in the active language; ``design`` draws them.
"""

from __future__ import annotations

import io
import json
from typing import Any
from xml.etree import ElementTree

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from credence.catalog import api as catalog_api
from credence.credentials import design, selectors
from credence.credentials.models import Certificate
from credence.credentials.openbadges import EvidenceFacts

# Open Badges 3.0, "Baking": a PNG carries the credential in an iTXt chunk with this keyword,
# uncompressed, as the credential's JSON.
BAKED_KEYWORD = "openbadgecredential"


def _day(value: Any) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def evidence_line(item: EvidenceFacts, *, bands: bool) -> str:
    """One piece of evidence as a sentence in the active language; the score band only when
    the holder shows it (``bands``, rule E1: the PDF is shared like the credential)."""
    if item.serial and item.day and item.until:
        return _("%(name)s: certificate %(serial)s, valid %(start)s to %(end)s") % {
            "name": item.name,
            "serial": item.serial,
            "start": _day(item.day),
            "end": _day(item.until),
        }
    if item.waived and item.day:
        return _("%(evaluation)s: waived on %(day)s for recognised prior certification") % {
            "evaluation": item.name,
            "day": _day(item.day),
        }
    if item.score_band and item.day and not bands:
        return _("%(evaluation)s: passed on %(day)s (pass mark %(mark)s)") % {
            "evaluation": item.name,
            "day": _day(item.day),
            "mark": item.pass_mark,
        }
    if item.score_band and item.day:
        return _("%(evaluation)s: passed on %(day)s, score band %(band)s (pass mark %(mark)s)") % {
            "evaluation": item.name,
            "day": _day(item.day),
            "band": item.score_band,
            "mark": item.pass_mark,
        }
    return f"{item.name}: {item.description}"


def certificate_facts(certificate: Certificate) -> design.CertificateFacts:
    """Everything the certificate's PDF and images say, in the active language."""
    rules = catalog_api.rules_for(certificate.program)
    award = selectors.describe_award(rules, certificate.award)
    evidence = selectors.evidence_for(certificate, rules)
    bands = selectors.evidence_choice_for(certificate).bands
    holder = certificate.holder.full_name or certificate.holder.email
    return design.CertificateFacts(
        program=rules.name,
        provider=rules.provider,
        award=award.name,
        holder=holder,
        serial=certificate.serial,
        url=selectors.verification_url(certificate.serial),
        language=get_language() or "en",
        title=_("Certificate"),
        certifies=_("This certifies that"),
        awarded=_("has been awarded"),
        serial_label=_("Certificate No."),
        dates=(
            (_("Issued on"), _day(certificate.issued_on)),
            (_("Valid until (inclusive)"), _day(certificate.valid_until)),
        ),
        columns=(
            design.Column(
                _("Evidence"),
                tuple(evidence_line(e, bands=bands) for e in evidence)
                or (_("No evidence is recorded for this certificate."),),
            ),
            design.Column(_("What it proves"), award.proves),
            design.Column(_("What it does not prove"), award.does_not_prove),
        ),
        signature_role=_("For the program office"),
        signature_note=_("Digitally signed by %(issuer)s") % {"issuer": selectors.issuer_did()},
        verify_label=_("Scan or open to verify"),
        seal_top=rules.name.upper(),
        seal_bottom=f"{_('Certified').upper()} {certificate.issued_on.year}",
        badge_label=design.short_name(award.name),
    )


def certificate_pdf(certificate: Certificate) -> bytes:
    return design.certificate_pdf(certificate_facts(certificate))


def social_svg(certificate: Certificate) -> str:
    """The same image as SVG: sharp at any size, for a web page or a print shop."""
    return design.social_svg(certificate_facts(certificate))


def _png(image: Image.Image, info: PngInfo | None = None) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info, optimize=True)
    return buffer.getvalue()


def social_png(certificate: Certificate) -> bytes:
    """The certificate as a 1200 by 627 image, the size LinkedIn shows a shared image at."""
    return _png(design.social_image(certificate_facts(certificate)))


def baked_badge_png(certificate: Certificate, credential: dict[str, Any]) -> bytes:
    """The badge image with ``credential`` (the signed OpenBadgeCredential) baked in."""
    info = PngInfo()
    info.add_itxt(BAKED_KEYWORD, json.dumps(credential, ensure_ascii=False), zip=False)
    return _png(design.badge_image(certificate_facts(certificate)), info)


def unbake(png: bytes) -> dict[str, Any] | None:
    """The credential baked into a PNG badge, or None when it carries none."""
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        text = image.text.get(BAKED_KEYWORD)  # type: ignore[attr-defined]
    return json.loads(text) if text else None


def baked_badge_svg(certificate: Certificate, credential: dict[str, Any]) -> str:
    """The badge as SVG with ``credential`` baked in (<openbadges:credential>)."""
    return design.badge_svg(
        certificate_facts(certificate), json.dumps(credential, ensure_ascii=False)
    )


def unbake_svg(svg: str) -> dict[str, Any] | None:
    """The credential baked into an SVG badge, or None when it carries none. Expat, which
    ElementTree uses, neither fetches external entities nor expands nested ones without
    limit, so a hostile file cannot reach out or blow up."""
    root = ElementTree.fromstring(svg)
    element = root.find(f"{{{design.OPENBADGES_SVG_NAMESPACE}}}credential")
    return json.loads(element.text) if element is not None and element.text else None

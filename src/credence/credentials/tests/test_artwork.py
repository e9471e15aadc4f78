"""The certificate a holder posts: the designed PDF read back with pypdf, its image for social
posts and the Open Badges image with the signed credential baked in (decision 0032)."""

from __future__ import annotations

import copy
import dataclasses
import io
import json

import pytest
import zxingcpp
from django.utils import timezone, translation
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader

from credence.core.pdffonts import SERIF, add_unicode_fonts
from credence.credentials import artwork, design, selectors, services
from credence.credentials.policy import PublicSet
from credence.credentials.statuses import Standing
from credence.credentials.verification import verify_credential

A4_LANDSCAPE = (841.89, 595.28)  # points


def pdf_of(client, certificate, language="en"):
    client.force_login(certificate.holder)
    response = client.get(
        f"/certificates/{certificate.serial}/certificate.pdf", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def show_bands(certificate) -> None:
    services.evidence_choice_set(
        holder=certificate.holder,
        certificate=certificate,
        choice=PublicSet(name=True, bands=True, repository=True, report=False),
        acting_user=certificate.holder,
    )


def qr_codes(image) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("name", ["Łukasz Żółć", "Nguyễn Thị Ánh"])
def test_any_name_comes_out_of_the_pdf_as_written(client, certificate, name):
    certificate.holder.full_name = name
    certificate.holder.save()
    reader = pdf_of(client, certificate)
    assert name in reader.pages[0].extract_text()
    assert reader.metadata.title.endswith(name)


def test_the_pdf_is_a4_landscape_with_embedded_fonts_and_a_qr_code_to_its_page(client, certificate):
    reader = pdf_of(client, certificate)
    [page] = reader.pages
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
        A4_LANDSCAPE, abs=0.1
    )
    fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
    assert fonts
    for font in fonts:
        # a Type0 font's glyphs are in its descendant's descriptor; each one is subset
        [descendant] = font["/DescendantFonts"]
        descriptor = descendant.get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor and "DejaVu" in font["/BaseFont"]
        assert "+" in font["/BaseFont"]  # ABCDEF+DejaVuSans: a subset
    url = selectors.verification_url(certificate.serial)
    assert [code for image in page.images for code in qr_codes(image.image)] == [url]
    assert url in {a.get_object()["/A"]["/URI"] for a in page["/Annots"]}


def test_the_pdf_states_the_certification_the_dates_the_evidence_and_the_signer(
    client, certificate
):
    show_bands(certificate)
    text = pdf_of(client, certificate).pages[0].extract_text()
    for part in (
        "AI ENGINEER CERTIFICATION",  # the program's name
        "AI Service Centre Berlin Brandenburg @ HPI",  # the issuer, over the signature line
        "Carla Certified",
        "This certifies that",
        "Training, Evaluating, and Deploying Machine Learning Models",
        "March 22, 2026",  # issued
        "March 22, 2031",  # valid until
        certificate.serial,
        "score band 90\u2013100",  # the evidence summary
        "WHAT IT DOES NOT PROVE",
        "For the program office",
        "Digitally signed by did:web:certs.example.test",
        selectors.verification_url(certificate.serial),
    ):
        assert part in text, part


def test_the_pdf_shows_a_score_band_only_when_the_holder_shows_it(client, certificate):
    # rule E1: the holder hands the PDF on like the credential; by default no band
    text = pdf_of(client, certificate).pages[0].extract_text()
    assert "score band" not in text
    assert "Knowledge test: passed on March 1, 2026 (pass mark 70)" in text
    show_bands(certificate)
    assert "score band 90\u2013100" in pdf_of(client, certificate).pages[0].extract_text()


def test_the_pdf_speaks_german_to_a_german_reader(client, certificate):
    text = pdf_of(client, certificate, "de").pages[0].extract_text()
    for part in (
        "ZERTIFIKAT",
        "KI-INGENIEUR-ZERTIFIZIERUNG",  # the program's name from its German text
        "Hiermit wird bescheinigt, dass",
        "AUSGESTELLT AM",
        "22. März 2026",
        "WAS SIE NICHT BELEGT",
        "Wissenstest: bestanden am 1. März 2026",
        "Für das Programmbüro",
        "Zum Prüfen scannen oder öffnen",
    ):
        assert part in text, part
    assert "This certifies that" not in text


def test_the_image_for_social_posts_has_linkedins_size_and_a_working_qr_code(client, certificate):
    client.force_login(certificate.holder)
    response = client.get(f"/certificates/{certificate.serial}/certificate.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (1200, 627)
    assert qr_codes(image) == [selectors.verification_url(certificate.serial)]


def _verify(credential):
    did = selectors.issuer_did()
    return verify_credential(
        credential,
        now=timezone.now(),
        did_documents={did: selectors.did_document()},
        status_lists=selectors.own_status_list,
    )


def test_the_baked_badge_carries_the_signed_credential_and_it_verifies(client, certificate):
    client.force_login(certificate.holder)
    response = client.get(f"/certificates/{certificate.serial}/badge.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    certificate.refresh_from_db()
    # Open Badges 3.0, "Baking": an uncompressed iTXt chunk with the keyword
    # openbadgecredential holds the credential's JSON
    assert b"iTXtopenbadgecredential\x00\x00\x00" in response.content
    credential = artwork.unbake(response.content)
    assert credential == certificate.credential
    assert _verify(credential).standing == Standing.VALID


def test_a_badge_baked_with_a_changed_credential_does_not_verify(certificate):
    credential = services.credential_issue(certificate=certificate)
    forged = copy.deepcopy(credential)
    forged["credentialSubject"]["name"] = "Mallory"
    baked = artwork.baked_badge_png(certificate, forged)
    report = _verify(artwork.unbake(baked))
    assert report.standing == Standing.INVALID and not report.signature_valid


def test_an_image_with_nothing_baked_in_gives_no_credential(client, certificate):
    client.force_login(certificate.holder)
    image = client.get(f"/certificates/{certificate.serial}/certificate.png").content
    assert artwork.unbake(image) is None


def test_my_certificates_links_the_image_and_the_badge(client, certificate):
    client.force_login(certificate.holder)
    with translation.override("en"):
        page = client.get("/certificates/").content.decode()
    assert f"/certificates/{certificate.serial}/certificate.png" in page
    assert f"/certificates/{certificate.serial}/badge.png" in page
    assert json.dumps("Download Open Badge (PNG with the signed credential)")[1:-1] in page


def facts(**changes) -> design.CertificateFacts:
    base = design.CertificateFacts(
        program="P",
        provider="Provider",
        award="Award",
        holder="Holder",
        serial="CRD-1",
        url="https://certs.example.test/certificates/CRD-1/",
        language="en",
        title="Certificate",
        certifies="This certifies that",
        awarded="has been awarded",
        serial_label="Certificate No.",
        dates=(("Issued on", "March 22, 2026"),),
    )
    return dataclasses.replace(base, **changes)


def test_a_long_evidence_column_ends_in_an_ellipsis_inside_its_panel():
    entries = tuple(
        f"Component certificate number {n} of many, valid five years" for n in range(30)
    )
    pdf = design.certificate_pdf(facts(columns=(design.Column("Evidence", entries),)))
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "number 0 of many" in text and "…" in text
    assert "number 29 of many" not in text


def test_a_name_too_long_for_one_line_is_set_on_two():
    name = "Maximilian Alexander Freiherr von Hohenzollern-Sigmaringen Nguyễn Thị Ánh"
    pdf = FPDF()
    add_unicode_fonts(pdf)
    canvas = design.PdfCanvas(pdf)
    font, lines = design.name_lines(canvas, name, design.Font(SERIF, "B", 30), 230, 18)
    assert len(lines) == 2 and " ".join(lines) == name and font.size >= 18
    assert all(canvas.width(line, font) <= 230 for line in lines)
    short, [line] = design.name_lines(canvas, "Łukasz Żółć", design.Font(SERIF, "B", 30), 230, 18)
    assert line == "Łukasz Żółć" and short.size == 30


def test_the_badge_names_the_award_by_its_short_form():
    assert design.short_name("Training and Deploying Models (ML Expert)") == "ML Expert"
    assert design.short_name("MLOps") == "MLOps"


def test_the_svg_badge_carries_the_signed_credential_and_a_changed_one_fails(client, certificate):
    client.force_login(certificate.holder)
    response = client.get(f"/certificates/{certificate.serial}/badge.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in svg
    assert "<openbadges:credential><![CDATA[" in svg
    certificate.refresh_from_db()
    credential = artwork.unbake_svg(svg)
    assert credential == certificate.credential
    assert _verify(credential).standing == Standing.VALID
    forged = copy.deepcopy(credential)
    forged["validUntil"] = "2099-12-31T23:59:59Z"
    assert _verify(artwork.unbake_svg(artwork.baked_badge_svg(certificate, forged))).standing == (
        Standing.INVALID
    )


def test_a_credential_with_a_cdata_end_in_it_survives_baking_into_svg(certificate):
    credential = copy.deepcopy(services.credential_issue(certificate=certificate))
    credential["name"] = "odd ]]> name"
    assert artwork.unbake_svg(artwork.baked_badge_svg(certificate, credential)) == credential


def test_the_svg_image_names_the_holder_as_written(client, certificate):
    certificate.holder.full_name = "Nguyễn Thị Ánh"
    certificate.holder.save()
    client.force_login(certificate.holder)
    response = client.get(f"/certificates/{certificate.serial}/certificate.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert 'width="1200" height="627"' in svg and ">Nguyễn Thị Ánh</text>" in svg
    assert artwork.unbake_svg(svg) is None

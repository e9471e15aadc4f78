"""A certificate's life in a real browser: the certified candidate downloads the PDF and the
signed JSON; a visitor opens the verification page the QR code points to; staff revoke it;
the page shows it revoked. And what the holder posts: the PDF as Chromium's own viewer shows
it, the image for social posts and the badge with the credential baked in."""

from __future__ import annotations

import io
import json
import shutil
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import zxingcpp
from django.core.management import call_command
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.credentials import services
from credence.credentials.artwork import unbake
from credence.credentials.models import Certificate
from credence.exams.services import attempt_book, attempt_record_result

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and unusual passphrase"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ML_EXPERT = "Training, Evaluating, and Deploying Machine Learning Models (ML Expert)"


@pytest.fixture
def issuer(settings, tmp_path, live_server):
    url = urlsplit(live_server.url)
    settings.CREDENCE_KEYS_DIR = tmp_path / "keys"
    settings.CREDENCE_ISSUER_DOMAIN = url.netloc
    settings.CREDENCE_PUBLIC_URL = live_server.url


@pytest.fixture
def people(issuer):
    call_command("program", "load", verbosity=0)
    office = User.objects.create_user("office@example.invalid", PASSWORD, full_name="Olivia Office")
    user_assign_role(user=office, role=Role.STAFF, acting_user=None)
    carla = User.objects.create_user("carla@example.invalid", PASSWORD, full_name="Carla Certified")
    start = timezone.localdate() - timedelta(days=60)
    for evaluation, held_on, score in (
        ("knowledge-test", start, "84"),
        ("portfolio", start + timedelta(days=21), "93"),
    ):
        attempt = attempt_book(
            candidate=carla,
            certification="ml-expert",
            evaluation=evaluation,
            held_on=held_on,
            acting_user=carla,
        )
        attempt_record_result(
            attempt=attempt, score=Decimal(score), released_on=held_on, acting_user=office
        )
    return office, carla


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_download_verify_revoke(
    page: Page, browser: Browser, live_server, people, screenshot, settings
):
    office, carla = people
    certificate = Certificate.objects.get(holder=carla)

    # The certified candidate downloads the PDF and the signed JSON.
    log_in(page, carla.email)
    page.goto("/certificates/")
    card = page.get_by_role("article", name=ML_EXPERT)
    expect(card).to_contain_text(certificate.serial)
    linkedin = card.get_by_role("link", name="Add to LinkedIn profile").get_attribute("href")
    assert linkedin.startswith("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME")
    assert f"certId={certificate.serial}" in linkedin
    assert f"issueYear={certificate.issued_on.year}" in linkedin
    screenshot("credentials-mine")
    with page.expect_download() as pdf_download:
        card.get_by_role("link", name="Download PDF certificate").click()
    pdf = PdfReader(io.BytesIO(pdf_download.value.path().read_bytes()))
    assert "Carla Certified" in pdf.pages[0].extract_text()
    [qr_target] = {a.get_object()["/A"]["/URI"] for a in pdf.pages[0]["/Annots"]}
    assert qr_target == f"{live_server.url}/certificates/{certificate.serial}/"

    with page.expect_download() as json_download:
        card.get_by_role("link", name="Download signed credential (JSON, for wallets)").click()
    credential = json.loads(json_download.value.path().read_text())
    assert credential["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credential["id"] == qr_target

    # A visitor (no account) opens the page the QR code points to.
    visitor = browser.new_context(locale="en-US").new_page()
    visitor.goto(qr_target)
    visitor.screenshot(
        path=str(settings.VAR_DIR / "screenshots" / "credentials-valid.png"), full_page=True
    )
    expect(visitor.get_by_role("heading", level=1)).to_have_text(ML_EXPERT)
    expect(visitor.get_by_role("status")).to_contain_text("Valid")
    expect(visitor.get_by_role("heading", name="What it does not prove")).to_be_visible()
    expect(visitor.locator(".facts")).to_contain_text("not revoked")
    # passed, without the band: the holder has not made it public (decision 0054)
    expect(visitor.locator(".evidence")).to_contain_text("Passed on")
    expect(visitor.locator(".evidence")).not_to_contain_text("score band")

    # Staff revoke it, with a reason.
    page.get_by_role("button", name="Log out").click()
    log_in(page, office.email)
    page.goto(f"/certificates/{certificate.serial}/status/")
    page.get_by_label("Action").select_option("revoke")
    page.get_by_label("Reason (recorded in the audit trail)").fill("Results annulled on appeal")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("main")).to_contain_text("Revoked")

    # The visitor's page shows it at once.
    visitor.reload()
    expect(visitor.get_by_role("status")).to_contain_text("Revoked")
    expect(visitor.get_by_role("status")).to_contain_text("Results annulled on appeal")
    expect(visitor.locator(".facts")).to_contain_text("revoked")
    visitor.screenshot(
        path=str(settings.VAR_DIR / "screenshots" / "credentials-revoked.png"), full_page=True
    )
    visitor.context.close()


def show_pdf(browser: Browser, pdf: Path, shot: Path) -> None:
    """Chromium's own PDF viewer, its toolbar hidden and the page fitted to a 1280 px wide
    window, saved as a PNG once the page is drawn (the viewer draws after loading)."""
    viewer = browser.new_page(viewport={"width": 1280, "height": 905})
    viewer.goto(pdf.as_uri() + "#toolbar=0&navpanes=0&view=Fit")
    deadline = time.monotonic() + 20
    while True:
        png = viewer.screenshot()
        colours = Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=100_000)
        if colours is None or len(colours) > 50 or time.monotonic() > deadline:
            break
        viewer.wait_for_timeout(250)
    viewer.context.close()
    assert colours is None or len(colours) > 50, "the PDF viewer showed no page"
    shot.parent.mkdir(parents=True, exist_ok=True)
    shot.write_bytes(png)


def test_the_holder_gets_a_certificate_worth_posting(
    page: Page, browser: Browser, live_server, people, tmp_path
):
    _, carla = people
    carla.full_name = "Łukasz Żółć"
    carla.save()
    certificate = Certificate.objects.get(holder=carla)
    page_url = f"{live_server.url}/certificates/{certificate.serial}/"

    log_in(page, carla.email)
    page.goto("/certificates/")
    card = page.get_by_role("article", name=ML_EXPERT)

    # The PDF: the name as written, the QR code to the public page, as a viewer shows it.
    with page.expect_download() as pdf_download:
        card.get_by_role("link", name="Download PDF certificate").click()
    pdf = tmp_path / "certificate.pdf"  # the viewer goes by the name's extension
    shutil.copy(pdf_download.value.path(), pdf)
    [sheet] = PdfReader(pdf).pages
    assert "Łukasz Żółć" in sheet.extract_text()
    codes = [code.text for image in sheet.images for code in zxingcpp.read_barcodes(image.image)]
    assert codes == [page_url]
    show_pdf(browser, pdf, DOCS / "certificate-pdf.png")

    # The same design as an image for a post, with the same QR code.
    with page.expect_download() as image_download:
        card.get_by_role("link", name="Download image for social posts (PNG)").click()
    posted = image_download.value.path().read_bytes()
    image = Image.open(io.BytesIO(posted))
    assert image.size == (1200, 627)
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [page_url]
    (DOCS / "certificate-image.png").write_bytes(posted)

    # The same image as SVG, drawn by the browser: the same QR code.
    with page.expect_download() as svg_download:
        card.get_by_role("link", name="as SVG (image for social posts)").click()
    svg = tmp_path / "certificate.svg"
    shutil.copy(svg_download.value.path(), svg)
    drawn = browser.new_page(viewport={"width": 1200, "height": 627})
    drawn.goto(svg.as_uri())
    image = Image.open(io.BytesIO(drawn.screenshot()))
    drawn.context.close()
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [page_url]

    # The badge carries the signed credential, the same one the JSON download gives.
    with page.expect_download() as badge_download:
        badge = "Download Open Badge (PNG with the signed credential)"
        card.get_by_role("link", name=badge).click()
    baked = unbake(badge_download.value.path().read_bytes())
    with page.expect_download() as json_download:
        card.get_by_role("link", name="Download signed credential (JSON, for wallets)").click()
    assert baked == json.loads(json_download.value.path().read_text())
    assert baked["credentialSubject"]["name"] == "Łukasz Żółć"


def test_a_hiring_manager_checks_several_certificates_at_once(
    browser: Browser, live_server, people, tmp_path, settings
):
    """From any page's footer: the QR code's link and a mistyped serial pasted, the signed
    credential uploaded as a file; each answered in its row. A pasted line that is none of
    these is refused with nothing checked, and the text stays in the form."""
    office, carla = people
    certificate = Certificate.objects.get(holder=carla)
    signed = tmp_path / "carla.json"
    signed.write_text(json.dumps(services.credential_issue(certificate=certificate)))
    manager = browser.new_context(locale="en-US").new_page()
    manager.goto(live_server.url + "/")
    manager.get_by_role("link", name="Verify certificates (for employers)").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Verify certificates")

    box = manager.get_by_label("Credentials, serial numbers or links")
    box.fill(f"{live_server.url}/certificates/{certificate.serial}/\nnot a serial")
    manager.get_by_role("button", name="Check").click()
    expect(manager.get_by_role("alert")).to_contain_text("Item 1 is not a serial number")
    expect(box).to_have_value(f"{live_server.url}/certificates/{certificate.serial}/\nnot a serial")

    box.fill(f"{live_server.url}/certificates/{certificate.serial}/\nCRD-0000000000")
    manager.get_by_label("Or upload credentials (JSON files)").set_input_files(str(signed))
    manager.get_by_role("button", name="Check").click()
    expect(manager.locator("#counts")).to_have_text("2 valid, 1 not valid, 0 could not be checked.")
    rows = manager.locator("table.verify-results tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text(certificate.serial)
    expect(rows.nth(0)).to_contain_text("Active")
    expect(rows.nth(0)).to_contain_text("Carla Certified")
    expect(rows.nth(0)).to_contain_text("this platform")
    expect(rows.nth(1)).to_contain_text("No certificate has this serial number.")
    expect(rows.nth(2)).to_contain_text("credential")
    expect(rows.nth(2)).to_contain_text("Valid")
    shot = settings.VAR_DIR / "screenshots" / "verify-many.png"
    manager.screenshot(path=str(shot), full_page=True)

    # Revoked by the office: the next check says so.
    services.certificate_revoke(certificate=certificate, reason="Annulled", acting_user=office)
    manager.get_by_role("button", name="Check").click()
    expect(rows.nth(0)).to_contain_text("Revoked")
    manager.context.close()

"""A certificate's life in a real browser: the certified candidate downloads the PDF and the
signed JSON; a visitor opens the verification page the QR code points to; staff revoke it;
the page shows it revoked."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.credentials.models import Certificate
from credence.exams.services import attempt_book, attempt_record_result

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and unusual passphrase"
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
    start = date.today() - timedelta(days=60)
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
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
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
    expect(visitor.locator(".evidence")).to_contain_text("score band 90\u2013100")

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

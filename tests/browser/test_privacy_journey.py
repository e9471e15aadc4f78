"""Data-protection rights in a real browser (issue 9, item 3): a candidate downloads their
data from "Your data" and asks to be erased; the program office sees the request waiting in
its queue with the rule that holds it (the grace period). Carrying the erasure out and what it
keeps are covered in src/credence/privacy/tests/test_end_to_end.py."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from signin import PASSWORD, log_in

from credence.privacy.models import ErasureRequest, ErasureStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_export_download_and_erasure_request(
    page: Page, office_and_ada, screenshot, tmp_path: Path
):
    _office, ada = office_and_ada
    log_in(page, "ada@example.invalid")
    page.get_by_role("link", name="Your data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    screenshot("your-data-desktop")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my data").click()
    download = download_info.value
    assert re.fullmatch(
        rf"credence-data-{ada.pk}-\d{{4}}-\d{{2}}-\d{{2}}\.zip", download.suggested_filename
    )
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    document = json.loads(zipfile.ZipFile(io.BytesIO(target.read_bytes())).read("data.json"))
    assert document["user"] == {
        "id": ada.pk,
        "email": "ada@example.invalid",
        "full_name": "Ada Lovelace",
    }
    assert document["data"]["accounts.user"][0]["email"] == "ada@example.invalid"

    # A wrong password is refused, nothing recorded.
    page.get_by_label("Your password").fill("not my password")
    page.get_by_label("I understand that an erasure cannot be undone.").check()
    page.get_by_role("button", name="Request erasure").click()
    expect(page.get_by_text("The password is not correct.")).to_be_visible()
    assert not ErasureRequest.objects.exists()

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand that an erasure cannot be undone.").check()
    page.get_by_role("button", name="Request erasure").click()
    expect(page.get_by_role("status")).to_contain_text("Your erasure request is recorded.")
    expect(page.get_by_test_id("erasure-status")).to_contain_text(
        "You asked for your data to be erased"
    )
    expect(page.get_by_role("button", name="Withdraw my erasure request")).to_be_visible()
    screenshot("your-data-erasure-requested")
    assert ErasureRequest.objects.get(user=ada).status == ErasureStatus.PENDING
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Log out").click()

    # The program office sees it waiting, held by the grace period (E1).
    log_in(page, "office@example.invalid")
    page.get_by_role("link", name="Erasure requests").click()
    row = page.get_by_role("row").filter(has_text="ada@example.invalid")
    expect(row).to_contain_text("E1:")
    expect(row.get_by_role("button")).to_have_count(0)
    screenshot("erasure-queue-desktop")

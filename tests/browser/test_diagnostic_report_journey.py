"""The diagnostic score report in Chromium (issue 16 item 5, decision 0044): a candidate whose
knowledge test failed goes from their path to the report, reads per domain where they stand
(and where the report cannot tell), when they may try again (R2) and where to prepare, and
downloads it as PDF."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.utils.formats import date_format
from playwright.sync_api import Page, expect
from signin import PASSWORD, log_in

from credence.core.dates import add_months
from credence.exams.tests.diagnostic_data import released_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_failed_candidate_reads_the_diagnostic_report_from_their_path(page: Page, screenshot):
    call_command("program", "load", verbosity=0)
    world = released_world(password=PASSWORD)

    log_in(page, world.ada.email)
    page.goto("/path/")
    page.get_by_role("link", name="Diagnostic report").click()

    expect(page.get_by_role("heading", name="Diagnostic score report")).to_be_visible()
    rows = page.locator("table.diagnostic tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="Supervised learning")).to_contain_text("below the standard")
    expect(rows.filter(has_text="Supervised learning")).to_contain_text("29.8 to 51.2 %")
    expect(rows.filter(has_text="Model evaluation")).to_contain_text("near the standard")
    expect(rows.filter(has_text="Model deployment")).to_contain_text("cannot tell")
    earliest = date_format(add_months(world.released_on, 1), "DATE_FORMAT")
    heading = page.get_by_role("heading", name="Your next attempt")
    next_attempt = page.locator("section", has=heading)
    expect(next_attempt).to_contain_text("Rule R2")
    expect(next_attempt).to_contain_text(earliest)
    expect(page.get_by_role("link", name="Supervised learning, worked through")).to_be_visible()
    screenshot("diagnostic-report")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert re.fullmatch(r"score-report-\d+\.pdf", download.value.suggested_filename)
    assert download.value.path().read_bytes().startswith(b"%PDF")

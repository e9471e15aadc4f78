"""Standard setting in a real browser (issue 8): staff calibrate the ML Expert test on the
sittings of a session, run a modified-Angoff workshop (ratings in the grid), see the
recommended cut with its standard error, adopt it, see the pass mark changed, and read each
form's decision accuracy.

The sittings themselves are seeded straight into the tables (the live test has its own
journey); the calibration task runs at once (immediate task backend)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.psychometrics.tests.factories import program_with_bank, sit_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and unusual passphrase"


@pytest.fixture
def office(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    program_with_bank()
    user = User.objects.create_user("office@example.invalid", PASSWORD, full_name="Olivia Office")
    user_assign_role(user=user, role=Role.STAFF, acting_user=None)
    sit_session(user, 120, seed=4, factory=True)
    return user


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile(r"^(Log in|Sign In)$")).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_staff_set_the_pass_mark_with_an_angoff_panel(page: Page, office, screenshot):
    log_in(page, office.email)
    page.get_by_role("link", name="Psychometrics").click()
    page.get_by_role("link", name=re.compile("Machine Learning Models")).click()
    expect(page.get_by_text("Knowledge-test pass mark (R4): 70")).to_be_visible()

    page.get_by_label("Model").select_option("rasch")
    page.get_by_role("button", name="Calibrate on all submitted sittings").click()
    expect(page.get_by_role("cell", name="done")).to_be_visible()

    # the calibration's page: item table and the four plots, loaded as images
    page.get_by_role("row").nth(1).get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Items")).to_be_visible()
    for image in page.locator("img[src*='/plots/']").all():
        image.scroll_into_view_if_needed()
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") > 0
    screenshot("psychometrics-calibration")

    page.get_by_role("link", name="New Angoff workshop").click()
    page.get_by_label("Name").fill("Spring 2026 panel")
    page.get_by_label("Reference form").select_option(index=1)  # a form candidates sat
    page.get_by_label("Panellists").fill("Ada\nBen\nCy")
    page.get_by_role("button", name="Create the workshop").click()
    expect(page.get_by_role("heading", name="Spring 2026 panel")).to_be_visible()
    expect(page.get_by_text("ratings are still missing")).to_be_visible()

    filled = 0
    for name, value in (("Ada", "0.7"), ("Ben", "0.75"), ("Cy", "0.8")):
        for field in page.get_by_role("spinbutton", name=re.compile(f"^{name}: ")).all():
            field.fill(value)
            filled += 1
    # one per panellist and item of the form, less any item the screening flagged
    assert filled >= 3 * 55 and filled % 3 == 0
    page.get_by_role("button", name="Save round 1").click()
    expect(page.get_by_text(f"Saved; round 1 has {filled} ratings.")).to_be_visible()
    expect(page.get_by_test_id("percent-cut")).to_have_text("75.00 %")
    expect(page.get_by_text("Cut on the θ scale")).to_be_visible()
    screenshot("psychometrics-workshop")

    page.get_by_role("button", name="Adopt as the pass mark (R4)").click()
    expect(page.get_by_text("Adopted: the pass mark is now 75.00 (was 70.00).")).to_be_visible()
    page.get_by_role("link", name=re.compile("Machine Learning Models")).click()
    expect(page.get_by_text("Knowledge-test pass mark (R4): 75.00")).to_be_visible()

    page.get_by_role("link", name="Forms and decision accuracy").click()
    expect(page.get_by_role("heading", name="Forms and decision quality")).to_be_visible()
    accuracy = page.get_by_test_id("accuracy").first
    expect(accuracy).to_have_text(re.compile(r"^0\.\d{3}"))
    screenshot("psychometrics-quality")

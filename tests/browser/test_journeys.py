"""A candidate's first visit, end to end in a real browser: read the program, sign up, log
out, log in, read My path with its rules, switch to German; on a desktop and on a phone."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "ada@example.invalid"
PASSWORD = "a long and unusual passphrase"
ML_EXPERT = "Training, Evaluating, and Deploying Machine Learning Models (ML Expert)"
# the same certification as the default program file names it in German
ML_EXPERT_DE = (
    "Trainieren, Bewerten und Bereitstellen von Modellen des maschinellen Lernens "
    "(ML-Expertin/ML-Experte)"
)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def program() -> None:
    call_command("program", "load", verbosity=0)


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_candidate_signs_up_and_reads_their_path(page: Page, program, screenshot):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("AI Engineer Certification")
    expect(page.get_by_role("row")).to_have_count(8)  # a header row and seven certifications
    screenshot("home-desktop")
    page.set_viewport_size(PHONE)
    assert fits_the_screen(page)
    screenshot("home-phone")
    page.set_viewport_size(DESKTOP)

    # The skip link is the first thing the keyboard reaches.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()

    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    screenshot("signup-desktop")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My path")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/path/$"))

    card = page.get_by_role("article", name=ML_EXPERT)
    next_step = card.locator(".step-next")
    expect(next_step).to_contain_text("Next step")
    expect(next_step).to_contain_text("Knowledge test")
    expect(next_step).to_contain_text("Open for booking")
    portfolio = card.locator(".step").filter(has_text="Interview based on a portfolio project")
    expect(portfolio).to_contain_text("Rule R1")
    expect(portfolio).to_contain_text(
        "can be booked only after you pass the Knowledge test (or hold an approved waiver of it)"
    )
    expect(portfolio).to_contain_text("Depends on a result")
    screenshot("my-path-desktop")
    page.set_viewport_size(PHONE)
    assert fits_the_screen(page)
    screenshot("my-path-phone")

    page.get_by_label("Language", exact=True).select_option("de")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Weg")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    card = page.get_by_role("article", name=ML_EXPERT_DE)
    expect(card.locator(".step-next")).to_contain_text("Nächster Schritt")
    expect(card.locator(".step-next")).to_contain_text("Buchbar")
    expect(card).to_contain_text("Regel R1")
    assert fits_the_screen(page)
    screenshot("my-path-phone-de")
    page.set_viewport_size(DESKTOP)
    screenshot("my-path-desktop-de")

"""A whole knowledge-test session in Chromium (issue 3, item 9): the office creates and
publishes a session, a candidate books it, the proctor opens it and checks the candidate in,
the candidate answers every item (autosaved) while the proctor extends their time, the page is
reloaded mid-test and every answer is still there, the proctor closes the session, the office
releases the results, and the candidate's score report shows the right score."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import Browser, Page, expect

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.catalog.models import Certification
from credence.exams.delivery.selectors import shown_item
from credence.exams.models import Sitting
from credence.items.gift import parse_gift
from credence.items.services import items_import

pytestmark = [pytest.mark.long, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and unusual passphrase"
TOPICS = ("supervised-learning", "model-evaluation", "model-deployment")
RIGHT_UNTIL = 45  # items 1-45 answered right, 46-60 wrong: 75 %
SHOTS = Path(settings.VAR_DIR) / "screenshots"


@pytest.fixture
def mid_morning():
    # Sessions are dated in the program's time zone: near midnight "now + 30 minutes" is
    # tomorrow, and releasing tonight would come before the session's day. So the journey runs
    # at tomorrow's mid-morning (tomorrow, so cookie expiry dates stay in the browser's future).
    tomorrow = timezone.localtime() + timedelta(days=1)
    with time_machine.travel(tomorrow.replace(hour=10, minute=0), tick=True):
        yield


@pytest.fixture
def people():
    call_command("program", "load", verbosity=0)
    bank = "\n".join(
        f"// [tag:{topic}]\n::{topic}-{n}:: Question {n} on {topic}? {{=right ~wrong ~other}}\n"
        for topic in TOPICS
        for n in range(21)
    )
    items_import(
        certification=Certification.objects.get(code="ml-expert"),
        items=parse_gift(bank),
        acting_user=None,
    )
    office = User.objects.create_user("office@example.invalid", PASSWORD, full_name="Olivia Office")
    user_assign_role(user=office, role=Role.STAFF, acting_user=None)
    proctor = User.objects.create_user("proctor@example.invalid", PASSWORD, full_name="Pia Proctor")
    user_assign_role(user=proctor, role=Role.PROCTOR, acting_user=None)
    ada = User.objects.create_user("ada@example.invalid", PASSWORD, full_name="Ada Lovelace")
    user_assign_role(user=ada, role=Role.CANDIDATE, acting_user=None)
    return office, proctor, ada


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile(r"^(Log in|Sign In)$")).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def new_page(browser: Browser, live_server) -> Page:
    context = browser.new_context(
        base_url=str(live_server), viewport={"width": 1280, "height": 900}, locale="en-US"
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def test_a_session_from_publication_to_the_score_report(
    mid_morning, page: Page, browser: Browser, live_server, people, screenshot, settings
):
    office, proctor, ada = people
    # the journey waits for every autosave; the product's 500 ms pause after typing would make
    # that half a minute of waiting alone
    settings.CREDENCE_AUTOSAVE_DELAY_MS = 20

    # the office creates and publishes the session
    log_in(page, office.email)
    page.goto("/sessions/manage/")
    now = timezone.localtime()
    page.get_by_label(re.compile("Training, Evaluating")).check()
    page.get_by_label("Venue").fill("HPI, Potsdam, lecture hall 1")
    page.get_by_label("Pia Proctor").check()
    page.get_by_label("Starts at").fill((now + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Duration (minutes)").fill("120")
    page.get_by_label("Seats").fill("20")
    page.get_by_label("Booking deadline").fill(
        (now + timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role("button", name="Create the session").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("published")

    # the candidate books a seat
    candidate = new_page(browser, live_server)
    log_in(candidate, ada.email)
    candidate.goto("/path/")
    candidate.get_by_role("link", name=re.compile("Knowledge test sessions")).click()
    candidate.get_by_role("button", name=re.compile("Book a seat for Training")).click()
    expect(candidate.get_by_role("status")).to_contain_text("Your seat is booked")

    # the proctor opens the session and checks the candidate in
    console = new_page(browser, live_server)
    log_in(console, proctor.email)
    console.goto("/sessions/console/")
    console.get_by_role("link", name=re.compile("HPI, Potsdam")).click()
    console.get_by_role("button", name="Open the session").click()
    console.get_by_role("button", name="Check in Ada Lovelace").click()
    expect(console.get_by_role("status")).to_contain_text("Checked in")
    sitting = Sitting.objects.get()

    def answer(position: int) -> None:
        item = shown_item(sitting, position)
        wanted = "right" if position < RIGHT_UNTIL else "wrong"
        option = next(o for o in item.options if o.text == wanted)
        # htmx wires the autosave up when the document has loaded, after the heading shows
        candidate.wait_for_load_state()
        candidate.locator(f"#choice-{option.index}").check()
        expect(candidate.locator("#save-status")).to_contain_text("Saved at")

    candidate.goto("/sessions/")
    candidate.get_by_role("link", name="Take your test").click()
    expect(candidate.get_by_role("heading", name="Item 1 of 60")).to_be_visible()
    for position in range(30):
        answer(position)
        candidate.get_by_role("button", name="Save and go to the next item").click()
        expect(candidate.get_by_role("heading", name=f"Item {position + 2} of 60")).to_be_visible()

    # mid-test the proctor extends Ada's time (an approved accommodation)
    console.reload()
    console.get_by_label("Extra minutes").fill("15")
    console.get_by_label("Reason (e.g. a technical problem)").fill("Fire alarm, +15 min")
    console.get_by_role("button", name="Extend time for Ada Lovelace").click()
    expect(console.get_by_role("status")).to_contain_text("Extra time granted")
    expect(console.locator("#console-rows")).to_contain_text("30 / 60")

    # a reload, then a look back: every answer is still there, and the extra time counts
    candidate.reload()
    assert int(candidate.locator("#countdown").get_attribute("data-seconds-left")) > 100 * 60
    for position in (0, 14, 29):
        candidate.get_by_role("link", name=re.compile(rf"^{position + 1} answered")).click()
        item = shown_item(sitting, position)
        right = next(o for o in item.options if o.text == "right")
        expect(candidate.locator(f"#choice-{right.index}")).to_be_checked()

    candidate.goto(f"/sessions/test/{sitting.pk}/?item=30")
    for position in range(30, 60):
        answer(position)
        if position < 59:
            candidate.get_by_role("button", name="Save and go to the next item").click()
    candidate.screenshot(path=str(SHOTS / "knowledge-test-last-item.png"), full_page=True)
    # submitting goes through the review step, which lists what is unanswered or flagged
    candidate.get_by_role("button", name="Review and submit").click()
    expect(candidate.get_by_role("heading", name="Review before you submit")).to_be_visible()
    expect(candidate.get_by_text("you answered 60 of 60 items")).to_be_visible()
    expect(candidate.get_by_text("Every item has an answer.")).to_be_visible()
    expect(candidate.get_by_text("No item is flagged.")).to_be_visible()
    candidate.get_by_role("button", name="Submit my test").click()
    expect(candidate.get_by_role("heading", name="Your test is submitted")).to_be_visible()
    expect(candidate.get_by_text("You answered 60 of 60 items.")).to_be_visible()

    # the path knows the test is handed in: awaiting results, not "booked, 0 of 3 used"
    candidate.get_by_role("link", name="Go to my path").click()
    ml_expert = candidate.locator("article", has_text="(ML Expert)")
    test_step = ml_expert.locator("li.step").first
    expect(test_step.locator(".badge")).to_have_text("Awaiting results")
    expect(test_step).to_contain_text("(attempt 1 of 3)")
    expect(test_step.get_by_role("link", name=re.compile("Score report"))).to_have_count(0)

    # the proctor closes the session; the office releases the results from its session list
    console.reload()
    console.get_by_role("button", name="Close the session").click()
    expect(console.get_by_role("status")).to_contain_text("closed")
    page.goto("/sessions/manage/")
    row = page.locator("tr", has_text="HPI, Potsdam")
    expect(row).to_contain_text("1 handed-in test awaits the release of its result.")
    row.get_by_role("button", name=re.compile("^Release the results")).click()
    expect(page.get_by_role("status")).to_contain_text("1 results released")
    expect(page).to_have_url(re.compile("/sessions/manage/$"))
    released_on = date_format(timezone.localdate(), "DATE_FORMAT")
    # once done, the release is no longer offered, here or on the console
    expect(row).to_contain_text(f"Results released on {released_on}.")
    expect(row.get_by_role("button", name=re.compile("Release the results"))).to_have_count(0)
    row.get_by_role("link", name=re.compile("^Console")).click()
    expect(page.get_by_text(f"Results released on {released_on}.")).to_be_visible()
    expect(page.get_by_role("button", name="Release the results")).to_have_count(0)

    # the path links the score report, which says when it was released
    candidate.reload()
    expect(test_step.locator(".badge")).to_have_text("Passed")
    expect(test_step).to_contain_text(f"(released on {released_on})")
    test_step.get_by_role("link", name="Score report: Knowledge test").click()
    expect(candidate.locator("dl.report strong")).to_have_text("75.00 %")
    expect(candidate.locator("dl.report .badge")).to_have_text("Passed")
    expect(candidate.locator("dl.report dd").last).to_have_text(released_on)
    candidate.screenshot(path=str(SHOTS / "knowledge-test-score-report.png"), full_page=True)
    screenshot("knowledge-test-office-console")

"""The test screen under stress (issue 19, item 1), in Chromium on the shipped item bank: the
navigator grid shows answered, unanswered, flagged and current by marks, not colour alone, and
follows the server's acknowledgements; the arrow keys move through it; the clock stays in view
and warns at 10 and 2 minutes (from a deadline the test sets on the server); the review step
lists what is unanswered and flagged, links back, and holds the one button that submits; and
nothing scrolls sideways on a phone (390 px) or at 200 % zoom. Writes the screenshots
docs/screenshots/test-page-*.png and review-step-*.png."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from seating import ada_checked_in
from signin import PASSWORD

from credence.exams.delivery import services as delivery
from credence.exams.delivery.selectors import shown_item
from credence.exams.models import Sitting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ANSWERED_TYPES = ("single_choice", "true_false")


@pytest.fixture
def sitting() -> Iterator[Sitting]:
    """Ada, checked in to a running ML Expert session drawn from the shipped bank, at
    tomorrow's mid-morning (a session is dated in the program's time zone)."""
    tomorrow = timezone.localtime() + timedelta(days=1)
    with time_machine.travel(tomorrow.replace(hour=10, minute=0), tick=True):
        call_command("program", "load", verbosity=0)
        call_command("items", "load", verbosity=0)
        yield ada_checked_in()


def browse(browser: Browser, live_server, width: int, height: int, scale: float = 1) -> Page:
    context = browser.new_context(
        base_url=str(live_server),
        viewport={"width": width, "height": height},
        device_scale_factor=scale,
        locale="en-US",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    # the live server's first request imports the whole URLconf (scipy among it): seconds on
    # a busy machine
    page.goto("/accounts/login/", timeout=60_000)
    page.get_by_label("Email").fill("ada@example.invalid")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile(r"^(Log in|Sign In)$")).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return page


def positions_of(sitting: Sitting, types: tuple[str, ...]) -> list[int]:
    return [p for p in range(len(sitting.form)) if shown_item(sitting, p).type in types]


def answer(page: Page, sitting: Sitting, position: int) -> None:
    """Choose the first option of a choice item on screen and wait for the server's word."""
    page.wait_for_load_state()  # htmx wires the autosave up once the document has loaded
    option = shown_item(sitting, position).options[0]
    with page.expect_response(re.compile(r"/answer/$")):
        page.locator(f"#choice-{option.index}").check()
    expect(page.locator("#save-status")).to_contain_text("Saved at")


def fits(page: Page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width} px wide at {width} px"


def countdown_in_view(page: Page) -> None:
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    box = page.locator("#countdown").bounding_box()
    assert box is not None and box["y"] >= 0
    assert box["y"] + box["height"] <= page.viewport_size["height"]


def cell(page: Page, number: int):
    return page.locator(f"#nav-item-{number - 1} a")


def shoot(page: Page, name: str) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(DOCS / f"{name}.png"), full_page=True)


def test_the_grid_the_keyboard_and_the_review_step(
    sitting: Sitting, browser: Browser, live_server, settings
):
    settings.CREDENCE_AUTOSAVE_DELAY_MS = 20
    page = browse(browser, live_server, 1280, 900)
    total = len(sitting.form)
    first, second, third = positions_of(sitting, ANSWERED_TYPES)[:3]
    page.goto(f"/sessions/test/{sitting.pk}/?item={first}")

    # every item starts unanswered; the one on screen is framed and marked current
    expect(page.locator("#item-nav a")).to_have_count(total)
    expect(page.locator("#item-nav a.is-answered")).to_have_count(0)
    expect(page.locator("#navigator-summary")).to_have_text(f"0 of {total} answered, 0 flagged")
    expect(cell(page, first + 1)).to_have_attribute("aria-current", "step")

    # an answer: once the server has it, its cell carries a tick (no reload)
    answer(page, sitting, first)
    expect(page.get_by_role("link", name=f"{first + 1} answered", exact=True)).to_be_visible()
    expect(cell(page, first + 1).locator(".nav-mark")).to_have_text("✓")
    expect(page.locator("#navigator-summary")).to_have_text(f"1 of {total} answered, 0 flagged")
    page.get_by_role("button", name="Save and go to the next item").click()

    # a flag without an answer: a flag mark and a thick top edge, and it says "flagged"
    page.goto(f"/sessions/test/{sitting.pk}/?item={third}")
    page.wait_for_load_state()
    with page.expect_response(re.compile(r"/answer/$")):
        page.get_by_label("Flag this item to come back to it").check()
    flagged = page.get_by_role("link", name=f"{third + 1} not answered, flagged", exact=True)
    expect(flagged).to_be_visible()
    expect(flagged.locator(".nav-flag")).to_have_text("⚑")
    expect(page.locator("#navigator-summary")).to_have_text(f"1 of {total} answered, 1 flagged")
    page.goto(f"/sessions/test/{sitting.pk}/?item={second}")
    answer(page, sitting, second)

    # not by colour alone: the states differ by marks and borders a grey-scale eye sees
    styles = page.evaluate(
        """() => [...document.querySelectorAll('#item-nav a')].map(a => ({
            tick: a.querySelector('.nav-mark').textContent.trim(),
            flag: !!a.querySelector('.nav-flag'),
            top: getComputedStyle(a).borderTopWidth,
            left: getComputedStyle(a).borderLeftWidth,
        }))"""
    )
    assert styles[first]["tick"] == "✓" and styles[second]["tick"] == "✓"
    assert styles[third] == {"tick": "", "flag": True, "top": "4px", "left": "1px"}
    assert styles[second]["left"] == "3px"  # on screen now: the heavy frame
    plain = [s for p, s in enumerate(styles) if p not in (first, second, third)]
    assert all(s == {"tick": "", "flag": False, "top": "1px", "left": "1px"} for s in plain)

    # the keyboard: the grid is one Tab stop, the arrows move in it, Enter opens an item
    assert page.locator("#item-nav a[tabindex='0']").count() == 1
    cell(page, 1).focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(cell(page, 3)).to_be_focused()
    columns = page.evaluate(
        "() => { const a = [...document.querySelectorAll('#item-nav a')];"
        " return a.filter(x => x.offsetTop === a[0].offsetTop).length; }"
    )
    page.keyboard.press("ArrowDown")
    expect(cell(page, 3 + columns)).to_be_focused()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=f"Item {2 + columns} of {total}")).to_be_visible()

    # the clock stays in view at the bottom of the page
    page.goto(f"/sessions/test/{sitting.pk}/?item={second}")
    expect(page.locator("#countdown")).to_contain_text(re.compile(r"Time left\s+\d+ min"))
    countdown_in_view(page)
    shoot(page, "test-page-1280")

    # the review step: every unanswered and flagged item, with links back
    page.get_by_role("button", name="Review and submit").click()
    expect(page.get_by_role("heading", name="Review before you submit")).to_be_visible()
    unanswered = total - 2
    expect(page.get_by_role("heading", name=f"{unanswered} items not answered")).to_be_visible()
    listed = page.locator("#unanswered").get_by_role("link")
    expect(listed).to_have_count(unanswered)
    names = [link.get_attribute("aria-label") for link in listed.all()]
    # the flagged item is one of them (where in the list depends on the form drawn)
    flagged_name = f"Item {third + 1}, not answered, flagged"
    assert flagged_name in names
    others = [name for name in names if name != flagged_name]
    assert all(re.fullmatch(r"Item \d+, not answered", name) for name in others), others
    assert not any(f"Item {first + 1}," in name for name in names)
    expect(page.get_by_role("heading", name="1 item flagged")).to_be_visible()
    expect(page.locator("#flagged").get_by_role("link")).to_have_accessible_name(
        f"Item {third + 1}, not answered, flagged"
    )
    expect(page.get_by_text(f"{unanswered} items are still unanswered")).to_be_visible()
    countdown_in_view(page)
    shoot(page, "review-step-1280")

    page.locator("#flagged").get_by_role("link", name=f"Item {third + 1},").click()
    expect(page.get_by_role("heading", name=f"Item {third + 1} of {total}")).to_be_visible()
    expect(page.get_by_label("Flag this item to come back to it")).to_be_checked()
    page.get_by_role("button", name="Review and submit").click()
    page.get_by_role("button", name="Submit my test").click()
    expect(page.get_by_role("heading", name="Your test is submitted")).to_be_visible()
    expect(page.get_by_text(f"You answered 2 of {total} items.")).to_be_visible()


def test_a_phone_and_200_percent_zoom_need_no_sideways_scrolling(
    sitting: Sitting, browser: Browser, live_server
):
    # a few answers and a flag, so that the grid and the review step show each state
    now = timezone.now()
    ada = sitting.booking.attempt.candidate
    delivery.sitting_start(sitting=sitting, candidate=ada, now=now)
    choices = positions_of(sitting, ANSWERED_TYPES)
    for n, position in enumerate(choices[:7]):
        answered = n < 6  # the seventh only flagged
        delivery.response_save(
            sitting_id=sitting.pk,
            candidate=ada,
            position=position,
            answer={"choice": shown_item(sitting, position).options[0].index} if answered else None,
            flagged=n in (2, 6),
            now=now,
        )
    # 390 px: a phone; 640 px at twice the pixels: a 1280 px window zoomed to 200 %
    for width, height, scale, language in (
        (390, 844, 1, "en"),
        (640, 450, 2, "en"),
        (390, 844, 1, "de"),
    ):
        page = browse(browser, live_server, width, height, scale)
        # German's longer words must fit too (the language a candidate picks is this cookie)
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": str(live_server)}]
        )
        seen: set[str] = set()
        for position in range(len(sitting.form)):
            kind = shown_item(sitting, position).type
            if kind in seen:
                continue
            seen.add(kind)  # one item of each type the form holds
            page.goto(f"/sessions/test/{sitting.pk}/?item={position}")
            fits(page, width)
            countdown_in_view(page)
            if (width, language) == (390, "en") and kind == "single_choice":
                shoot(page, "test-page-390")
        page.get_by_role(
            "button", name={"en": "Review and submit", "de": "Prüfen und abgeben"}[language]
        ).click()
        expect(page.locator("h1")).to_have_text(
            {"en": "Review before you submit", "de": "Prüfen Sie vor der Abgabe"}[language]
        )
        fits(page, width)
        countdown_in_view(page)
        if (width, language) == (390, "en"):
            shoot(page, "review-step-390")
        page.context.close()


def set_left(sitting: Sitting, seconds: int) -> None:
    """Move the sitting's start so that the server's deadline is ``seconds`` away."""
    limit = timedelta(minutes=sitting.time_limit_minutes + sitting.extra_minutes)
    started = timezone.now() - limit + timedelta(seconds=seconds)
    Sitting.objects.filter(pk=sitting.pk).update(started_at=started)


TEN = "10 minutes left. Time to check your flagged and unanswered items."
TWO = "2 minutes left. Finish the item you are on; every saved answer counts."


def test_the_clock_warns_at_ten_and_at_two_minutes(sitting: Sitting, browser: Browser, live_server):
    page = browse(browser, live_server, 1280, 900)
    page.goto(f"/sessions/test/{sitting.pk}/")  # starts the clock
    alert = page.locator("#countdown [role=alert]")
    expect(alert).to_be_hidden()

    # the server renders the warning it has reached ...
    set_left(sitting, 9 * 60)
    page.reload()
    expect(alert).to_have_text(TEN)
    expect(page.locator("#countdown")).to_have_class(re.compile(r"countdown-warning-10"))
    expect(page.locator(".countdown-left")).to_have_text(re.compile(r"^[89]:\d\d$"))
    set_left(sitting, 100)
    page.reload()
    expect(alert).to_have_text(TWO)
    page.get_by_role("button", name="Review and submit").click()
    expect(page.locator("#countdown [role=alert]")).to_have_text(TWO)

    # ... and the page raises each one as the time crosses it, without a reload
    set_left(sitting, 10 * 60 + 3)
    page.goto(f"/sessions/test/{sitting.pk}/")
    expect(alert).to_be_hidden()
    expect(page.locator(".countdown-left")).to_have_text("11 min")
    expect(alert).to_have_text(TEN, timeout=8_000)
    expect(page.locator(".countdown-left")).to_have_text(re.compile(r"^(10:00|9:5\d)$"))
    set_left(sitting, 2 * 60 + 3)
    page.reload()
    expect(alert).to_have_text(TEN)
    expect(alert).to_have_text(TWO, timeout=8_000)
    expect(page.locator("#countdown")).to_have_class(re.compile(r"countdown-warning-2"))


def test_an_answer_given_just_before_leaving_the_item_is_saved_first(
    sitting: Sitting, browser: Browser, live_server, settings
):
    # the autosave waits for a pause in typing; a candidate who answers and at once opens
    # another item from the grid must not lose the answer to that wait
    settings.CREDENCE_AUTOSAVE_DELAY_MS = 5_000
    page = browse(browser, live_server, 1280, 900)
    position, elsewhere = positions_of(sitting, ANSWERED_TYPES)[:2]
    page.goto(f"/sessions/test/{sitting.pk}/?item={position}")
    page.wait_for_load_state()
    option = shown_item(sitting, position).options[0]

    page.locator(f"#choice-{option.index}").check()
    with page.expect_response(re.compile(r"/answer/$")):
        cell(page, elsewhere + 1).click()

    expect(page.get_by_role("heading", name=f"Item {elsewhere + 1} of")).to_be_visible()
    expect(cell(page, position + 1)).to_have_class(re.compile("is-answered"))
    assert sitting.responses.get(position=position).answer == {"choice": option.index}

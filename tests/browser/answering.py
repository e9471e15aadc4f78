"""Answering a knowledge-test item right in the browser from its key, through the controls a
candidate uses, and checking the page shows that answer again: for the journeys that take a
whole test (the shipped bank's) and the test of every item type the screen delivers."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from credence.exams.models import Sitting
from credence.items import api as items_api


def key(sitting: Sitting, position: int) -> items_api.ItemContent:
    """The item at ``position`` as the bank holds it, key included."""
    version = sitting.form[position]["version"]
    return items_api.versions_by_id([version])[version].item_content


def answer_right(page: Page, content: items_api.ItemContent) -> None:
    """Answer the item on the page right from its key, through the controls a candidate uses;
    each change is autosaved, and the next one waits for that save."""

    # htmx wires the autosave up when the document has loaded; a change made before that is only
    # saved by the form's own button, so the journey waits for it (the heading shows earlier)
    page.wait_for_load_state()

    def saved(act: Callable[[], None]) -> None:
        with page.expect_response(re.compile(r"/answer/$")):
            act()

    kind = content.type
    if kind in (items_api.ItemType.SINGLE_CHOICE, items_api.ItemType.TRUE_FALSE):
        best = max(range(len(content.choices)), key=lambda i: content.choices[i].fraction)
        saved(page.locator(f"#choice-{best}").check)
    elif kind == items_api.ItemType.MULTIPLE_CHOICE:
        for i, choice in enumerate(content.choices):
            if choice.fraction > 0:
                saved(page.locator(f"#choice-{i}").check)
    elif kind == items_api.ItemType.SHORT_ANSWER:
        accepted = next(c.text for c in content.choices if c.fraction == 1)
        # "*" stands for any text: the answer as written, without it, matches
        saved(lambda: page.locator("#answer-text").fill(accepted.replace("*", "")))
    elif kind == items_api.ItemType.NUMERIC:
        exact = next(n for n in content.numeric if n.fraction == 1 and n.value is not None)
        saved(lambda: page.locator("#answer-value").fill(str(exact.value)))
    elif kind == items_api.ItemType.MATCHING:
        for i, pair in enumerate(content.pairs):
            if pair.prompt:  # each prompt to its own pair's answer
                saved(lambda i=i: page.locator(f"#match-{i}").select_option(str(i)))
    else:
        raise AssertionError(f"the shipped bank has an item of type {kind} the form cannot show")
    expect(page.locator("#save-status")).to_contain_text("Saved at")


def expect_answered(page: Page, content: items_api.ItemContent) -> None:
    """The page shows the right answer given earlier (after a reload)."""
    kind = content.type
    if kind in (items_api.ItemType.SINGLE_CHOICE, items_api.ItemType.TRUE_FALSE):
        best = max(range(len(content.choices)), key=lambda i: content.choices[i].fraction)
        expect(page.locator(f"#choice-{best}")).to_be_checked()
    elif kind == items_api.ItemType.MULTIPLE_CHOICE:
        for i, choice in enumerate(content.choices):
            box = expect(page.locator(f"#choice-{i}"))
            box.to_be_checked() if choice.fraction > 0 else box.not_to_be_checked()
    elif kind == items_api.ItemType.SHORT_ANSWER:
        accepted = next(c.text for c in content.choices if c.fraction == 1)
        expect(page.locator("#answer-text")).to_have_value(accepted.replace("*", ""))
    elif kind == items_api.ItemType.NUMERIC:
        exact = next(n for n in content.numeric if n.fraction == 1 and n.value is not None)
        expect(page.locator("#answer-value")).to_have_value(str(exact.value))
    else:
        for i, pair in enumerate(content.pairs):
            if pair.prompt:
                expect(page.locator(f"#match-{i}")).to_have_value(str(i))

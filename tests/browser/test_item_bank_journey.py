"""The item bank in a real browser: an author signs in, finds an item by certification and
text, previews it as a candidate would see it, imports a small GIFT file (the dry run shows
the problem and its line; the fixed file imports), edits an item, retires it, and exports the
bank, in which the retired item no longer appears. No page breaks the Content Security Policy
(the ``page`` fixture fails the test on a violation)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.catalog.models import Certification
from credence.items.gift import parse_gift
from credence.items.models import Item
from credence.items.services import items_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and unusual passphrase"
BANK = (
    "// [tag:model-evaluation]\n"
    "::overfit:: A model that fits noise in its training data is {~underfit =overfit}.\n\n"
    "// [tag:supervised-learning]\n"
    "::labels:: Supervised learning needs labelled examples. {T}\n"
)
NEW_ITEMS = (
    "// [tag:model-evaluation]\n"
    "::auc:: AUC measures how well a model ranks positives above negatives. {T}\n\n"
    "// [tag:model-deploymnet]\n"
    "::canary:: Which release sends a small share of traffic to the new model? "
    "{=canary ~big bang ~rollback}\n"
)


@pytest.fixture
def author():
    call_command("program", "load", verbosity=0)
    items_import(
        certification=Certification.objects.get(code="ml-expert"),
        items=parse_gift(BANK),
        acting_user=None,
    )
    user = User.objects.create_user("author@example.invalid", PASSWORD, full_name="Anton Author")
    user_assign_role(user=user, role=Role.AUTHOR, acting_user=None)
    return user


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile(r"^(Log in|Sign In)$")).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def upload(page: Page, name: str, text: str) -> None:
    page.get_by_label("Certification (the bank to import into)").select_option("ml-expert")
    page.get_by_label("GIFT", exact=True).check()
    page.get_by_label("Item file").set_input_files(
        files=[{"name": name, "mimeType": "text/plain", "buffer": text.encode()}]
    )
    page.get_by_role("button", name="Check the file (dry run)").click()


def test_an_author_runs_the_item_bank(page: Page, author, screenshot):
    log_in(page, author.email)
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="My path")).to_have_count(0)
    expect(menu.get_by_role("link", name="My fees")).to_have_count(0)
    menu.get_by_role("link", name="Item bank").click()

    # search by certification and text
    page.get_by_label("Certification").select_option("ml-expert")
    page.get_by_label("Name or text contains").fill("noise")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status").filter(has_text="1 item")).to_be_visible()
    expect(page.get_by_role("link", name="labels")).to_have_count(0)
    screenshot("item-bank-search")

    # preview: the test page's own rendering, options to click as a candidate would
    page.get_by_role("link", name="overfit").click()
    expect(page.get_by_role("heading", name="Preview: as the candidate sees it")).to_be_visible()
    page.get_by_role("radio", name="underfit").check()
    expect(page.get_by_role("radio", name="overfit")).to_be_visible()
    screenshot("item-bank-preview")

    # import: the dry run shows the problem with its line and imports nothing
    page.get_by_role("link", name="Item bank").first.click()
    page.get_by_role("link", name="Import an item file").click()
    upload(page, "new-items.gift", NEW_ITEMS)
    problems = page.get_by_role("alert").filter(has_text="1 problem")
    expect(problems).to_contain_text("Line 5")
    expect(problems).to_contain_text("model-deploymnet")
    assert not Item.objects.filter(name="auc").exists()
    screenshot("item-bank-dry-run-problem")

    upload(page, "new-items.gift", NEW_ITEMS.replace("deploymnet", "deployment"))
    expect(page.get_by_role("heading", name="new-items.gift: 2 items, no problems")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("canary"))).to_contain_text("created")
    page.get_by_role("button", name="Import 2 items").click()
    expect(
        page.get_by_text(re.compile(r"Imported new-items\.gift into .*: 2 created"))
    ).to_be_visible()
    expect(page.get_by_role("link", name="canary")).to_be_visible()

    # edit as GIFT text, preview, save
    page.get_by_role("link", name="canary").click()
    page.get_by_role("link", name="Edit").click()
    text = page.get_by_label("The item in GIFT")
    text.fill(text.input_value().replace("~rollback", "~rollback ~shadow"))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("radio", name="shadow")).to_be_visible()
    screenshot("item-bank-edit")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(re.compile("Saved “canary”: updated"))).to_be_visible()
    expect(page.get_by_role("radio", name="shadow")).to_be_visible()

    # retire
    page.get_by_role("button", name="Retire").click()
    expect(page.get_by_text("Retired “canary”: no new test form draws it.")).to_be_visible()
    expect(page.get_by_role("button", name="Reinstate")).to_be_visible()

    # export: the bank as it is now, without the retired item
    page.get_by_role("link", name="Item bank").first.click()
    page.get_by_role("link", name="Export a bank").click()
    page.get_by_label("Certification").select_option("ml-expert")
    page.get_by_label("GIFT", exact=True).check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename == "items-ml-expert.gift"
    exported = parse_gift(Path(download.value.path()).read_text(encoding="utf-8"))
    assert sorted(p.content.label for p in exported) == ["auc", "labels", "overfit"]

"""Every item type a knowledge test delivers, answered in Chromium through the candidate's
controls (choices, check boxes, text, number, matching lists), autosaved, shown again after a
reload and scored right by the server. The bank holds exactly the blueprint's items, so the
form holds every type whatever the draw (the whole journey answers the shipped bank's draw)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from answering import answer_right, expect_answered, key
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser
from seating import ada_checked_in
from signin import log_in

from credence.catalog.models import Certification
from credence.exams.scoring.selectors import outcomes_of
from credence.items import api as items_api
from credence.items.gift import parse_gift
from credence.items.services import items_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOPICS = ("supervised-learning", "model-evaluation", "model-deployment")  # 20 items each
OTHER_TYPES = (
    "Which are metrics of a classifier? {~%50%Precision ~%50%Recall ~%-100%Learning rate}",
    "A validation set is used to tune hyperparameters. {T}",
    "Name the loss for binary classification. {=log loss =cross-entropy}",
    "How many folds does 5-fold cross-validation use? {#5}",
    "Match each model to its family. {=Random forest -> ensemble =Lasso -> linear "
    "=k-means -> clustering}",
)


def bank() -> str:
    items = []
    for topic in TOPICS:
        stems = list(OTHER_TYPES) + [
            f"Question {n} on {topic}? {{=right ~wrong ~other}}"
            for n in range(20 - len(OTHER_TYPES))
        ]
        items += [f"// [tag:{topic}]\n::{topic}-{n}:: {stem}\n" for n, stem in enumerate(stems)]
    return "\n".join(items)


def test_every_item_type_is_answered_saved_shown_again_and_scored(browser: Browser, live_server):
    tomorrow = timezone.localtime() + timedelta(days=1)
    # a session is dated in the program's time zone: run at tomorrow's mid-morning
    with time_machine.travel(tomorrow.replace(hour=10, minute=0), tick=True):
        call_command("program", "load", verbosity=0)
        items_import(
            certification=Certification.objects.get(code="ml-expert"),
            items=parse_gift(bank()),
            acting_user=None,
        )
        sitting = ada_checked_in()
        # the first position of each type on Ada's form
        first: dict[str, int] = {}
        for position in range(len(sitting.form)):
            first.setdefault(key(sitting, position).type, position)
        assert set(first) == set(items_api.ItemType) - {
            items_api.ItemType.ESSAY,  # marked by an author, not answered from a key
            items_api.ItemType.DESCRIPTION,  # no answer
        }

        page = browser.new_context(base_url=live_server.url, locale="en-US").new_page()
        log_in(page, "ada@example.invalid")
        page.goto("/sessions/")
        page.get_by_role("link", name="Take your test").click()
        for position in first.values():
            page.goto(f"/sessions/test/{sitting.pk}/?item={position}")
            answer_right(page, key(sitting, position))
        for position in first.values():
            page.goto(f"/sessions/test/{sitting.pk}/?item={position}")
            expect_answered(page, key(sitting, position))

        sitting.refresh_from_db()
        shares = {o.version: o.share for o in outcomes_of(sitting)}
        assert {shares[sitting.form[p]["version"]] for p in first.values()} == {1}

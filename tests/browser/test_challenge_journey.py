"""An item challenge, end to end in a real browser (issue 18, item 2): during her test Ada
flags an item and notes why on the test screen, then submits; once the result is released she
challenges that item from her Item challenges page, her comment already in the form, and a
second challenge of it is refused by rule C1. An author opens the review queue, reads the
challenge, asks what a rekey would change (Ada's result and Ben's, before and after), applies
it, and both results are rescored; Ada reads the decision on her page and her path."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, expect
from signin import PASSWORD, log_in

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.audit.models import AuditEvent
from credence.catalog.models import Certification
from credence.exams.delivery.selectors import shown_item
from credence.exams.delivery.services import (
    response_save,
    session_close,
    session_open,
    sitting_check_in,
    sitting_start,
)
from credence.exams.models import Attempt, Response
from credence.exams.scoring.services import session_release
from credence.exams.sessions.services import session_book, session_create, session_publish
from credence.items.gift import parse_gift
from credence.items.services import items_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOPICS = ("supervised-learning", "model-evaluation", "model-deployment")
COMMENT = "Both 'right' and 'wrong' can be defended: the stem is ambiguous."


@pytest.fixture
def mid_morning():
    # sessions and releases are dated in the program's time zone: run at tomorrow's
    # mid-morning, so that the session's day and the release's day are the same
    tomorrow = timezone.localtime() + timedelta(days=1)
    with time_machine.travel(tomorrow.replace(hour=10, minute=0), tick=True):
        yield


def person(local: str, name: str, role: Role) -> User:
    user = User.objects.create_user(f"{local}@example.invalid", PASSWORD, full_name=name)
    user_assign_role(user=user, role=role, acting_user=None)
    return user


def test_a_flagged_item_is_challenged_decided_and_every_result_rescored(
    browser: Browser, live_server, mid_morning
):
    call_command("program", "load", verbosity=0)
    # exactly the blueprint's 20 items per topic: every form holds every item (in its own
    # order), so Ada's and Ben's forms share the challenged item whatever the draw
    items_import(
        certification=Certification.objects.get(code="ml-expert"),
        items=parse_gift(
            "\n".join(
                f"// [tag:{t}]\n::{t}-{n}:: Question {n} on {t}? {{=right ~wrong ~other}}\n"
                for t in TOPICS
                for n in range(20)
            )
        ),
        acting_user=None,
    )
    office = person("office", "Olivia Office", Role.STAFF)
    proctor = person("proctor", "Pia Proctor", Role.PROCTOR)
    author = person("author", "Arne Author", Role.AUTHOR)
    ada = person("ada", "Ada Lovelace", Role.CANDIDATE)
    ben = person("ben", "Ben Candidate", Role.CANDIDATE)
    now = timezone.now()
    session = session_create(
        certifications=["ml-expert"],
        venue="HPI",
        starts_at=now - timedelta(minutes=5),
        duration_minutes=120,
        capacity=5,
        booking_deadline=now - timedelta(days=1),
        proctors=[proctor],
        acting_user=office,
    )
    session_publish(session=session, acting_user=office, now=now - timedelta(days=3))
    sittings = {}
    for candidate in (ada, ben):
        booking = session_book(
            session=session,
            candidate=candidate,
            certification="ml-expert",
            acting_user=candidate,
            now=now - timedelta(days=2),
        )
        sittings[candidate] = booking
    session_open(session=session, acting_user=proctor, now=now - timedelta(minutes=5))
    ada_sitting, ben_sitting = (
        sitting_check_in(booking=sittings[c], acting_user=proctor, now=now) for c in (ada, ben)
    )
    # the first item of Ada's form, which Ben's form holds too (see the bank above)
    shared = ada_sitting.form[0]["version"]
    assert shared in [e["version"] for e in ben_sitting.form]

    def answer(sitting, candidate, skip_first: bool) -> None:
        sitting_start(sitting=sitting, candidate=candidate, now=now)
        for position in range(1 if skip_first else 0, 60):
            right = next(
                o.index for o in shown_item(sitting, position).options if o.text == "right"
            )
            response_save(
                sitting_id=sitting.pk,
                candidate=candidate,
                position=position,
                answer={"choice": right},
                flagged=False,
                now=now,
            )

    answer(ada_sitting, ada, skip_first=True)
    answer(ben_sitting, ben, skip_first=False)

    def page_for(user: User):
        page = browser.new_context(base_url=live_server.url, locale="en-US").new_page()
        log_in(page, user.email)
        return page

    # During the test Ada answers item 1, flags it and notes why; the page saves it all.
    candidate = page_for(ada)
    candidate.goto(f"/sessions/test/{ada_sitting.pk}/?item=0")
    expect(candidate.get_by_role("heading", name="Item 1 of 60")).to_be_visible()
    candidate.get_by_label("right", exact=True).check()
    candidate.get_by_label("Flag this item to come back to it").check()
    candidate.get_by_label("Comment on this item (optional)").fill(COMMENT)
    candidate.get_by_role("button", name="Review and submit").click()
    expect(candidate.get_by_text("1 item flagged")).to_be_visible()
    saved = Response.objects.get(sitting=ada_sitting, position=0)
    assert (saved.flagged, saved.flag_comment) == (True, COMMENT)
    candidate.get_by_role("button", name="Submit my test").click()
    expect(candidate.get_by_role("heading", name="Your test is submitted")).to_be_visible()

    session_close(session=session, acting_user=proctor, now=timezone.now())
    session_release(session=session, acting_user=office, now=timezone.now())
    ada_attempt = Attempt.objects.get(candidate=ada)
    assert (ada_attempt.status, str(ada_attempt.score)) == ("passed", "100.00")

    # After the release Ada challenges the flagged item: it comes first, with her comment.
    candidate.goto("/path/")
    candidate.get_by_role("link", name="Item challenges").click()
    candidate.get_by_role("link", name="Challenge an item (until").click()
    first = candidate.locator("section.challenge-item").first
    expect(first).to_contain_text("flagged")
    expect(first.get_by_label("Why do you challenge this item?")).to_have_value(COMMENT)
    first.get_by_role("button", name="File the challenge").click()
    expect(candidate.get_by_text("Your challenge is filed.")).to_be_visible()
    expect(candidate.locator("#challenge-tests")).to_contain_text("Waiting for a decision")
    # a second challenge of the same item is not offered, and a forged one is refused (C1)
    candidate.goto(f"/challenges/test/{ada_sitting.pk}/")
    expect(candidate.locator("#item-0")).to_contain_text("C1: You have challenged this item")

    # An author reviews it: the item with its key, the challenge, the effect, then applies.
    review = page_for(author)
    review.goto("/")
    review.get_by_role("link", name="Challenged items").click()
    review.locator("#challenge-queue a").first.click()
    expect(review.locator("#challenges")).to_contain_text(COMMENT)
    expect(review.locator("#challenges")).not_to_contain_text("Ada")
    review.get_by_label("Rekey: another option is the right one").check()
    review.get_by_label("wrong", exact=True).check()
    review.get_by_label("Reasons for the decision").fill("The stem asks for the wrong one.")
    review.get_by_role("button", name="Show what this decision changes").click()
    effect = review.locator("#effect")
    # the author sees each result, not whose it is (names are for the office)
    expect(effect).to_contain_text("Result 2")
    expect(effect).not_to_contain_text("Ada Lovelace")
    expect(effect).to_contain_text("100.00 · passed")
    expect(effect).to_contain_text("98.33 · passed")
    review.get_by_role("button", name="Apply this decision").click()
    expect(review.get_by_text("The decision is applied: 2 results rescored")).to_be_visible()
    expect(review.locator("#ruling")).to_contain_text("Rekey")

    ada_attempt.refresh_from_db()
    assert str(ada_attempt.score) == "98.33"
    assert str(Attempt.objects.get(candidate=ben).score) == "98.33"
    (event,) = AuditEvent.objects.filter(action="challenge.decided")
    assert len(event.after["rescored"]) == 2

    # Ada reads the decision on her page and on her path.
    candidate.goto("/challenges/")
    expect(candidate.locator("#challenge-tests")).to_contain_text("Item rekeyed")
    candidate.goto("/path/")
    expect(candidate.locator("ul.challenges")).to_contain_text("Item rekeyed")
    for page in (candidate, review):
        page.context.close()

"""An accommodation, end to end in a real browser (issue 18, item 1; decision 0052): the
candidate asks for extra time with a supporting document (a bad file is refused first, with
rule AC1); the program office approves it once with a validity period (AC2); at the session
the proctor's console shows it applied, and the candidate's test page says "135 min
(extended from 90)". The server enforces that deadline: an answer after 134 minutes still
counts, one after 136 does not, and the server submits the test. The path shows the
accommodation with its dates; every change is in the audit trail."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.audit.models import AuditEvent
from credence.catalog.models import Certification
from credence.exams.delivery.selectors import shown_item
from credence.exams.models import Sitting
from credence.exams.sessions.services import session_book, session_create, session_publish
from credence.items.gift import parse_gift
from credence.items.services import items_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and unusual passphrase"
TOPICS = ("supervised-learning", "model-evaluation", "model-deployment")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def mid_morning():
    # a session dated today in the program's time zone, whatever the hour the suite runs
    tomorrow = timezone.localtime() + timedelta(days=1)
    with time_machine.travel(tomorrow.replace(hour=10, minute=0), tick=True):
        yield


@pytest.fixture
def people(settings, tmp_path):
    settings.CREDENCE_ACCOMMODATION_DOCUMENTS_DIR = tmp_path / "documents"
    call_command("program", "load", verbosity=0)
    items_import(
        certification=Certification.objects.get(code="ml-expert"),
        items=parse_gift(
            "\n".join(
                f"// [tag:{t}]\n::{t}-{n}:: Question {n} on {t}? {{=right ~wrong ~other}}\n"
                for t in TOPICS
                for n in range(21)
            )
        ),
        acting_user=None,
    )

    def person(local: str, name: str, role: Role) -> User:
        user = User.objects.create_user(f"{local}@example.invalid", PASSWORD, full_name=name)
        user_assign_role(user=user, role=role, acting_user=None)
        return user

    return (
        person("office", "Olivia Office", Role.STAFF),
        person("proctor", "Pia Proctor", Role.PROCTOR),
        person("ada", "Ada Lovelace", Role.CANDIDATE),
    )


def signed_in(browser: Browser, live_server, email: str) -> Page:
    page = browser.new_context(base_url=str(live_server), locale="en-US").new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile(r"^(Log in|Sign In)$")).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return page


def test_approved_extra_time_applies_by_itself_and_the_server_enforces_it(
    mid_morning, browser: Browser, live_server, people
):
    office, proctor, ada = people

    # Ada asks for extra time; an HTML file is refused, a PDF is taken
    candidate = signed_in(browser, live_server, ada.email)
    candidate.goto("/path/")
    candidate.get_by_role("link", name=re.compile("Request an accommodation")).click()
    candidate.get_by_role("link", name="Request an accommodation").click()

    def request(document: dict) -> None:
        candidate.get_by_label("Extra time", exact=True).check()
        candidate.get_by_label("Extra time as a factor of the time limit").fill("1.5")
        candidate.get_by_label("What is needed and why").fill("Dyslexia: reading takes longer.")
        candidate.get_by_label("Supporting documents").set_input_files([document])
        candidate.get_by_role("button", name="Send the request").click()

    request({"name": "letter.html", "mimeType": "text/html", "buffer": b"<p>hi</p>"})
    expect(
        candidate.get_by_text("AC1: “letter.html” is not a PDF, PNG or JPEG file")
    ).to_be_visible()
    request({"name": "assessment.pdf", "mimeType": "application/pdf", "buffer": PDF})
    expect(candidate.locator("#status")).to_contain_text("Requested, waiting for a decision")

    # the office approves it once, for a year from today
    today = timezone.localdate()
    desk = signed_in(browser, live_server, office.email)
    desk.goto("/accommodations/office/")
    desk.get_by_role("link", name="Ada Lovelace").click()
    expect(desk.get_by_role("link", name="assessment.pdf")).to_be_visible()
    desk.get_by_label("Approve").check()
    desk.get_by_label("Valid from").fill(today.isoformat())
    desk.get_by_label("Valid until").fill((today + timedelta(days=365)).isoformat())
    desk.get_by_role("button", name="Record the decision").click()
    expect(desk.locator("#status")).to_contain_text("Approved, valid")
    expect(desk.get_by_role("heading", name="Decide this request")).to_have_count(0)

    # a session today; Ada has booked a seat
    now = timezone.now()
    session = session_create(
        certifications=["ml-expert"],
        venue="HPI, lecture hall 2",
        starts_at=now + timedelta(minutes=30),
        duration_minutes=180,
        capacity=5,
        booking_deadline=now + timedelta(minutes=20),
        proctors=[proctor],
        acting_user=office,
    )
    session_publish(session=session, acting_user=office, now=now)
    session_book(session=session, candidate=ada, certification="ml-expert", acting_user=ada)

    # the proctor checks her in: the console shows the accommodation applied
    console = signed_in(browser, live_server, proctor.email)
    console.goto(f"/sessions/{session.pk}/console/")
    console.get_by_role("button", name="Open the session").click()
    console.get_by_role("button", name="Check in Ada Lovelace").click()
    expect(console.locator("td.accommodations")).to_contain_text(
        "Extra time \u00d71.5: 135 min, applied"
    )

    # her test page says how long she has
    candidate.goto("/sessions/")
    candidate.get_by_role("link", name="Take your test").click()
    expect(candidate.locator("#time-allowed")).to_have_text("Your time: 135 min (extended from 90)")
    sitting = Sitting.objects.get()

    def answer(position: int) -> None:
        candidate.goto(f"/sessions/test/{sitting.pk}/?item={position}")
        candidate.wait_for_load_state()
        right = next(o for o in shown_item(sitting, position).options if o.text == "right")
        candidate.locator(f"#choice-{right.index}").check()

    # 134 minutes in: long past the plain 90, and the answer still counts
    Sitting.objects.update(started_at=F("started_at") - timedelta(minutes=134))
    answer(0)
    expect(candidate.locator("#save-status")).to_contain_text("Saved at")
    # 136 minutes in: the server refuses it and submits the test
    Sitting.objects.update(started_at=F("started_at") - timedelta(minutes=2))
    candidate.locator("#item-form").get_by_role("button", name="Save", exact=True).click()
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Your test is submitted")
    sitting.refresh_from_db()
    assert sitting.submitted_by_server and sitting.responses.count() == 1

    # her path shows the accommodation with its dates
    candidate.goto("/path/")
    expect(candidate.locator("ul.accommodations")).to_contain_text("Extra time \u00d71.5: Approved")
    assert list(
        AuditEvent.objects.filter(action__startswith="accommodation.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["accommodation.requested", "accommodation.approved"]
    for page in (candidate, desk, console):
        page.context.close()

"""The evidence chain in a real browser (issue 18 item 5, decision 0054): the candidate
chooses on their path, before the certificate exists, what its public evidence page may show;
the signed credential carries only that; a hiring manager (no account) sees exactly the chosen
facts, checks the evidence report against the signed digest, and sees the page follow when the
holder changes the choice for that certificate later."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.credentials.models import Certificate
from credence.exams.models import Attempt
from credence.exams.services import attempt_book, attempt_record_result
from credence.portfolios.models import RubricScore, Submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and unusual passphrase"
COMMIT = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
REPORT = {"commit": COMMIT, "authors": [{"name": "Carla Müller", "commits": 41}], "files": 17}
DIGEST = hashlib.sha256(
    json.dumps(REPORT, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
).hexdigest()


@pytest.fixture
def people(settings, tmp_path, live_server):
    url = urlsplit(live_server.url)
    settings.CREDENCE_KEYS_DIR = tmp_path / "keys"
    settings.CREDENCE_ISSUER_DOMAIN = url.netloc
    settings.CREDENCE_PUBLIC_URL = live_server.url
    call_command("program", "load", verbosity=0)
    office = User.objects.create_user("office@example.invalid", PASSWORD, full_name="Olivia Office")
    user_assign_role(user=office, role=Role.STAFF, acting_user=None)
    carla = User.objects.create_user("carla@example.invalid", PASSWORD, full_name="Carla Certified")
    start = timezone.localdate() - timedelta(days=60)
    test = attempt_book(
        candidate=carla,
        certification="ml-expert",
        evaluation="knowledge-test",
        held_on=start,
        acting_user=carla,
    )
    attempt_record_result(attempt=test, score=Decimal("84"), released_on=start, acting_user=office)
    return office, carla, start + timedelta(days=21)


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def pass_the_interview(office: User, carla: User, day) -> Certificate:
    attempt = attempt_book(
        candidate=carla,
        certification="ml-expert",
        evaluation="portfolio",
        held_on=day,
        acting_user=carla,
    )
    submission = Submission.objects.create(
        candidate=carla,
        certification=attempt.certification,
        attempt=Attempt.objects.get(pk=attempt.pk),
        url="https://github.com/carla/churn-model",
        commit=COMMIT,
        rubric={},
        report=REPORT,
    )
    erik = User.objects.create_user("erik@example.invalid", PASSWORD, full_name="Erik Examiner")
    for examiner, percent in ((office, "92.00"), (erik, "95.00")):
        RubricScore.objects.create(
            submission=submission, examiner=examiner, points={}, percent=Decimal(percent)
        )
    attempt_record_result(
        attempt=attempt, score=Decimal("93.5"), released_on=day, acting_user=office
    )
    return Certificate.objects.get(holder=carla, award="ml-expert")


def test_holder_choice_then_the_public_page_shows_exactly_the_chosen_facts(
    page: Page, browser: Browser, live_server, people, screenshot
):
    office, carla, interview_day = people

    # Before the certificate exists, Carla chooses on her path: no name, bands, repository
    # and the report itself.
    log_in(page, carla.email)
    page.goto("/path/")
    page.get_by_role(
        "link", name="Choose what your certificates' public evidence pages show"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What your evidence page shows")
    page.get_by_label("My name").uncheck()
    page.get_by_label("My score bands (for example 80\u201389)").check()
    page.get_by_label("My portfolio repository and the evaluated commit").check()
    page.get_by_label("The evidence report itself").check()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.get_by_role("main")).to_contain_text("Your choice was saved.")
    expect(page.get_by_label("My name")).not_to_be_checked()

    # E2: the report without the repository is refused, naming the rule
    page.get_by_label("My portfolio repository and the evaluated commit").uncheck()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.get_by_role("alert")).to_contain_text("E2:")
    page.goto("/certificates/evidence-choice/")
    expect(page.get_by_label("My portfolio repository and the evaluated commit")).to_be_checked()

    certificate = pass_the_interview(office, carla, interview_day)

    # A hiring manager with no account opens the public evidence page.
    visitor = browser.new_context(locale="en-US").new_page()
    visitor.goto(f"{live_server.url}/certificates/{certificate.serial}/evidence/")
    main = visitor.get_by_role("main")
    expect(visitor.locator("#evidence-holder")).to_have_text("Not shown, at the holder's choice")
    expect(main).not_to_contain_text("Carla")
    expect(visitor.locator("#knowledge-test")).to_contain_text("score band 80\u201389")
    portfolio = visitor.locator("#portfolio")
    expect(portfolio).to_contain_text("score band 90\u2013100")
    expect(
        portfolio.get_by_role("link", name="https://github.com/carla/churn-model")
    ).to_have_attribute("href", f"https://github.com/carla/churn-model/tree/{COMMIT}")
    expect(portfolio).to_contain_text(DIGEST)
    expect(portfolio).to_contain_text("equals the digest the credential signed")
    expect(portfolio).to_contain_text("3.00 points apart, within the 15-point margin")
    expect(visitor.locator("#knowledge-test")).to_contain_text("Form reliability")
    with visitor.expect_download() as download:
        portfolio.get_by_role("link", name="Download the evidence report").click()
    assert hashlib.sha256(download.value.path().read_bytes()).hexdigest() == DIGEST
    screenshot("evidence-choice")
    visitor.screenshot(
        path=str(Path(settings.VAR_DIR) / "screenshots" / "evidence-page.png"), full_page=True
    )

    # The signed credential carries only what was approved when it was signed.
    certificate.refresh_from_db()
    signed = json.dumps(certificate.credential, ensure_ascii=False)
    assert "name" not in certificate.credential["credentialSubject"]
    assert "Carla" not in signed and DIGEST in signed and COMMIT in signed

    # Later, from her certificates, Carla hides the bands and the report for this one.
    page.goto("/certificates/")
    page.get_by_role("link", name="Choose what it shows").click()
    expect(page.get_by_role("main")).to_contain_text(certificate.serial)
    page.get_by_label("My score bands (for example 80\u201389)").uncheck()
    page.get_by_label("The evidence report itself").uncheck()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.get_by_role("main")).to_contain_text("Your choice was saved.")

    visitor.reload()
    expect(visitor.get_by_role("main")).not_to_contain_text("score band 9")
    expect(visitor.get_by_role("main")).not_to_contain_text("score band 8")
    expect(visitor.locator("#portfolio")).to_contain_text("the score band is not shown")
    expect(visitor.get_by_role("link", name="Download the evidence report")).to_have_count(0)
    expect(visitor.locator("#portfolio")).to_contain_text(DIGEST)
    expect(visitor.locator("#evidence-holder")).to_have_text("Not shown, at the holder's choice")
    visitor.context.close()

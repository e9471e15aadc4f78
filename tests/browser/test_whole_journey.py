"""The whole path in a real browser, on the demo as shipped: the definition of done of the
program's first release.

``credence demo --no-serve`` sets the database up (program, shipped item bank, demo users); a
new candidate then signs up and confirms their address from the mail, and for two
certifications the office publishes a knowledge-test session and takes the fees at the billing
desk, the proctor checks the candidate in, the candidate answers every item of a real form
(every item type, right from its key), the office releases the results, the candidate submits
a portfolio repository whose evidence report the real task worker produces, the two demo
examiners score the rubric (and reconcile when they disagree), the office releases, and the
certificate is issued: the candidate downloads it, the QR code on the PDF opens its public
page, and a visitor reads "Valid" there. Each person uses their own browser context, and no
step goes around the product.
"""

from __future__ import annotations

import io
import re
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote, urlsplit

import pytest
import time_machine
import zxingcpp
from answering import answer_right, expect_answered, key
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from credence.accounts.models import User
from credence.demo.data import DEMO_PASSWORD, DOMAIN
from credence.exams.models import Sitting
from credence.portfolios.tests.conftest import git_daemon  # noqa: F401 (fixture)

# reset_sequences: the form is drawn from the seed "booking-<pk>", so with the ids every run
# starts from, every run (either database, any test order) draws the same forms from the
# shipped bank and answers the same items
pytestmark = [
    pytest.mark.long,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, reset_sequences=True),
]

NAME = "Nora Newcomer"
EMAIL = "nora@example.invalid"
PASSWORD = "a long and unusual passphrase"
OFFICE, PROCTOR = f"office@{DOMAIN}", f"proctor@{DOMAIN}"
EXAMINERS = (f"examiner@{DOMAIN}", f"examiner2@{DOMAIN}")
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+")


@dataclass(frozen=True)
class Certification:
    code: str
    name: str
    venue: str
    repository: str
    scores: tuple[str, str]  # rubric points each examiner gives every criterion (0-4)
    agreed: str | None  # the reconciled percent, when the two scores are too far apart
    result: str  # the released portfolio score as the candidate's page shows it


ML_EXPERT = Certification(
    code="ml-expert",
    name="Training, Evaluating, and Deploying Machine Learning Models (ML Expert)",
    venue="Potsdam, lecture hall 1",
    repository="churn.git",
    scores=("4", "3"),  # 100 % and 75 %: more than 15 points apart, reconciled
    agreed="85",
    result="85.00 %",
)
MLOPS = Certification(
    code="mlops",
    name="MLOps",
    venue="Potsdam, lecture hall 2",
    repository="pipeline.git",
    scores=("4", "4"),
    agreed=None,
    result="100.00 %",
)


@pytest.fixture
def mid_morning():
    # Sessions are dated in the program's time zone: near midnight "now + 30 minutes" is
    # tomorrow, and releasing tonight would come before the session's day. So the journey runs
    # at tomorrow's mid-morning (tomorrow, so cookie expiry dates stay in the browser's future).
    tomorrow = timezone.localtime() + timedelta(days=1)
    with time_machine.travel(tomorrow.replace(hour=10, minute=0), tick=True):
        yield


@pytest.fixture
def demo(mid_morning, live_server, settings, tmp_path) -> None:
    """`credence demo --no-serve`, in the test's database, issuing as the live server."""
    settings.CREDENCE_KEYS_DIR = tmp_path / "keys"
    settings.PUBLIC_URL_FILE = tmp_path / "public_url"  # the checkout's var/ stays untouched
    address = urlsplit(live_server.url)
    call_command(
        "demo",
        "--no-serve",
        "--host",
        address.hostname,
        "--port",
        str(address.port),
        stdout=io.StringIO(),
    )


class People:
    """One browser context per person, each watched for Content Security Policy violations."""

    def __init__(
        self, browser: Browser, base_url: str, watch_csp: Callable[[Page], list[str]]
    ) -> None:
        self.browser, self.base_url, self.watch_csp = browser, base_url, watch_csp
        self.contexts: list[BrowserContext] = []
        self.watched: list[list[str]] = []

    def page(self) -> Page:
        context = self.browser.new_context(
            base_url=self.base_url, viewport={"width": 1280, "height": 900}, locale="en-US"
        )
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        page = context.new_page()
        self.watched.append(self.watch_csp(page))
        return page

    @property
    def violations(self) -> list[str]:
        return [violation for page in self.watched for violation in page]

    def logged_in(self, email: str, password: str = DEMO_PASSWORD) -> Page:
        page = self.page()
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("main").get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        return page


@pytest.fixture
def people(browser: Browser, live_server, csp_watch) -> Iterator[People]:
    crowd = People(browser, str(live_server), csp_watch)
    yield crowd
    for context in crowd.contexts:
        context.close()
    assert not crowd.violations, "Content Security Policy violations:\n" + "\n".join(
        crowd.violations
    )


def run_worker() -> None:
    """The background worker, as `credence serve` runs it, here once over what is queued."""
    # the worker installs its own SIGINT/SIGTERM handlers; pytest's are put back after it
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def sign_up(people: People) -> Page:
    page = people.page()
    page.goto("/accounts/signup/")
    page.get_by_label("Full name").fill(NAME)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My path")

    [message] = [m for m in mail.outbox if EMAIL in m.to]
    assert message.subject == "[Credence] Please Confirm Your Email Address"
    link = CONFIRM_LINK.search(message.body)
    assert link, message.body
    assert link.group(0).startswith(people.base_url + "/")  # the address the demo serves at
    page.goto(link.group(0))  # exactly as the mail gives it
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text(f"You have confirmed {EMAIL}.")).to_be_visible()
    assert User.objects.get(email=EMAIL).emailaddress_set.get().verified
    return page


def publish_session(desk: Page, cert: Certification) -> None:
    now = timezone.localtime()
    desk.goto("/sessions/manage/")
    form = desk.get_by_role("region", name="New session")
    form.get_by_label(cert.name, exact=True).check()
    form.get_by_label("Venue").fill(cert.venue)
    form.get_by_label("Paul Proctor").check()
    form.get_by_label("Starts at").fill((now + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("Duration (minutes)").fill("120")
    form.get_by_label("Seats").fill("20")
    form.get_by_label("Booking deadline").fill(
        (now + timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M")
    )
    form.get_by_role("button", name="Create the session").click()
    desk.get_by_role("button", name="Publish").click()
    expect(desk.get_by_role("status")).to_contain_text("published")


def pay_open_invoice(candidate: Page, desk: Page) -> None:
    """The candidate reads the invoice of what they just booked; the office matches their bank
    transfer to it at the billing desk; the candidate's fees page shows it paid."""
    candidate.get_by_role("link", name="My fees").click()
    row = candidate.get_by_role("row").filter(has_text="Awaiting payment")
    expect(row).to_have_count(1)
    number = row.get_by_role("rowheader").inner_text().strip()
    due = row.get_by_role("cell").nth(4).inner_text().strip()

    desk.goto("/billing/office/")
    desk.get_by_role("link", name="Record a payment").click()
    desk.get_by_label("Invoice reference").fill(number)
    desk.get_by_label("Amount received").fill(due.replace(",", ""))
    desk.get_by_label("Received on").fill(timezone.localdate().isoformat())
    desk.get_by_label("Bank statement text").fill(f"{NAME} {number}")
    desk.get_by_role("button", name="Record payment").click()
    expect(desk.get_by_role("status")).to_contain_text(f"recorded on {number}")

    candidate.reload()
    expect(candidate.get_by_role("row").filter(has_text=number)).to_contain_text(
        "Paid: booking confirmed"
    )
    expect(candidate.get_by_test_id("owed")).to_have_text("0.00 EUR")


def knowledge_test(people: People, candidate: Page, desk: Page, cert: Certification) -> None:
    """Steps 2-4: publish, book, pay, check in, answer every item right, release."""
    publish_session(desk, cert)

    candidate.goto("/path/")
    candidate.get_by_role("link", name=re.compile("Knowledge test sessions")).click()
    candidate.get_by_role("button", name=f"Book a seat for {cert.name}", exact=True).click()
    expect(candidate.get_by_role("status")).to_contain_text("Your seat is booked")
    pay_open_invoice(candidate, desk)

    console = people.logged_in(PROCTOR)
    console.goto("/sessions/console/")
    console.get_by_role("link", name=re.compile(cert.venue)).click()
    console.get_by_role("button", name="Open the session").click()
    console.get_by_role("button", name=f"Check in {NAME}").click()
    expect(console.get_by_role("status")).to_contain_text("Checked in")

    sitting = Sitting.objects.get(
        booking__attempt__candidate__email=EMAIL,
        booking__attempt__certification__code=cert.code,
    )
    keys = [key(sitting, position) for position in range(len(sitting.form))]
    # which types the form holds is the draw's, and changes with the demo's bookings: each is
    # answered by the controls for its type; tests/browser/test_item_types.py has every type
    total = len(keys)

    candidate.goto("/sessions/")
    candidate.get_by_role("link", name="Take your test").click()
    half = total // 2
    for position, content in enumerate(keys):
        heading = f"Item {position + 1} of {total}"
        expect(candidate.get_by_role("heading", name=heading)).to_be_visible()
        answer_right(candidate, content)
        if position == half:
            # a reload mid-test: every answer so far is still there, one item of each type
            candidate.reload()
            seen: set[str] = set()
            for earlier, done in enumerate(keys[: half + 1]):
                if done.type in seen:
                    continue
                seen.add(done.type)
                candidate.get_by_role("link", name=re.compile(rf"^{earlier + 1} answered")).click()
                expect_answered(candidate, done)
            candidate.goto(f"/sessions/test/{sitting.pk}/?item={position}")
        if position < total - 1:
            candidate.get_by_role("button", name="Save and go to the next item").click()
    candidate.get_by_role("button", name="Review and submit").click()
    expect(candidate.get_by_text("Every item has an answer.")).to_be_visible()
    candidate.get_by_role("button", name="Submit my test").click()
    expect(candidate.get_by_role("heading", name="Your test is submitted")).to_be_visible()
    expect(candidate.get_by_text(f"You answered {total} of {total} items.")).to_be_visible()

    console.reload()
    console.get_by_role("button", name="Close the session").click()
    expect(console.get_by_role("status")).to_contain_text("closed")
    desk.goto(console.url)
    desk.get_by_role("button", name="Release the results").click()
    expect(desk.get_by_role("status")).to_contain_text("1 results released")

    candidate.goto("/sessions/")
    candidate.get_by_role("listitem").filter(has_text=cert.name).get_by_role(
        "link", name="Score report"
    ).click()
    expect(candidate.locator("dl.report strong")).to_have_text("100.00 %")
    expect(candidate.locator("dl.report .badge")).to_have_text("Passed")


def score_all(page: Page, points: str) -> None:
    for legend in page.locator("fieldset legend").all_inner_texts():
        page.get_by_role("group", name=legend).get_by_label(points, exact=True).check()
    page.get_by_role("button", name="Save my scores").click()


def portfolio(people: People, candidate: Page, desk: Page, daemon, cert: Certification) -> None:
    """Steps 5-6: submit a repository, the worker's evidence report, two examiners, release."""
    repo = daemon.repo(cert.repository)
    pinned = repo.commit(
        {
            "README.md": f"# {cert.name}\n\n## Installation\n\npip install -r requirements.txt\n",
            "requirements.txt": "scikit-learn==1.5.0\nfastapi==0.110.0\nmlflow==2.12.0\n",
            "train.py": "from sklearn import metrics\n",
            "tests/test_train.py": "def test_fit():\n    assert True\n",
            "LICENSE": "MIT License\n\nPermission is hereby granted, free of charge, to any",
        },
        name=NAME,
        email=EMAIL,
    )

    candidate.get_by_role("link", name="Portfolio", exact=True).click()
    candidate.get_by_label("Certification").select_option(cert.code)
    candidate.get_by_label("Repository address").fill(daemon.url(cert.repository))
    candidate.get_by_label("Your git identities (optional)").fill(EMAIL)
    candidate.get_by_role("button", name="Submit for evaluation").click()
    expect(candidate.locator("#pinned-commit")).to_have_text(pinned)
    expect(candidate.get_by_role("main")).to_contain_text("Evidence report being prepared")
    detail_url = candidate.url
    pay_open_invoice(candidate, desk)
    candidate.goto(detail_url)

    desk.goto("/portfolio/office/")
    desk.get_by_role("row").filter(has_text=NAME).get_by_role(
        "link", name=cert.name, exact=True
    ).click()
    expect(desk.get_by_role("status")).to_contain_text("The evidence report is being prepared")
    run_worker()
    desk.reload()
    expect(desk.get_by_role("heading", name="Evidence report")).to_be_visible()
    expect(desk.get_by_text("1 test functions in 1 files")).to_be_visible()
    candidate.reload()
    expect(candidate.get_by_role("main")).to_contain_text("Evidence report ready")

    names = [User.objects.get(email=email).full_name for email in EXAMINERS]
    desk.get_by_label("First examiner").select_option(label=names[0])
    desk.get_by_label("Second examiner").select_option(label=names[1])
    desk.get_by_role("button", name="Assign examiners").click()
    start = (timezone.localdate() + timedelta(days=7)).isoformat()
    desk.get_by_label("Starts at").fill(f"{start}T10:00")
    desk.get_by_label("Room or video link").fill("Room 2.01")
    desk.get_by_role("button", name="Schedule the interview").click()
    expect(desk.get_by_text("Room 2.01")).to_be_visible()

    for email, points in zip(EXAMINERS, cert.scores, strict=True):
        examiner = people.logged_in(email)
        examiner.get_by_role("link", name="Portfolio", exact=True).click()
        examiner.get_by_role("link", name="Portfolios to examine").click()
        examiner.get_by_role("row").filter(has_text=pinned).get_by_role(
            "link", name=cert.name, exact=True
        ).click()
        expect(examiner.locator("#pinned-commit")).to_have_text(pinned)
        expect(examiner.get_by_role("heading", name="Evidence report")).to_be_visible()
        score_all(examiner, points)
        expect(examiner.get_by_text(re.compile(r"Examiner: \d+\.\d\d %")).first).to_be_visible()
    if cert.agreed is not None:
        expect(examiner.get_by_role("alert")).to_contain_text("reconcile before release")
        examiner.get_by_label("Agreed score (percent)").fill(cert.agreed)
        examiner.get_by_label("How the examiners agreed").fill("Strong code; thin evaluation.")
        examiner.get_by_role("button", name="Record the agreed score").click()
        expect(examiner.get_by_text(f"Reconciled: {cert.agreed}.00 %")).to_be_visible()

    desk.reload()
    desk.get_by_label("Written feedback to the candidate").fill("Clear framing; add a baseline.")
    desk.get_by_role("button", name="Release the result").click()
    expect(desk.get_by_text("Result released")).to_be_visible()

    candidate.reload()
    expect(candidate.get_by_text(cert.result)).to_be_visible()
    expect(candidate.get_by_text("Clear framing; add a baseline.")).to_be_visible()


def certificate(people: People, candidate: Page, cert: Certification) -> None:
    """Step 7: the certificate, its PDF with a QR code, and its public page."""
    candidate.goto("/certificates/")
    card = candidate.get_by_role("article", name=cert.name)
    expect(card).to_be_visible()
    public_page = card.get_by_role("link", name="Public verification page").get_attribute("href")
    with candidate.expect_download() as download:
        card.get_by_role("link", name="Download PDF certificate").click()
    data = download.value.path().read_bytes()
    assert data.startswith(b"%PDF-")
    [sheet] = PdfReader(io.BytesIO(data)).pages
    assert NAME in sheet.extract_text()
    codes = [code.text for image in sheet.images for code in zxingcpp.read_barcodes(image.image)]
    assert codes == [f"{people.base_url}{public_page}"]

    visitor = people.page()  # anyone the QR code reaches, with no account
    visitor.goto(codes[0])
    expect(visitor.get_by_role("heading", level=1)).to_have_text(cert.name)
    expect(visitor.get_by_role("status")).to_contain_text("Valid")
    expect(visitor.get_by_role("main")).to_contain_text(NAME)


def test_the_whole_path_on_the_demo_as_shipped(demo, people: People, git_daemon, settings):  # noqa: F811
    # database queue, as in production: only the worker below makes evidence reports
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    # the journey waits for every autosave; the product's 500 ms pause after typing would make
    # that a minute of waiting alone
    settings.CREDENCE_AUTOSAVE_DELAY_MS = 20

    candidate = sign_up(people)
    desk = people.logged_in(OFFICE)

    for cert in (ML_EXPERT, MLOPS):
        knowledge_test(people, candidate, desk, cert)
        portfolio(people, candidate, desk, git_daemon, cert)
        certificate(people, candidate, cert)

    candidate.goto("/path/")
    held = candidate.get_by_role("region", name="Certificates you hold")
    expect(held.get_by_role("listitem")).to_have_count(2)
    expect(held).to_contain_text(ML_EXPERT.name)
    expect(held).to_contain_text(MLOPS.name)
    award = candidate.get_by_role("region", name="AI Engineer", exact=True)
    missing = award.locator(".composite-status dd").first
    expect(missing).to_have_text("Responsible AI")  # one required certification to go
    expect(award.locator(".composite-status dd").nth(2)).to_have_text("3")

    # Every mail the candidate got on the way is titled "[Credence] ..." and links only to the
    # server the demo set up (decision 0033); the booking confirmation's link and its calendar
    # file's URL open the candidate's path.
    mails = [m for m in mail.outbox if EMAIL in m.to]
    bookings = [m for m in mails if m.subject.startswith("[Credence] Your knowledge test: ")]
    assert len(bookings) == 2, [m.subject for m in mails]
    for message in mails:
        assert message.subject.startswith("[Credence] "), message.subject
        texts = [message.body] + [str(c).replace("\r\n ", "") for _, c, _ in message.attachments]
        for link in re.findall(r"https?://[^\s\"'<>]+", "\n".join(texts)):
            if link.startswith("https://www.linkedin.com/profile/add?"):  # "add to profile"
                assert f"certUrl={quote(people.base_url, safe='')}%2F" in link, link
            else:
                assert link.startswith(people.base_url + "/"), (message.subject, link)
    [path_link] = re.findall(r"https?://\S+/path/", bookings[0].body)
    assert f"URL:{path_link}" in bookings[0].attachments[0][1]
    candidate.goto(path_link)
    expect(candidate.get_by_role("heading", level=1)).to_have_text("My path")

"""The portfolio evaluation in a real browser (issue 4): a candidate who passed the knowledge
test submits a repository served by a local git daemon; the office assigns two examiners and
schedules the interview; both examiners read the evidence report at the pinned commit and score
the rubric; the office releases; the candidate reads the score and the feedback."""

from __future__ import annotations

import re
import socket
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.exams.services import attempt_book, attempt_record_result
from credence.portfolios.tests.conftest import git_daemon  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and unusual passphrase"
CERT = "ml-expert"


def person(email: str, name: str, role: Role) -> User:
    user = User.objects.create_user(email, PASSWORD, full_name=name)
    user_assign_role(user=user, role=role, acting_user=None)
    return user


@pytest.fixture
def people():
    call_command("program", "load", verbosity=0)
    office = person("office@example.invalid", "Olivia Office", Role.STAFF)
    ada = person("ada@example.invalid", "Ada Lovelace", Role.CANDIDATE)
    erin = person("erin@example.invalid", "Erin Examiner", Role.EXAMINER)
    ezra = person("ezra@example.invalid", "Ezra Examiner", Role.EXAMINER)
    today = timezone.localdate()
    attempt = attempt_book(
        candidate=ada,
        certification=CERT,
        evaluation="knowledge-test",
        held_on=today - timedelta(days=10),
        acting_user=ada,
    )
    attempt_record_result(
        attempt=attempt,
        score=Decimal(82),
        released_on=today - timedelta(days=9),
        acting_user=office,
    )
    return office, ada, erin, ezra


def log_in(browser: Browser, live_server, email: str) -> Page:
    context = browser.new_context(base_url=str(live_server), locale="en-US")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile(r"^(Log in|Sign In)$")).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return page


def score_all(page: Page, points: str) -> None:
    for legend in page.locator("fieldset legend").all_inner_texts():
        page.get_by_role("group", name=legend).get_by_label(points, exact=True).check()
    page.get_by_role("button", name="Save my scores").click()


def test_submit_examine_score_and_release(
    browser: Browser,
    live_server,
    people,
    git_daemon,  # noqa: F811 (the fixture imported above)
    settings,
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    office, ada, erin, ezra = people
    repo = git_daemon.repo("churn.git")
    repo.commit(
        {
            "README.md": "# Churn\n\n## Installation\n\npip install -r requirements.txt\n",
            "requirements.txt": "scikit-learn==1.5.0\nfastapi==0.110.0\n",
            "train.py": "from sklearn import metrics\n",
            "tests/test_train.py": "def test_fit():\n    assert True\n",
        },
        name="Ada Lovelace",
        email="ada@example.invalid",
    )
    pinned = repo.commit(
        {"LICENSE": "MIT License\n\nPermission is hereby granted, free of charge, to any person"},
        email="ada@example.invalid",
    )

    candidate = log_in(browser, live_server, ada.email)
    candidate.get_by_role("link", name="Portfolio", exact=True).click()
    # only what may be submitted today is offered; the others say which rule and until when
    expect(candidate.get_by_label("Certification").locator("option")).to_have_text(
        [re.compile(r"\(ML Expert\)")]
    )
    not_yet = candidate.locator("ul.not-yet > li")
    expect(not_yet).to_have_count(6)
    expect(not_yet.filter(has_text="MLOps")).to_contain_text("Rule R1")
    expect(not_yet.filter(has_text="MLOps")).to_contain_text("Depends on a result")

    # a host nobody answers at is the platform's problem, said once, after asking again
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings.CREDENCE_PORTFOLIO_HOSTS = [*settings.CREDENCE_PORTFOLIO_HOSTS, f"127.0.0.1:{closed}"]
    settings.CREDENCE_PORTFOLIO_LIMITS = {"retry_delays": (0.05, 0.05)}
    candidate.get_by_label("Repository address").fill(f"git://127.0.0.1:{closed}/churn.git")
    candidate.get_by_role("button", name="Submit for evaluation").click()
    unreachable = candidate.get_by_text("Credence could not reach the repository's host")
    expect(unreachable).to_have_count(1)
    expect(unreachable).to_contain_text("not of the repository")
    expect(unreachable).to_contain_text("Credence asked 3 times")
    expect(candidate.get_by_text("without logging in")).to_have_count(0)

    candidate.get_by_label("Certification").select_option(CERT)
    candidate.get_by_label("Repository address").fill(git_daemon.url("churn.git"))
    candidate.get_by_label("Your git identities (optional)").fill("ada@example.invalid")
    candidate.get_by_role("button", name="Submit for evaluation").click()
    expect(candidate.locator("#pinned-commit")).to_have_text(pinned)
    detail_url = candidate.url
    repo.commit({"late.py": "import torch\n"})  # pushed after submission: not evaluated

    desk = log_in(browser, live_server, office.email)
    desk.goto("/portfolio/office/")
    desk.get_by_role("link", name=re.compile("Training, Evaluating")).click()
    expect(desk.get_by_role("heading", name="Evidence report")).to_be_visible()
    desk.get_by_label("First examiner").select_option(label="Erin Examiner")
    desk.get_by_label("Second examiner").select_option(label="Ezra Examiner")
    desk.get_by_role("button", name="Assign examiners").click()
    start = (timezone.localdate() + timedelta(days=7)).isoformat()
    desk.get_by_label("Starts at").fill(f"{start}T10:00")
    desk.get_by_label("Room or video link").fill("Room 2.01")
    desk.get_by_role("button", name="Schedule the interview").click()
    expect(desk.get_by_text("Room 2.01")).to_be_visible()

    for examiner, points in ((erin, "4"), (ezra, "3")):
        page = log_in(browser, live_server, examiner.email)
        page.get_by_role("link", name="Portfolio", exact=True).click()
        page.get_by_role("link", name="Portfolios to examine").click()
        page.get_by_role("link", name=re.compile("Training, Evaluating")).click()
        expect(page.locator("#pinned-commit")).to_have_text(pinned)
        expect(page.get_by_text("MIT", exact=True)).to_be_visible()
        expect(page.get_by_text("1 test functions in 1 files")).to_be_visible()
        score_all(page, points)
        expect(page.get_by_text(re.compile(r"Examiner: \d+\.\d\d %")).first).to_be_visible()
        if examiner is erin:
            shots = Path(settings.VAR_DIR) / "screenshots"
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / "portfolio-examiner.png"), full_page=True)

    # 100 % and 75 % are more than 15 points apart: reconcile first.
    page.get_by_label("Agreed score (percent)").fill("85")
    page.get_by_label("How the examiners agreed").fill("Strong code; thin evaluation.")
    page.get_by_role("button", name="Record the agreed score").click()
    expect(page.get_by_text("Reconciled: 85.00 %")).to_be_visible()

    desk.goto(detail_url)
    desk.get_by_label("Written feedback to the candidate").fill("Clear framing; add a baseline.")
    desk.get_by_role("button", name="Release the result").click()
    expect(desk.get_by_text("Result released")).to_be_visible()

    candidate.goto(detail_url)
    expect(candidate.get_by_text("85.00 %")).to_be_visible()
    expect(candidate.get_by_text("Clear framing; add a baseline.")).to_be_visible()
    expect(candidate.locator("#pinned-commit")).to_have_text(pinned)

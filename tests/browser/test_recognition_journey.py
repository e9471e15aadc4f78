"""Partial credit end to end in a real browser (issue 7, item 7): a candidate runs the advisor,
files a claim with a PDF, the program office approves it, and the candidate's path shows the
waiver, with the portfolio interview now open (R10, R1)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.exams.models import Waiver
from credence.recognition.services import signal_guide_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and unusual passphrase"
ML_EXPERT = "Training, Evaluating, and Deploying Machine Learning Models (ML Expert)"
GOOGLE = "Google Professional Machine Learning Engineer"
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def world(settings, tmp_path):
    settings.CREDENCE_CLAIM_EVIDENCE_DIR = tmp_path / "evidence"
    call_command("program", "load", verbosity=0)
    signal_guide_load()
    people = {}
    for local, name, role in (
        ("ada", "Ada Lovelace", Role.CANDIDATE),
        ("office", "Olivia Office", Role.STAFF),
    ):
        user = User.objects.create_user(f"{local}@example.invalid", PASSWORD, full_name=name)
        user_assign_role(user=user, role=role, acting_user=None)
        people[local] = user
    return people


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    # allauth's "Sign In", or "Log in" where the project's templates rename it.
    page.get_by_role("main").get_by_role("button", name=re.compile(r"^(Log in|Sign In)$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My path")


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def answer(page: Page, question: str, choice: str) -> None:
    page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()


def test_advisor_claim_approval_and_the_waiver_on_my_path(page: Page, world, screenshot):
    log_in(page, "ada@example.invalid")

    # The advisor: five questions, advice with the guide's reasons.
    page.get_by_role("link", name="Signal guide").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signal guide")
    page.get_by_role("link", name="Get advice for your situation").click()
    answer(page, "Have you completed the ML fundamentals (the guide's Pillars 1-5)?", "Yes")
    answer(page, "Which cloud platform do you work with?", "Google Cloud (GCP)")
    answer(page, "Which role describes you best?", "ML or AI engineer, data scientist")
    answer(page, "Have you built and deployed real ML models?", "Yes")
    answer(page, "Do you have a public portfolio (e.g. GitHub) that shows your work?", "No")
    page.get_by_role("button", name="Get advice").click()
    worth = page.locator(".verdict-worth_pursuing").filter(has_text=GOOGLE)
    expect(worth).to_contain_text("You work or plan to work with GCP")
    expect(page.locator(".advice")).to_contain_text(
        "Then, get at most one cloud platform cert if relevant to your work."
    )
    screenshot("advisor-desktop")

    # The claim, with the certificate as a PDF.
    page.get_by_role("link", name="Claims", exact=True).click()
    page.get_by_role("link", name="Claim partial credit").click()
    page.get_by_label("Certification", exact=True).select_option(label=GOOGLE)
    page.get_by_label("Credential id").fill("PMLE-2026-0042")
    today = timezone.localdate()
    page.get_by_label("Issued on").fill((today - timedelta(days=90)).isoformat())
    page.get_by_label("Expires on").fill((today + timedelta(days=640)).isoformat())
    page.get_by_label("The certificate").set_input_files(
        {"name": "pmle.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    screenshot("claim-form-desktop")
    page.get_by_role("button", name="File the claim").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Claim: {GOOGLE}")
    expect(page.locator(".claim-status")).to_have_text("Submitted, waiting for the program office")
    expect(page.get_by_role("link", name="pmle.pdf")).to_be_visible()
    log_out(page)

    # The program office sees the suggestion and the rating, and approves.
    log_in(page, "office@example.invalid")
    page.goto("/claims/queue/")
    row = page.get_by_role("row").filter(has_text=GOOGLE)
    expect(row).to_contain_text("Knowledge test of " + ML_EXPERT)
    expect(row).to_contain_text("High signal")
    screenshot("claims-queue-desktop")
    row.get_by_role("link", name=GOOGLE).click()
    page.get_by_label("Approve: waive the evaluation chosen below").check()
    expect(page.get_by_label("Evaluation to waive (if approved)")).to_have_value(
        "ml-expert/knowledge-test"
    )
    page.get_by_label("Message to the candidate").fill("Recognized under R10.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("Approved; the waiver is granted.")
    expect(page.get_by_text("No claims are waiting.")).to_be_visible()
    log_out(page)
    assert Waiver.objects.filter(candidate=world["ada"]).count() == 1

    # The candidate's path shows the waiver, and the interview is open (R1 satisfied).
    log_in(page, "ada@example.invalid")
    card = page.get_by_role("article", name=ML_EXPERT)
    test_step = card.locator(".step").filter(has_text="Knowledge test")
    expect(test_step).to_contain_text("Waived")
    next_step = card.locator(".step-next")
    expect(next_step).to_contain_text("Interview based on a portfolio project")
    expect(next_step).to_contain_text("Open for booking")
    screenshot("my-path-waiver-desktop")
    page.get_by_role("link", name="Claims", exact=True).click()
    expect(page.get_by_role("row").filter(has_text=GOOGLE)).to_contain_text("Approved")
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot("claims-phone")

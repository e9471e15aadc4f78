"""An appeal of a result, end to end in a real browser (issue 18, item 3): the candidate
appeals a failed test from their path with reasons; the program office assigns a reviewer
from those who took no part in the result; the reviewer decides; the candidate reads the
decision on the appeal's page and on their path. A second appeal of the result is not
offered; the decision is in the audit trail."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect
from signin import PASSWORD, log_in

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.audit.models import AuditEvent
from credence.exams.services import attempt_book, attempt_record_result

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ML_EXPERT = "Training, Evaluating, and Deploying Machine Learning Models (ML Expert)"


def test_a_candidate_appeals_and_an_independent_reviewer_decides(
    browser: Browser, live_server, office_and_ada
):
    office, ada = office_and_ada
    reviewer = User.objects.create_user("rita@example.invalid", PASSWORD, full_name="Rita Reviewer")
    user_assign_role(user=reviewer, role=Role.EXAMINER, acting_user=None)
    released = timezone.localdate() - timedelta(days=3)
    attempt = attempt_book(
        candidate=ada,
        certification="ml-expert",
        evaluation="knowledge-test",
        held_on=released - timedelta(days=7),
        acting_user=ada,
    )
    attempt_record_result(
        attempt=attempt, score=Decimal("64"), released_on=released, acting_user=office
    )

    def person() -> object:
        return browser.new_context(base_url=live_server.url, locale="en-US").new_page()

    # Ada appeals from her path.
    candidate = person()
    log_in(candidate, ada.email)
    candidate.goto("/path/")
    candidate.get_by_role("link", name="Appeal a released result").click()
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Appeals")
    candidate.get_by_role("link", name="Appeal (until").click()
    candidate.get_by_label("Why do you appeal this result?").fill(
        "Question 12 had two correct answers."
    )
    candidate.get_by_role("button", name="File the appeal").click()
    expect(candidate.locator("#outcome")).to_have_text("Waiting for a decision")

    # The office assigns Rita; Ada herself is not offered.
    desk = person()
    log_in(desk, office.email)
    desk.goto("/appeals/office/")
    choice = desk.get_by_label("Independent reviewer")
    options = choice.locator("option").all_inner_texts()
    assert "Rita Reviewer" in options and "Ada Lovelace" not in options
    choice.select_option(label="Rita Reviewer")
    desk.get_by_role("button", name="Assign").click()
    expect(desk.get_by_text("The reviewer is assigned.")).to_be_visible()

    # Rita decides.
    review = person()
    log_in(review, reviewer.email)
    review.goto("/appeals/")
    review.get_by_role("link", name=f"{ML_EXPERT} · Knowledge test").click()
    expect(review.get_by_text("Question 12 had two correct answers.")).to_be_visible()
    review.get_by_label("Upheld").check()
    review.get_by_label("Reasons for the decision (the candidate reads them)").fill(
        "Question 12 accepts both answers; the result is rescored."
    )
    review.get_by_role("button", name="Record the decision").click()
    expect(review.locator("#outcome")).to_contain_text("Upheld")
    expect(review.get_by_role("heading", name="Decide this appeal")).to_have_count(0)

    # Ada reads it on the appeal's page and on her path; no second appeal is offered.
    candidate.reload()
    expect(candidate.locator("#outcome")).to_contain_text("Upheld")
    expect(candidate.get_by_text("the result is rescored")).to_be_visible()
    candidate.goto("/path/")
    expect(candidate.locator("ul.appeals")).to_contain_text("Upheld")
    candidate.goto("/appeals/")
    expect(candidate.get_by_role("link", name="Appeal (until")).to_have_count(0)
    assert list(
        AuditEvent.objects.filter(action__startswith="appeal.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["appeal.filed", "appeal.reviewer_assigned", "appeal.decided"]
    for page in (candidate, desk, review):
        page.context.close()

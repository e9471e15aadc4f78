"""Item screening in a real browser (issue 16, decision 0042): after a calibration the office
sees the flagged items on the calibration page with their reasons, and accepts one with a
reason, after which it counts.

The sittings are seeded straight into the tables and one item is miskeyed (every answer's
score reversed), so its point-biserial is negative; the calibration task runs at once."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect
from signin import PASSWORD, log_in

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.exams.models import Response
from credence.items.models import ItemVersion
from credence.psychometrics import api, services
from credence.psychometrics.models import Calibration
from credence.psychometrics.tests.factories import program_with_bank, sit_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MISKEYED = "supervised-learning-3"


@pytest.fixture
def calibrated(settings) -> tuple[User, Calibration, ItemVersion]:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    program_with_bank()
    office = User.objects.create_user("office@example.invalid", PASSWORD, full_name="Olivia Office")
    user_assign_role(user=office, role=Role.STAFF, acting_user=None)
    sit_session(office, 70, seed=4, factory=True)  # more candidates than Rasch parameters (64)
    version = ItemVersion.objects.get(item__name=MISKEYED)
    for response in Response.objects.filter(version=version):
        response.answer = {"choice": 1 - response.answer["choice"]}  # right <-> wrong
        response.save(update_fields=["answer"])
    calibration = services.calibration_start(
        certification="ml-expert",
        model="rasch",
        acting_user=office,
        now=datetime(2026, 3, 5, 9, 0, tzinfo=UTC),
    )
    calibration.refresh_from_db()
    return office, calibration, version


def test_the_office_sees_the_flags_and_accepts_a_flagged_item(page: Page, calibrated, screenshot):
    office, calibration, version = calibrated
    item = str(version.pk)
    assert item in api.excluded_item_ids(calibration)
    log_in(page, office.email)
    page.goto(f"/psychometrics/calibrations/{calibration.pk}/")

    expect(page.get_by_role("heading", name="Item screening")).to_be_visible()
    row = page.get_by_test_id(f"screening-{item}")
    expect(row.get_by_role("rowheader")).to_have_text(re.compile(f"^{MISKEYED} v1"))
    expect(row).to_contain_text("Negative discrimination: point-biserial -0.")
    expect(row).to_contain_text("excluded")
    screenshot("psychometrics-screening")

    row.get_by_label(re.compile(f"^Why {MISKEYED} v1 may count")).fill(
        "Key corrected in the bank; these answers were scored against the old key."
    )
    row.get_by_role("button", name=f"Accept {MISKEYED} v1").click()
    expect(
        page.get_by_text(f"Accepted: {MISKEYED} v1 now counts on this calibration.")
    ).to_be_visible()
    row = page.get_by_test_id(f"screening-{item}")
    expect(row).to_contain_text("accepted")
    expect(row).to_contain_text("by Olivia Office")
    expect(row.get_by_role("button")).to_have_count(0)
    assert item not in api.excluded_item_ids(calibration)

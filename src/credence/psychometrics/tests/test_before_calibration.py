"""Before any calibration: starting one (the service and the staff page, refused to others,
failing with its reason without sittings), scores at release without a standard, and the
decision quality of raw-scored forms (Livingston-Lewis, decision 0041). Apart from the
modules that share one calibrated world (``test_services``, ``test_views``): these tests
need a bank nobody has calibrated yet."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from credence.accounts.models import User
from credence.catalog import api as catalog_api
from credence.exams import api as exams_api
from credence.exams.scoring.services import session_release
from credence.items.models import Item
from credence.items.services import item_retire
from credence.psychometrics import selectors, services
from credence.psychometrics.accuracy import DecisionQuality
from credence.psychometrics.models import CalibrationStatus
from credence.psychometrics.tests.factories import START, TOPICS, sittings_of

NOW = START + timedelta(days=3)


def test_a_calibration_without_sittings_fails_with_its_reason(
    office, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        calibration = services.calibration_start(
            certification="ml-expert", model="2pl", acting_user=office, now=NOW
        )
    calibration.refresh_from_db()
    assert calibration.status == CalibrationStatus.FAILED
    assert "no scored responses" in calibration.error


def test_only_the_office_calibrates(office, sit_session):
    someone = User.objects.create_user("x@example.invalid", "x" * 12, full_name="X")
    with pytest.raises(PermissionError):
        services.calibration_start(
            certification="ml-expert", model="2pl", acting_user=someone, now=NOW
        )


def test_staff_start_a_calibration_from_the_page(
    client, office, sit_session, immediate_tasks, django_capture_on_commit_callbacks
):
    sit_session(40, seed=2, factory=True)
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("psychometrics:calibration-start", args=["ml-expert"]), {"model": "rasch"}
        )

    assert response.status_code == 302
    page = client.get(reverse("psychometrics:certification", args=["ml-expert"]))
    assert "Rasch" in page.content.decode()
    (calibration,) = selectors.calibrations_for("ml-expert")
    assert calibration.started_by == office and calibration.sittings == 40


def test_without_an_adopted_standard_the_score_is_the_raw_percent(office, sit_session):
    session = sit_session(1, answers={0: 45})

    session_release(session=session, acting_user=office, now=START + timedelta(days=1))

    (sitting,) = sittings_of(session)
    assert sitting.score == sitting.raw_score == Decimal("75.00")


def test_a_session_of_forms_drawn_at_random_is_judged_by_its_raw_scored_forms_together(
    client, office, sit_session
):
    sit_session(30, seed=4, factory=True)
    rules = catalog_api.program_rules()
    mark = float(rules.pass_mark("ml-expert", rules.evaluations_in_order()[0].code))

    standard, (session,) = selectors.decision_quality("ml-expert")

    # no calibration and no standard: every form is scored by its raw percent, and nearly
    # every candidate sat their own form, too few for a figure of its own
    assert standard is None
    assert all(form.rudner is None for form in session.forms)
    parallel = session.parallel
    assert (parallel.sittings, parallel.items) == (30, 60)
    assert parallel.forms == len(session.forms) > 1
    assert 0.5 < parallel.quality.accuracy <= 1
    assert parallel.below_minimum == (parallel.quality.accuracy < 0.85)
    assert session.lowest_accuracy <= parallel.quality.accuracy
    one_form = selectors.parallel_quality(
        [s for s in exams_api.scored_sittings("ml-expert")][:1] * 2, mark, 0.85
    )
    assert one_form is None
    client.force_login(office)
    page = client.get(reverse("psychometrics:quality", args=["ml-expert"])).content.decode()
    assert "The raw-scored forms together" in page
    assert f"accuracy {parallel.quality.accuracy:.3f}" in page


def test_the_warning_takes_the_lower_of_rudners_and_the_simulated_accuracy():
    high, low = DecisionQuality(0.90, 0.86, 0.4), DecisionQuality(0.83, 0.79, 0.4)
    form = selectors.FormQuality(
        items=("1", "2"),
        sittings=1,
        kr20=None,
        marginal_reliability=0.8,
        raw_cut=1.2,
        rudner=high,
        below_minimum=True,
        simulated=low,
    )
    raw = selectors.FormQuality(
        items=("3", "4"),
        sittings=5,
        kr20=0.7,
        marginal_reliability=None,
        raw_cut=1.4,
        rudner=None,
        below_minimum=False,
        livingston_lewis=high,
    )
    unknown = replace(raw, livingston_lewis=None)

    session = selectors.SessionQuality(session=1, label="HPI", forms=[form, raw, unknown])

    assert (form.decisive, raw.decisive, unknown.decisive) == (low, high, None)
    assert replace(form, simulated=None).decisive == high
    assert session.lowest_accuracy == 0.83
    assert session.warnings == 1


def test_without_a_standard_a_form_is_judged_by_livingston_lewis_at_the_pass_mark(
    office, sit_session
):
    # one item of each topic retired: the bank holds exactly one form, which all candidates sit
    for topic in TOPICS:
        item_retire(item=Item.objects.get(name=f"{topic}-0"), acting_user=office, now=START)
    sit_session(40, seed=3, factory=True)
    rules = catalog_api.program_rules()
    mark = rules.pass_mark("ml-expert", rules.evaluations_in_order()[0].code)

    standard, (session,) = selectors.decision_quality("ml-expert")

    assert standard is None and session.population is None
    assert session.parallel is None  # one form: its own figure says it all
    (form,) = session.forms
    assert (form.sittings, len(form.items)) == (40, 60)
    assert form.rudner is None and form.simulated is None
    assert form.raw_cut == pytest.approx(float(mark) / 100 * 60)
    assert form.decisive == form.livingston_lewis
    assert 0.5 < form.livingston_lewis.accuracy <= 1
    assert form.livingston_lewis.consistency <= form.livingston_lewis.accuracy
    assert session.lowest_accuracy == form.livingston_lewis.accuracy

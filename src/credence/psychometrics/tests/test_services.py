"""Calibration from real sittings, Angoff workshops and their adoption as R4's pass mark, and
equated scores at release, on the real database (decisions 0018, 0019)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import numpy as np
import pytest

from credence.audit.models import AuditEvent
from credence.catalog import api as catalog_api
from credence.exams.models import Sitting
from credence.exams.policy import outcome_for_score
from credence.exams.scoring.services import session_release
from credence.exams.statuses import AttemptStatus
from credence.items.models import ItemVersion
from credence.psychometrics import selectors, services
from credence.psychometrics.equating import equated_percent
from credence.psychometrics.models import (
    AngoffRating,
    CalibrationStatus,
    StandardSetting,
    WorkshopStatus,
)
from credence.psychometrics.tests.conftest import world_fixtures
from credence.psychometrics.tests.factories import START, difficulty, sittings_of

NOW = START + timedelta(days=3)


# One calibration of 150 sittings for the whole module (see ``conftest.world``): every test
# runs in a savepoint of it, in any order.
pytestmark = pytest.mark.usefixtures("world")


office, calibrated = world_fixtures()


def test_a_calibration_runs_as_a_task_on_the_submitted_sittings(calibrated):
    assert calibrated.status == CalibrationStatus.DONE, calibrated.error
    assert calibrated.sittings == 150
    # every version the 150 forms showed is either calibrated or left out with its reason
    seen = {str(e["version"]) for s in Sitting.objects.all() for e in s.form}
    assert seen == set(calibrated.item_ids) | set(calibrated.dropped)
    assert len(calibrated.item_ids) > 50
    fitted = selectors.parameters_of(calibrated)
    assert fitted is not None and fitted.model == "rasch"
    assert all(item.id.isdigit() for item in fitted.items)  # keyed by item version id
    assert AuditEvent.objects.filter(action="psychometrics.calibration_done").exists()


def test_calibrated_difficulties_follow_the_simulated_ones(calibrated):
    fitted = selectors.parameters_of(calibrated)
    names = {str(v.pk): v.item.name for v in ItemVersion.objects.select_related("item")}
    estimated = np.array([item.b for item in fitted.items])
    true = np.array([difficulty(names[item.id]) for item in fitted.items])
    assert np.corrcoef(estimated, true)[0, 1] > 0.8


def _workshop(calibrated, office, panellists=("Ada", "Ben", "Cy")):
    items = selectors.forms_seen(calibrated)[0].items
    return services.workshop_create(
        calibration=calibrated,
        name="Spring panel",
        items=list(items),
        panellists=list(panellists),
        rounds=2,
        acting_user=office,
        now=NOW,
    )


def _rate(workshop, office, values: dict[str, str], round: int = 1):
    return services.ratings_save(
        workshop=workshop,
        round=round,
        ratings={(name, item): value for name, value in values.items() for item in workshop.items},
        acting_user=office,
    )


def test_angoff_cut_adopted_becomes_the_pass_mark_and_flips_a_result(calibrated, office):
    workshop = _workshop(calibrated, office)
    _rate(workshop, office, {"Ada": "0.8", "Ben": "0.85", "Cy": "0.9"})
    rules_before = catalog_api.program_rules()
    assert rules_before.pass_mark("ml-expert", "knowledge-test") == Decimal(70)
    # 75 passes under the default mark of 70 ...
    score = Decimal("75.00")
    before = outcome_for_score(rules_before, "ml-expert", "knowledge-test", score)
    assert before == AttemptStatus.PASSED

    adopted = services.workshop_adopt(workshop=workshop, acting_user=office, now=NOW)

    assert adopted.status == WorkshopStatus.ADOPTED
    assert adopted.adopted_mark == Decimal("85.00")
    assert adopted.previous_mark == Decimal("70.00")
    assert adopted.adopted_by == office and adopted.adopted_at == NOW
    panel = {p.name: p.pk for p in workshop.panellists.all()}
    assert adopted.record["panellists"] == [panel["Ada"], panel["Ben"], panel["Cy"]]
    n = len(workshop.items)  # the reference form less any item the screening flagged
    assert adopted.record["cuts"] == pytest.approx([0.8 * n, 0.85 * n, 0.9 * n])
    assert adopted.theta_cut is not None
    rules_after = catalog_api.program_rules()
    assert rules_after.pass_mark("ml-expert", "knowledge-test") == Decimal("85.00")
    # ... and fails under the adopted 85 (R4)
    assert outcome_for_score(rules_after, "ml-expert", "knowledge-test", score) == (
        AttemptStatus.FAILED
    )
    event = AuditEvent.objects.get(action="psychometrics.standard_adopted")
    assert (event.before, event.after["pass_mark"]) == ({"pass_mark": "70.00"}, "85.00")
    assert AuditEvent.objects.filter(action="catalog.pass_mark_set").count() == 1
    with pytest.raises(services.StandardSettingError):
        services.workshop_adopt(workshop=workshop, acting_user=office, now=NOW)
    # loading the program file again keeps the adopted mark
    catalog_api.program_load_file()
    assert catalog_api.program_rules().pass_mark("ml-expert", "knowledge-test") == Decimal("85.00")


def test_the_second_round_counts_once_it_has_ratings(calibrated, office):
    workshop = _workshop(calibrated, office)
    _rate(workshop, office, {"Ada": "0.5", "Ben": "0.5", "Cy": "0.5"})
    _rate(workshop, office, {"Ada": "0.6", "Ben": "0.6", "Cy": "0.6"}, round=2)

    summary = selectors.workshop_summary(workshop)

    assert summary.round == 2
    assert summary.recommendation.percent_cut == Decimal("60.00")


def test_adoption_is_refused_with_a_reason_while_ratings_are_missing(calibrated, office):
    workshop = _workshop(calibrated, office)
    _rate(workshop, office, {"Ada": "0.8", "Ben": "0.85"})

    with pytest.raises(services.StandardSettingError, match="missing"):
        services.workshop_adopt(workshop=workshop, acting_user=office, now=NOW)
    assert catalog_api.program_rules().pass_mark("ml-expert", "knowledge-test") == Decimal(70)


def test_a_bad_rating_stores_nothing(calibrated, office):
    workshop = _workshop(calibrated, office)
    ratings = {("Ada", item): "0.7" for item in workshop.items}
    ratings[("Ada", workshop.items[-1])] = "1.2"

    with pytest.raises(services.StandardSettingError, match="probability"):
        services.ratings_save(workshop=workshop, round=1, ratings=ratings, acting_user=office)
    assert not AngoffRating.objects.exists()


def test_a_ratings_sheet_is_read_and_bad_sheets_are_refused_naming_the_line(calibrated, office):
    workshop = _workshop(calibrated, office)
    items = workshop.items
    sheet = "panellist," + ",".join(items) + "\n"
    for name, value in (("Ada", "0.7"), ("Dee", "0.75")):
        sheet += name + "," + ",".join([value] * len(items)) + "\n"

    count = services.ratings_save(
        workshop=workshop, round=1, ratings=services.ratings_from_csv(sheet), acting_user=office
    )

    assert count == 2 * len(items)
    assert sorted(workshop.panellists.values_list("name", flat=True)) == [
        "Ada",
        "Ben",
        "Cy",
        "Dee",
    ]
    with pytest.raises(services.StandardSettingError, match="Line 4"):
        services.ratings_from_csv(sheet + "Eve,0.5\n")
    with pytest.raises(services.StandardSettingError, match="Line 2, item"):
        services.ratings_from_csv("panellist,1\nAda,high\n")
    with pytest.raises(services.StandardSettingError, match="Line 1"):
        services.ratings_from_csv("name,1\nAda,0.5\n")
    # an item not on the reference form: nothing of the sheet is stored
    with pytest.raises(services.StandardSettingError, match="not on the reference form"):
        services.ratings_save(
            workshop=workshop,
            round=1,
            ratings=services.ratings_from_csv("panellist,999999\nZed,0.5\n"),
            acting_user=office,
        )
    assert not workshop.panellists.filter(name="Zed").exists()


def test_a_workshop_needs_items_the_calibration_covers(calibrated, office):
    with pytest.raises(services.StandardSettingError, match="not covered: 999999"):
        services.workshop_create(
            calibration=calibrated,
            name="Panel",
            items=["999999"],
            panellists=["Ada"],
            rounds=1,
            acting_user=office,
            now=NOW,
        )
    assert not StandardSetting.objects.exists()


def test_release_reports_the_equated_score_and_keeps_the_raw_one(calibrated, office, sit_session):
    workshop = _workshop(calibrated, office)
    _rate(workshop, office, {"Ada": "0.6", "Ben": "0.65", "Cy": "0.7"})
    services.workshop_adopt(workshop=workshop, acting_user=office, now=NOW)
    session = sit_session(3, seed=5, day=10, answers={0: 0, 1: 39, 2: 60})

    session_release(session=session, acting_user=office, now=START + timedelta(days=11))

    nothing, some, everything = sittings_of(session)
    assert (nothing.raw_score, nothing.score) == (Decimal("0.00"), Decimal("0.00"))
    assert (everything.raw_score, everything.score) == (Decimal("100.00"), Decimal("100.00"))
    assert some.raw_score == Decimal("65.00")
    # 39 of 60 on this form, carried to the reference form through the θ scale; an item the
    # screening flagged counts for nothing (0042), and whether the booking-seeded draw put it
    # on this form, and among the first 39, depends on the database's keys
    excluded = selectors.excluded_item_ids(calibrated)
    versions = [str(entry["version"]) for entry in some.form]
    kept = [version for version in versions if version not in excluded]
    right = sum(1 for version in versions[:39] if version not in excluded)
    form = selectors.item_parameters(calibrated, kept)
    reference = selectors.item_parameters(
        calibrated, [item for item in workshop.items if item not in excluded]
    )
    assert form is not None and reference is not None
    assert some.score == equated_percent(float(right), form, reference)
    # the attempt's result (R4) is the reported score
    attempt = some.booking.attempt
    attempt.refresh_from_db()
    assert attempt.score == some.score
    assert attempt.status == (
        AttemptStatus.PASSED if some.score >= Decimal("65.00") else AttemptStatus.FAILED
    )


def test_decision_quality_shows_each_forms_accuracy_under_the_standard(calibrated, office):
    workshop = _workshop(calibrated, office)
    _rate(workshop, office, {"Ada": "0.6", "Ben": "0.65", "Cy": "0.7"})
    services.workshop_adopt(workshop=workshop, acting_user=office, now=NOW)

    standard, sessions = selectors.decision_quality("ml-expert")

    assert standard.pk == workshop.pk
    (session,) = sessions
    assert sum(form.sittings for form in session.forms) == 150
    covered = [form for form in session.forms if form.rudner is not None]
    assert covered
    for form in covered:
        assert 0.5 < form.rudner.accuracy <= 1
        assert form.rudner.consistency <= form.rudner.accuracy + 0.05
        assert 0 < form.marginal_reliability < 1
        assert 0 < form.raw_cut < len(form.items)
        # side by side with the simulation; the warning takes the lower (decision 0041)
        assert 0.5 < form.simulated.accuracy <= 1
        assert form.decisive.accuracy == min(form.rudner.accuracy, form.simulated.accuracy)
        assert form.livingston_lewis is None
    assert session.lowest_accuracy == min(form.decisive.accuracy for form in covered)
    # the sittings' candidates were drawn from N(0, 1), the calibration's own scale
    assert session.population.persons == 150
    assert abs(session.population.mean) < 0.3
    assert 0.7 < session.population.sd < 1.3

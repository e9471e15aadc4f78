"""Linked recalibrations and releases that are equated or refused, on the real database
(decision 0043): a recalibration after an abler group sat is linked to the adopted
standard's calibration and equates their forms; a form with an item off the standard's scale
is not released, with the reason, instead of being scored on its raw percent."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import numpy as np
import pytest
from django.urls import reverse

from credence.audit.models import AuditEvent
from credence.catalog import api as catalog_api
from credence.catalog.tests.programs import automatic_release_text, load_text
from credence.exams import api as exams_api
from credence.exams.models import Sitting
from credence.exams.scoring.services import session_release, sitting_release_if_automatic
from credence.exams.statuses import AttemptStatus
from credence.items import api as items_api
from credence.psychometrics import irt, linking, selectors, services
from credence.psychometrics.models import Calibration, CalibrationStatus
from credence.psychometrics.tests.conftest import world_fixtures
from credence.psychometrics.tests.factories import START, sittings_of

# One calibration of 150 sittings for the whole module (see ``conftest.world``): every test
# runs in a savepoint of it, in any order.
pytestmark = pytest.mark.usefixtures("world")

NOW = START + timedelta(days=3)


office, calibrated = world_fixtures()


def _adopt(calibration, office):
    workshop = services.workshop_create(
        calibration=calibration,
        name="Spring panel",
        items=list(selectors.forms_seen(calibration)[0].items),
        panellists=["Ada", "Ben", "Cy"],
        rounds=1,
        acting_user=office,
        now=NOW,
    )
    services.ratings_save(
        workshop=workshop,
        round=1,
        ratings={
            (name, item): value
            for name, value in {"Ada": "0.6", "Ben": "0.65", "Cy": "0.7"}.items()
            for item in workshop.items
        },
        acting_user=office,
    )
    return services.workshop_adopt(workshop=workshop, acting_user=office, now=NOW)


def _recalibrate(office, django_capture_on_commit_callbacks, day: int) -> Calibration:
    with django_capture_on_commit_callbacks(execute=True):
        calibration = services.calibration_start(
            certification="ml-expert",
            model="rasch",
            acting_user=office,
            now=START + timedelta(days=day),
        )
    calibration.refresh_from_db()
    return calibration


@pytest.mark.django_db
def test_a_recalibration_is_linked_to_the_adopted_scale_and_equates_from_then_on(
    calibrated, office, sit_session, django_capture_on_commit_callbacks
):
    standard = _adopt(calibrated, office)
    assert calibrated.reference is None  # the first calibration sets the scale
    # an abler, narrower group sits; the concurrent recalibration's N(0, 1) is now the
    # mixture of both groups: mean 0.48, SD 1.02 on the first scale
    sit_session(100, seed=2, day=5, factory=True, ability=(1.2, 0.7))

    second = _recalibrate(office, django_capture_on_commit_callbacks, day=6)

    assert second.status == CalibrationStatus.DONE, second.error
    assert second.reference_id == calibrated.pk and second.linked, second.linking_error
    result = linking.Linking.from_json(second.linking)
    assert abs(result.B - 0.48) < 0.15 and abs(result.A - 1.02) < 0.15
    # the stored parameters are the linked ones: on the first scale the common items'
    # difficulties agree (mean difference within 0.1, about three standard errors of a mean
    # over 60 items with se_b near 0.2), where unlinked they had moved by about -0.5
    first, linked = selectors.parameters_of(calibrated), selectors.parameters_of(second)
    common = sorted(set(first.item_ids) & set(linked.item_ids))
    b_first = np.array([first.b[first.item_ids.index(i)] for i in common])
    b_linked = np.array([linked.b[linked.item_ids.index(i)] for i in common])
    unlinked = linking.transformed(linked, 1 / result.A, -result.B / result.A)
    b_unlinked = np.array([unlinked.b[unlinked.item_ids.index(i)] for i in common])
    assert abs(np.mean(b_linked - b_first)) < 0.1
    assert np.mean(b_unlinked - b_first) < -0.3
    assert AuditEvent.objects.filter(
        action="psychometrics.calibration_done", after__reference=calibrated.pk
    ).exists()

    # forms are now equated with the linked recalibration, under the same standard
    assert selectors.equating_calibration(standard) == second
    session = sit_session(2, seed=7, day=8, answers={0: 30, 1: 45})
    released, waiting, refused = session_release(
        session=session, acting_user=office, now=START + timedelta(days=9)
    )
    assert (released, waiting, refused) == (2, 0, ())
    event = AuditEvent.objects.filter(action="sitting.released").latest("pk")
    assert event.after["equated"] is True and event.after["calibration"] == second.pk
    # the θ cut means the same on the linked recalibration: its plots draw it, and the
    # decision quality of the new session's forms is judged on it
    assert selectors.plot_cut(second).theta == pytest.approx(standard.theta_cut)
    # (an item the first calibration lacks shows it reads the linked one)
    newer = str(sittings_of(session)[0].form[0]["version"])
    parameters = dict(calibrated.parameters)
    parameters["items"] = [item for item in parameters["items"] if item["id"] != newer]
    Calibration.objects.filter(pk=calibrated.pk).update(parameters=parameters)
    _standard, sessions = selectors.decision_quality("ml-expert")
    assert all(form.rudner is not None for form in sessions[-1].forms)


def _form_off_the_scale(calibrated, office, sit_session) -> tuple[list[Sitting], str, str]:
    """A session sat under an adopted standard, and an item of its first form that the
    calibration left out (as it leaves out an item everybody answered right): that form
    cannot be equated. Returns the sittings, the item's version id and its name."""
    standard = _adopt(calibrated, office)
    sittings = sittings_of(sit_session(3, seed=5, day=10))
    # Not an item of the reference form, which the standard was set on: the draw is seeded by
    # the booking, so which items the form shares with it depends on the database's keys.
    left_out = next(
        version
        for version in (str(entry["version"]) for entry in sittings[0].form)
        if version not in standard.items
    )
    parameters = dict(calibrated.parameters)
    parameters["items"] = [item for item in parameters["items"] if item["id"] != left_out]
    Calibration.objects.filter(pk=calibrated.pk).update(parameters=parameters)
    return sittings, left_out, selectors.item_names([left_out])[left_out]


def _assert_waits_unscored(sitting: Sitting) -> None:
    """Not released, no score, and its attempt still booked: it waits for the office."""
    sitting.refresh_from_db()
    assert sitting.released_at is None and sitting.score is None
    attempt = sitting.booking.attempt
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.BOOKED


@pytest.mark.django_db
def test_a_form_off_the_standards_scale_is_refused_for_release_not_scored_raw(
    calibrated, office, sit_session, client
):
    sittings, left_out, name = _form_off_the_scale(calibrated, office, sit_session)
    session = sittings[0].booking.session

    client.force_login(office)
    page = client.post(reverse("exams:release", args=[session.pk]), follow=True)

    with_item = [s for s in sittings if left_out in {str(e["version"]) for e in s.form}]
    assert with_item
    # the office is told how many results wait, and why
    text = page.content.decode()
    assert f"{len(with_item)} result" in text and "not released" in text and name in text
    released = Sitting.objects.filter(booking__session=session, released_at__isnull=False)
    assert released.count() == 3 - len(with_item)
    for sitting in with_item:
        _assert_waits_unscored(sitting)
    events = AuditEvent.objects.filter(action="sitting.release_refused")
    assert events.count() == len(with_item)
    assert all(name in event.after["why"] for event in events)
    # whatever was released is equated: no raw result sits beside the refused ones
    assert all(
        event.after["equated"] for event in AuditEvent.objects.filter(action="sitting.released")
    )


@pytest.mark.django_db
def test_automatic_release_leaves_a_form_that_cannot_be_equated_to_the_office(
    calibrated, office, sit_session
):
    sittings, _left_out, name = _form_off_the_scale(calibrated, office, sit_session)
    # the office's own program file releases results as soon as a test is submitted
    load_text(automatic_release_text())
    assert items_api.blueprint_for("ml-expert").release == "automatic"
    unequatable = sittings[0]

    released = sitting_release_if_automatic(sitting=unequatable, now=START + timedelta(days=11))

    # not released by itself, and not scored on its raw percent: it waits, with the reason
    assert released is False
    _assert_waits_unscored(unequatable)
    refused = AuditEvent.objects.get(action="sitting.release_refused")
    assert refused.subject_id == str(unequatable.pk) and name in refused.after["why"]
    assert not AuditEvent.objects.filter(action="sitting.released").exists()


def _stored(office, items: list[irt.ItemParameters], **fields) -> Calibration:
    """A finished calibration of hand-made parameters, stored directly: the page reads it."""
    return Calibration.objects.create(
        certification=catalog_api.certification_model("ml-expert"),
        evaluation=catalog_api.evaluation_model("knowledge-test"),
        model="2pl",
        status=CalibrationStatus.DONE,
        parameters=_fitted(items).to_json(),
        started_at=NOW,
        started_by=office,
        finished_at=NOW,
        **fields,
    )


def test_the_calibration_page_shows_the_link_its_constants_and_the_drifted_anchors(office, client):
    rng = np.random.default_rng(3)
    a, b = rng.lognormal(0, 0.3, 15), rng.normal(0, 1, 15)
    items = [irt.ItemParameters(f"{900 + j}", a[j], b[j], 0.1, 0.1, 1.0, 1.0) for j in range(15)]
    first = _stored(office, items)
    # the same items on a scale with θ_first = 0.8 θ + 0.5, one of them 2 harder since
    moved = [
        dataclasses.replace(item, a=item.a * 0.8, b=(item.b - 0.5) / 0.8 + (2.5 if j == 4 else 0))
        for j, item in enumerate(items)
    ]
    result = linking.link(irt.Calibration.from_json(first.parameters), _fitted(moved))
    second = _stored(office, moved, reference=first, linking=result.to_json())
    not_linked = _stored(office, moved, reference=first, linking_error="too few in common")
    client.force_login(office)

    def page(calibration: Calibration) -> str:
        url = reverse("psychometrics:calibration", args=[calibration.pk])
        return client.get(url).content.decode()

    linked = page(second)
    assert "Stocking" in linked
    assert f"{result.A:.3f}" in linked and f"{result.B:.3f}" in linked
    assert abs(result.A - 0.8) < 0.01 and abs(result.B - 0.5) < 0.01
    assert reverse("psychometrics:calibration", args=[first.pk]) in linked
    assert linked.count("drifted: dropped") == 1  # item 904, listed first
    assert linked.index("904") < linked.index("900")
    assert "The first calibration" in page(first)
    assert "too few in common" in page(not_linked)


def _fitted(items: list[irt.ItemParameters]) -> irt.Calibration:
    return irt.Calibration(
        model="2pl", converged=True, iterations=9, items=tuple(items), log_likelihood=-1.0
    )


def test_a_session_with_some_results_released_is_named_as_half_released(office, sit_session):
    session = sit_session(2, answers={0: 30, 1: 40})
    assert exams_api.sessions_part_released("ml-expert") == []
    first, _second = sittings_of(session)
    Sitting.objects.filter(pk=first.pk).update(released_at=START + timedelta(days=1))

    assert exams_api.sessions_part_released("ml-expert") == [str(session)]
    Sitting.objects.filter(booking__session=session).update(released_at=START)
    assert exams_api.sessions_part_released("ml-expert") == []

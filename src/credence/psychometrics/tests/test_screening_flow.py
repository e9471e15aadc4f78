"""Item screening and convergence through the services and the staff pages (decision 0042):
every calibrated item is screened and stored, flagged items count for nothing until the
office accepts them (audited), and a calibration that did not converge is kept but refused
for any use, saying why."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.audit.models import AuditEvent
from credence.exams import api as exams_api
from credence.psychometrics import api, calibration_services, irt, selectors, services
from credence.psychometrics.equating import equated_percent
from credence.psychometrics.models import CalibrationStatus, ItemScreening
from credence.psychometrics.tests.factories import START

NOW = START + timedelta(days=3)


@pytest.fixture
def flagged(office, sit_session, immediate_tasks, settings, django_capture_on_commit_callbacks):
    """A calibration on 70 sittings under a minimum of responses no item reaches: every
    item is flagged ("responses"), a screening known in advance whatever forms were drawn."""
    settings.CREDENCE_ITEM_MIN_RESPONSES = 1000
    sit_session(70, seed=2, factory=True)
    with django_capture_on_commit_callbacks(execute=True):
        calibration = services.calibration_start(
            certification="ml-expert", model="rasch", acting_user=office, now=NOW
        )
    calibration.refresh_from_db()
    return calibration


def _accept(calibration, item, office, reason="Seen by every candidate we had; key checked."):
    return services.calibration_item_accept(
        calibration=calibration, item=item, reason=reason, acting_user=office, now=NOW
    )


def test_flagged_items_count_for_nothing_until_accepted_with_a_reason(flagged, office):
    assert flagged.status == CalibrationStatus.DONE
    screenings = list(selectors.screenings_of(flagged))
    assert sorted(s.item for s in screenings) == sorted(flagged.item_ids)
    assert all("responses" in [flag["flag"] for flag in s.flags] for s in screenings)
    assert all(0 < s.responses < 1000 and s.point_biserial is not None for s in screenings)
    assert api.excluded_item_ids(flagged) == set(flagged.item_ids)
    done = AuditEvent.objects.get(action="psychometrics.calibration_done")
    assert sorted(done.after["flagged"]) == sorted(flagged.item_ids)

    form = selectors.forms_seen(flagged)[0].items
    accepted = form[:3]
    candidate = User.objects.create_user("cand@example.invalid", None, full_name="Cand")
    user_assign_role(user=candidate, role=Role.CANDIDATE, acting_user=None)
    with pytest.raises(PermissionError):
        _accept(flagged, accepted[0], candidate)
    with pytest.raises(services.StandardSettingError, match="Say why"):
        _accept(flagged, accepted[0], office, reason="  ")
    with pytest.raises(services.StandardSettingError, match="not in this calibration"):
        _accept(flagged, "999999", office)
    assert not ItemScreening.objects.filter(accepted_at__isnull=False).exists()

    for item in accepted:
        _accept(flagged, item, office)
    assert api.excluded_item_ids(flagged) == set(flagged.item_ids) - set(accepted)
    with pytest.raises(services.StandardSettingError, match="already accepted"):
        _accept(flagged, accepted[0], office)
    event = AuditEvent.objects.filter(action="psychometrics.item_accepted").first()
    assert event.actor == office and event.reason.startswith("Seen by every candidate")
    assert event.after == {"item": event.before["item"], "accepted": True}

    # a new workshop's reference form leaves the excluded items out ...
    workshop = services.workshop_create(
        calibration=flagged,
        name="Panel",
        items=list(form),
        panellists=["Ada", "Ben", "Cy"],
        rounds=1,
        acting_user=office,
        now=NOW,
    )
    assert workshop.items == list(accepted)
    created = AuditEvent.objects.get(action="psychometrics.workshop_created")
    assert sorted(created.after["left_out"]) == sorted(set(form) - set(accepted))
    services.ratings_save(
        workshop=workshop,
        round=1,
        ratings={(p, i): "0.6" for p in ("Ada", "Ben", "Cy") for i in workshop.items},
        acting_user=office,
    )
    services.workshop_adopt(workshop=workshop, acting_user=office, now=NOW)

    # ... and equating counts only the accepted items of a sitting's form
    # (every excluded item right, one accepted item wrong: 2 of the 3 items that count)
    shares = [Decimal(0) if item == accepted[2] else Decimal(1) for item in form]
    reference = selectors.item_parameters(flagged, list(accepted))
    assert reference is not None
    expected = equated_percent(2.0, reference, reference)
    assert Decimal(0) < expected < Decimal(100)
    equating = api.equated_score(certification="ml-expert", items=form, shares=shares)
    assert equating.decision.allowed and equating.score == expected


def test_the_page_lists_the_flags_and_accepts_an_item(client, flagged, office):
    client.force_login(office)
    page = reverse("psychometrics:calibration", args=[flagged.pk])
    html = client.get(page).content.decode()
    assert "Item screening" in html
    assert html.count("the screening needs at least 1000") == len(flagged.item_ids)
    item = flagged.item_ids[0]
    name = selectors.item_names([item])[item]
    assert f"Accept {name}" in html

    accept = reverse("psychometrics:calibration-item-accept", args=[flagged.pk])
    response = client.post(accept, {"item": item, "reason": ""}, follow=True)
    assert "Not accepted: Say why" in response.content.decode()
    response = client.post(accept, {"item": item, "reason": "Pilot item, keep"}, follow=True)
    html = response.content.decode()
    assert f"Accepted: {name} now counts on this calibration." in html
    assert "Pilot item, keep" in html and f"Accept {name}" not in html
    assert item not in api.excluded_item_ids(flagged)


def test_a_calibration_that_did_not_converge_is_kept_but_never_used(client, office, sit_session):
    sit_session(70, seed=2, factory=True)
    # queued, its task not run: this test runs the calibration itself, stopped too early
    calibration = services.calibration_start(
        certification="ml-expert", model="rasch", acting_user=office, now=NOW
    )
    sittings = exams_api.scored_sittings("ml-expert")
    matrix, items, dropped = calibration_services.response_matrix(sittings)
    fitted = irt.calibrate(matrix, items, model="rasch", max_iterations=2)
    screens = calibration_services.screen_calibration(fitted, sittings, previous={})
    calibration_services._calibration_finish(
        calibration.pk, fitted, screens, dropped, len(sittings), "", NOW
    )

    calibration.refresh_from_db()
    assert calibration.status == CalibrationStatus.UNUSABLE
    assert calibration.error.startswith("The calibration did not converge: after 2 iterations")
    assert selectors.latest_calibration("ml-expert") is None
    assert selectors.parameters_of(calibration) is None
    assert selectors.item_parameters(calibration, items[:2]) is None
    with pytest.raises(services.StandardSettingError, match="did not converge"):
        services.workshop_create(
            calibration=calibration,
            name="Panel",
            items=items[:5],
            panellists=["Ada", "Ben", "Cy"],
            rounds=1,
            acting_user=office,
            now=NOW,
        )

    client.force_login(office)
    html = client.get(reverse("psychometrics:calibration", args=[calibration.pk])).content
    assert b"not usable" in html and b"did not converge" in html
    assert b"New Angoff workshop" not in html
    plot = reverse("psychometrics:calibration-plot", args=[calibration.pk, "icc"])
    assert client.get(plot).status_code == 200  # shown, to see why

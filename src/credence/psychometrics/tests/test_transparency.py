"""The public transparency page of a certification (decision 0045): what it publishes, what it
keeps back below the minimum group, and that nothing on it names a person or an item.

One world: a session of 12 and one of 4 candidates (simulated by the factories' known Rasch
model, seeded), a calibration holding that true model, and a standard adopted from three
panellists' ratings through the services; results released through the exams service."""

from __future__ import annotations

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse

from credence.accounts.models import User
from credence.catalog.models import Certification, Evaluation
from credence.exams.models import Attempt
from credence.exams.scoring.services import session_release
from credence.items.models import ItemVersion
from credence.psychometrics import api, irt, selectors, services, transparency
from credence.psychometrics.checks import check_transparency_minimum
from credence.psychometrics.models import Calibration, CalibrationStatus
from credence.psychometrics.tests.factories import START, difficulty

# names nobody could mistake for words of the page
PANEL = ("Quillon Varga", "Ysolde Brenner", "Tamsin Okonkwo")
RATINGS = {PANEL[0]: "0.55", PANEL[1]: "0.6", PANEL[2]: "0.7"}


def _true_calibration(office: User) -> Calibration:
    """A finished Rasch calibration of the whole bank with the parameters the factories answer
    by: what a perfect calibration would find."""
    versions = ItemVersion.objects.select_related("item").order_by("pk")
    fitted = irt.Calibration(
        model="rasch",
        converged=True,
        iterations=12,
        items=tuple(
            irt.ItemParameters(
                id=str(v.pk),
                a=1.0,
                b=difficulty(v.item.name),
                se_a=None,
                se_b=0.2,
                infit=1.0,
                outfit=1.0,
            )
            for v in versions
        ),
        log_likelihood=-1000.0,
        final_change=1e-6,
        persons=200,
        responses=4000,
    )
    certification = Certification.objects.get(code="ml-expert")
    return Calibration.objects.create(
        certification=certification,
        evaluation=Evaluation.objects.get(program=certification.program, code="knowledge-test"),
        model="rasch",
        status=CalibrationStatus.DONE,
        parameters=fitted.to_json(),
        sittings=200,
        started_at=START + timedelta(days=2),
        started_by=office,
        finished_at=START + timedelta(days=2),
    )


@pytest.fixture
def world(office, sit_session):
    large = sit_session(12, seed=1, factory=True)
    small = sit_session(4, seed=2, day=1, factory=True)
    calibration = _true_calibration(office)
    workshop = services.workshop_create(
        calibration=calibration,
        name="Spring panel",
        items=list(selectors.forms_seen(calibration)[0].items),
        panellists=list(PANEL),
        rounds=1,
        acting_user=office,
        now=START + timedelta(days=3),
    )
    for name, value in RATINGS.items():
        services.ratings_save(
            workshop=workshop,
            round=1,
            ratings={(name, item): value for item in workshop.items},
            acting_user=office,
        )
    services.workshop_adopt(workshop=workshop, acting_user=office, now=START + timedelta(days=4))
    for session in (large, small):
        session_release(session=session, acting_user=office, now=START + timedelta(days=5))
    return {"large": large, "small": small}


@pytest.fixture
def page_html(world, client: Client) -> str:
    response = client.get(reverse("transparency:certification", args=["ml-expert"]))
    assert response.status_code == 200
    return response.content.decode()


def _passed(session) -> int:
    return Attempt.objects.filter(booking__session=session, status="passed").count()


def test_the_page_publishes_the_standard_the_forms_and_the_large_session(world, page_html):
    page = transparency.transparency_for("ml-expert")
    # the Angoff record: three panellists, their mean rating, the cut they set
    assert page.standard is not None
    assert page.standard.panellists == 3
    assert page.standard.mean_rating == pytest.approx((0.55 + 0.6 + 0.7) / 3)
    assert page.pass_mark == page.standard.percent_cut
    assert page.standard.raw_cut == pytest.approx(
        page.standard.mean_rating * page.standard.items, abs=0.01
    )
    angoff = page_html.split('data-testid="angoff"')[1].split("</dl>")[0]
    assert "<dd>3</dd>" in angoff and "0.617" in angoff
    # the session of twelve: its released results, pass count and forms' figures
    large = page.published[0]
    assert (large.candidates, large.passed) == (12, _passed(world["large"]))
    forms = large.forms
    assert forms is not None and (forms.forms, forms.shortest, forms.longest) == (12, 60, 60)
    assert 0.5 < forms.reliability < 1 and 0.5 < forms.accuracy <= 1
    assert forms.lowest_accuracy <= forms.accuracy and 0.5 < forms.consistency <= 1
    assert f"{large.passed} ({round(100 * large.passed / 12)} percent)" in page_html
    assert f"{forms.accuracy:.3f}" in page_html


def test_a_session_below_the_minimum_shows_no_figures(world, page_html, settings):
    page = transparency.transparency_for("ml-expert")
    assert [s.published for s in page.sessions] == [True, False]
    small = page.sessions[1]
    assert (small.candidates, small.passed, small.forms) == (None, None, None)
    assert page_html.count('data-testid="suppressed"') == 1
    assert "Fewer than 10 results: not published" in page_html
    # the overall figure counts the published sessions only, so the small one cannot be
    # found by subtraction
    assert page.candidates == 12
    assert "Over the sessions shown: 12 candidates" in page_html

    settings.CREDENCE_TRANSPARENCY_MIN_GROUP = 4
    lowered = transparency.transparency_for("ml-expert")
    assert [s.candidates for s in lowered.sessions] == [12, 4]
    assert lowered.sessions[1].passed == _passed(world["small"])


def test_no_personal_data_and_no_item_on_the_page_or_its_figures(world, page_html, client):
    svgs = [
        client.get(reverse("transparency:figure", args=["ml-expert", name])).content.decode()
        for name in transparency.FIGURES
    ]
    texts = [page_html, *svgs]
    people = User.objects.all()
    forms = selectors.forms_seen(Calibration.objects.get())
    assert people.count() > 16
    for text in texts:
        for person in people:
            assert person.email not in text
        for name in (*PANEL, "Office", "Cand"):
            assert not re.search(rf"\b{name}\b", text), name
        # neither an item's name nor a form's item ids (the bank is secret)
        for version in ItemVersion.objects.select_related("item"):
            assert version.item.name not in text
        for form in forms:
            assert "-".join(form.items) not in text and ", ".join(form.items) not in text


def test_the_figures_are_svg_and_unknown_names_or_codes_are_not_found(world, client):
    for name in transparency.FIGURES:
        response = client.get(reverse("transparency:figure", args=["ml-expert", name]))
        assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
        ElementTree.fromstring(response.content)
    missing = (
        reverse("transparency:figure", args=["ml-expert", "wright"]),
        reverse("transparency:certification", args=["no-such-thing"]),
    )
    for url in missing:
        assert client.get(url).status_code == 404


def test_the_index_links_every_certification_and_the_home_page_links_each(world, client):
    index = client.get(api.transparency_url()).content.decode()
    home = client.get("/").content.decode()
    for code in ("ml-expert", "mlops", "generative-ai"):
        assert f'href="{api.transparency_url(code)}"' in index
        assert f'href="{api.transparency_url(code)}"' in home


def test_before_any_result_or_standard_the_page_says_so(office, client):
    response = client.get(api.transparency_url("mlops"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "No results have been released yet." in text
    assert "No standard-setting panel has set this pass mark yet" in text
    page = transparency.transparency_for("mlops")
    assert page.standard is None and page.sessions == ()


def test_a_minimum_below_one_is_refused_by_the_system_check(settings):
    assert check_transparency_minimum() == []
    for bad in (0, -3):
        settings.CREDENCE_TRANSPARENCY_MIN_GROUP = bad
        [error] = check_transparency_minimum()
        assert error.id == "credence.psychometrics.E001" and str(bad) in error.msg

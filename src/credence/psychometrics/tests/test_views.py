"""Staff pages of psychometrics: who may see them, plots, the report, the Angoff workflow
through HTTP."""

from __future__ import annotations

import io
import json
import math
import re
import zipfile
from datetime import timedelta
from decimal import Decimal
from xml.etree import ElementTree

import numpy as np
import pytest
from django.urls import reverse

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.catalog import api as catalog_api
from credence.psychometrics import irt, plots, selectors, services
from credence.psychometrics.cut import cut_on_theta
from credence.psychometrics.models import AngoffRating, StandardSetting
from credence.psychometrics.tests.conftest import world_fixtures
from credence.psychometrics.tests.factories import START

# One calibration of 150 sittings for the whole module (see ``conftest.world``): every test
# runs in a savepoint of it, in any order.
pytestmark = pytest.mark.usefixtures("world")


office, calibrated = world_fixtures()


@pytest.fixture
def workshop(calibrated, office):
    return services.workshop_create(
        calibration=calibrated,
        name="Panel",
        items=list(selectors.forms_seen(calibrated)[0].items),
        panellists=["Ada", "Ben", "Cy"],
        rounds=1,
        acting_user=office,
        now=START + timedelta(days=3),
    )


def _pages(calibration, workshop) -> list[str]:
    return [
        reverse("psychometrics:index"),
        reverse("psychometrics:certification", args=["ml-expert"]),
        reverse("psychometrics:quality", args=["ml-expert"]),
        reverse("psychometrics:calibration", args=[calibration.pk]),
        reverse("psychometrics:calibration-plot", args=[calibration.pk, "icc"]),
        reverse("psychometrics:calibration-report", args=[calibration.pk]),
        reverse("psychometrics:workshop-new", args=[calibration.pk]),
        reverse("psychometrics:workshop", args=[workshop.pk]),
    ]


def test_staff_see_every_page_others_are_refused(client, calibrated, workshop, office):
    pages = _pages(calibrated, workshop)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url

    author = User.objects.create_user("author@example.invalid", None, full_name="Author")
    user_assign_role(user=author, role=Role.AUTHOR, acting_user=None)
    client.force_login(author)
    for url in pages:
        assert client.get(url).status_code == 403, url

    client.force_login(office)
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_every_plot_is_a_valid_svg(client, calibrated, office):
    client.force_login(office)
    for name in plots.PLOTS:
        response = client.get(reverse("psychometrics:calibration-plot", args=[calibrated.pk, name]))
        assert response["Content-Type"] == "image/svg+xml"
        root = ElementTree.fromstring(response.content)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    missing = client.get(reverse("psychometrics:calibration-plot", args=[calibrated.pk, "pie"]))
    assert missing.status_code == 404


def test_the_calibration_page_plots_a_chosen_form_page_by_page_with_the_cut(
    client, workshop, office
):
    for name, value in (("Ada", "0.6"), ("Ben", "0.65"), ("Cy", "0.75")):
        ratings = {(name, item): value for item in workshop.items}
        services.ratings_save(workshop=workshop, round=1, ratings=ratings, acting_user=office)
    services.workshop_adopt(workshop=workshop, acting_user=office, now=START + timedelta(days=4))
    calibration = workshop.calibration
    client.force_login(office)
    url = reverse("psychometrics:calibration", args=[calibration.pk])
    plot = reverse("psychometrics:calibration-plot", args=[calibration.pk, "icc"])

    page = client.get(url).content.decode()
    # the adopted standard's reference form is offered first and chosen, with its cut
    reference = "-".join(sorted(workshop.items, key=int))
    assert f'<option value="{reference}" selected>' in page
    assert "The dotted line is the adopted standard" in page

    # the whole bank of 63 items: four pages of 20 curves, each with the cut, every item once
    bank = client.get(url, {"form": "bank"}).content.decode()
    assert "Page 4</a>" in bank and "Page 5" not in bank
    assert f"{plot}?form=bank&amp;page=1" in bank
    drawn = []
    for number in range(1, 5):
        svg = client.get(plot, {"form": "bank", "page": number}).content.decode()
        assert 'id="cut"' in svg
        drawn += re.findall(r'id="icc-([^"]*)"', svg)
    assert sorted(drawn) == sorted(calibration.item_ids)
    complete = client.get(plot, {"form": reference, "page": "all"}).content.decode()
    assert sorted(re.findall(r'id="icc-([^"]*)"', complete)) == sorted(workshop.items)
    # a page or an item the calibration does not have
    assert client.get(plot, {"form": "bank", "page": 5}).status_code == 404
    assert client.get(plot, {"form": "999999"}).status_code == 404
    assert client.get(url, {"form": "bank", "page": "x"}).status_code == 404


def test_the_report_round_trips_its_parameters(client, calibrated, office):
    client.force_login(office)
    response = client.get(reverse("psychometrics:calibration-report", args=[calibrated.pk]))

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert names == {"PARAMS.json", "items.csv", "index.html"} | {f"{p}.svg" for p in plots.PLOTS}
    again = irt.Calibration.from_json(json.loads(archive.read("PARAMS.json")))
    assert again == irt.Calibration.from_json(calibrated.parameters)
    rows = archive.read("items.csv").decode().splitlines()
    assert rows[0].startswith("id,name,a,b")
    assert len(rows) == 1 + len(again.items)
    index = archive.read("index.html").decode()
    assert 'src="icc.svg"' in index and "<script" not in index


def test_ratings_through_the_grid_and_adoption_change_the_pass_mark(client, workshop, office):
    client.force_login(office)
    panel = {p.name: p.pk for p in workshop.panellists.all()}
    grid = {"round": "1"}
    for name, value in (("Ada", "0.7"), ("Ben", "0.75"), ("Cy", "0.8")):
        grid |= {f"r-{panel[name]}-{item}": value for item in workshop.items}

    client.post(reverse("psychometrics:workshop-ratings", args=[workshop.pk]), grid)
    page = client.get(reverse("psychometrics:workshop", args=[workshop.pk])).content.decode()
    assert "75.00 %" in page

    client.post(reverse("psychometrics:workshop-adopt", args=[workshop.pk]))

    rules = catalog_api.program_rules()
    assert rules.pass_mark("ml-expert", "knowledge-test") == Decimal("75.00")
    assert StandardSetting.objects.get().adopted_by == office


def test_a_bad_upload_says_why_and_stores_nothing(client, workshop, office):
    client.force_login(office)
    sheet = io.BytesIO(b"panellist," + workshop.items[0].encode() + b"\nAda,2\n")
    sheet.name = "ratings.csv"

    response = client.post(
        reverse("psychometrics:workshop-upload", args=[workshop.pk]),
        {"round": "1", "sheet": sheet},
        follow=True,
    )

    assert "Nothing was saved" in response.content.decode()
    assert not AngoffRating.objects.exists()


def test_the_quality_page_warns_below_the_required_accuracy(client, workshop, office, settings):
    for name, value in (("Ada", "0.6"), ("Ben", "0.65"), ("Cy", "0.75")):
        services.ratings_save(
            workshop=workshop,
            round=1,
            ratings={(name, item): value for item in workshop.items},
            acting_user=office,
        )
    client.force_login(office)
    # the θ cut comes with its standard error (decision 0046): the panel's SE_raw, from
    # cuts of 0.6, 0.65 and 0.75 of the form, carried through the form's curve
    n = len(workshop.items)
    raw_error = float(np.std([0.6, 0.65, 0.75], ddof=1)) * n / math.sqrt(3)
    parameters = selectors.item_parameters(workshop.calibration, workshop.items)
    theta = cut_on_theta(n * 2 / 3, raw_error, *parameters)
    page = client.get(reverse("psychometrics:workshop", args=[workshop.pk])).content.decode()
    assert f"SE {theta.standard_error:.2f}; one SE either side" in page
    adopted = services.workshop_adopt(
        workshop=workshop, acting_user=office, now=START + timedelta(days=4)
    )
    assert adopted.record["theta_cut_se"] == pytest.approx(theta.standard_error)
    assert adopted.record["theta_cut_low"] < adopted.theta_cut < adopted.record["theta_cut_high"]
    # a standard adopted before the error was recorded gets it from its panel record
    for key in ("theta_cut_se", "theta_cut_low", "theta_cut_high"):
        del adopted.record[key]
    recomputed = selectors.standard_cut(adopted)
    assert recomputed is not None
    assert recomputed.standard_error == pytest.approx(theta.standard_error)
    assert (recomputed.low, recomputed.high) == pytest.approx((theta.low, theta.high))
    url = reverse("psychometrics:quality", args=["ml-expert"])

    settings.CREDENCE_DECISION_ACCURACY_MIN = 0.5
    page = client.get(url).content.decode()
    assert "below the required level" not in page
    assert f"{theta.theta:.2f}</span> (SE {theta.standard_error:.2f}" in page
    # both figures side by side, for the session's own candidates (decision 0041)
    assert "Accuracy (Rudner)" in page and "Accuracy (simulation)" in page
    assert "Accuracy the warning uses" in page
    assert "candidates' ability: mean" in page
    settings.CREDENCE_DECISION_ACCURACY_MIN = 0.999
    assert "below the required level" in client.get(url).content.decode()

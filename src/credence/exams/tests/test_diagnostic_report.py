"""The diagnostic score report (decision 0044) over released results of known figures
(diagnostic_data.py): the page, the PDF read back, the data export, the links to it, and who
may read it."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.formats import date_format
from pypdf import PdfReader

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.core.dates import add_months
from credence.exams.models import ExamSession, Sitting
from credence.exams.reports.policy import Standing
from credence.exams.reports.selectors import diagnostic_report
from credence.exams.tests.diagnostic_data import _result, released_world
from credence.privacy.services import user_export


@pytest.fixture
def world(db):
    call_command("program", "load", verbosity=0)
    return released_world()


@pytest.fixture
def office(db):
    user = User.objects.create_user("office@example.invalid", "x" * 12, full_name="Olivia")
    user_assign_role(user=user, role=Role.STAFF, acting_user=None)
    return user


def _url(world, name="exams:diagnostic"):
    return reverse(name, args=[world.sitting.pk])


def test_each_reliable_domain_is_placed_and_the_unreliable_one_cannot_tell(world):
    report = diagnostic_report(world.sitting)
    by_topic = {d.report.topic: d.report for d in report.domains}

    assert [d.name for d in report.domains] == [
        "Supervised learning",
        "Model evaluation and validation",
        "Model deployment and serving",
    ]
    assert {t: d.standing for t, d in by_topic.items()} == {
        "supervised-learning": Standing.BELOW,
        "model-evaluation": Standing.NEAR,
        "model-deployment": Standing.CANNOT_TELL,
    }
    assert by_topic["supervised-learning"].reliability == pytest.approx(0.883, abs=0.001)
    assert by_topic["model-deployment"].reliability == 0  # KR-21 under 0, reported as none
    assert all(d.group == world.group for d in by_topic.values())
    assert (report.total, report.cut, report.passed) == (55, 70, False)


def test_the_weakest_domains_get_their_resources_or_the_certifications(world):
    weak = diagnostic_report(world.sitting).weakest

    assert [(w.name, [r.title for r in w.resources]) for w in weak] == [
        ("Supervised learning", ["Supervised learning, worked through"]),
        ("Model deployment and serving", ["ML Expert preparation course"]),
    ]


def test_a_result_released_later_does_not_change_a_released_report(world):
    later = world.sitting.released_at + timedelta(days=1)
    _result(
        User.objects.create_user("late@example.invalid", "x" * 12),
        ExamSession.objects.get(),
        {"supervised-learning": 0, "model-evaluation": 0, "model-deployment": 100},
        later,
        User.objects.get(email="group-proctor@example.invalid"),
    )

    assert {d.report.group for d in diagnostic_report(world.sitting).domains} == {world.group}


def test_the_page_shows_standing_band_retake_and_resources(world, client):
    client.force_login(world.ada)
    page = client.get(_url(world)).content.decode()

    earliest = add_months(world.released_on, 1)
    assert 'data-standing="below"' in page and "below the standard" in page
    assert "29.8 to 51.2 %" in page  # 8 of 20 at one standard error
    assert "cannot tell" in page and "not reliable enough" in page
    assert "Rule R2" in page and date_format(earliest, "DATE_FORMAT") in page
    assert "Supervised learning, worked through" in page
    assert reverse("exams:diagnostic-pdf", args=[world.sitting.pk]) in page
    assert reverse("learning:my-path") in page


def test_a_passed_result_has_no_retake_advice(world, client):
    passed = _result(
        world.ada,
        ExamSession.objects.get(),
        {"supervised-learning": 90, "model-evaluation": 90, "model-deployment": 90},
        world.sitting.released_at,
        User.objects.get(email="group-proctor@example.invalid"),
    )
    client.force_login(world.ada)
    page = client.get(reverse("exams:diagnostic", args=[passed.pk])).content.decode()

    assert "Passed" in page
    assert "Your next attempt" not in page and "Rule R2" not in page


def test_the_pdf_reads_back_with_the_same_figures(world, client):
    client.force_login(world.ada)
    response = client.get(_url(world, "exams:diagnostic-pdf"))

    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in (
        "Diagnostic score report",
        "Ada Lovelace",
        "below the standard",
        "near the standard",
        "cannot tell",
        "29.8 to 51.2 %",
        "Rule R2",
        "Supervised learning, worked through",
        "ML Expert preparation course",
    ):
        assert expected in text, expected


def test_the_data_export_carries_the_report(world):
    archive = zipfile.ZipFile(io.BytesIO(user_export(user=world.ada, acting_user=world.ada)))
    held_on = world.sitting.booking.attempt.held_on

    name = f"score-reports/ml-expert-{held_on.isoformat()}-{world.sitting.pk}.pdf"
    assert name in archive.namelist()
    text = PdfReader(io.BytesIO(archive.read(name))).pages[0].extract_text()
    assert "Ada Lovelace" in text


def test_the_path_and_the_score_report_link_to_it(world, client):
    client.force_login(world.ada)

    assert _url(world) in client.get(reverse("learning:my-path")).content.decode()
    report = client.get(reverse("exams:report", args=[world.sitting.pk])).content.decode()
    assert _url(world) in report


def test_the_office_reads_it_other_candidates_do_not_know_it_exists(world, office, client):
    client.force_login(office)
    page = client.get(_url(world)).content.decode()
    assert "Ada Lovelace" in page
    assert "Back to my path" not in page  # the office has no path of Ada's to go back to

    client.force_login(User.objects.get(email="group-1@example.invalid"))
    assert client.get(_url(world)).status_code == 404
    assert client.get(_url(world, "exams:diagnostic-pdf")).status_code == 404


def test_the_office_finds_it_on_the_sessions_console(world, office, client):
    client.force_login(office)
    console = reverse("exams:console", args=[world.sitting.booking.session_id])

    assert _url(world) in client.get(console).content.decode()


def test_before_the_release_there_is_no_report_for_anyone(world, office, client):
    Sitting.objects.filter(pk=world.sitting.pk).update(released_at=None)

    for user in (world.ada, office):
        client.force_login(user)
        assert client.get(_url(world)).status_code == 404
        assert client.get(_url(world, "exams:diagnostic-pdf")).status_code == 404

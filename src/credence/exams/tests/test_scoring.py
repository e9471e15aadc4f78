"""Scores, essay marks and the release of results (R4), and the score report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from hypothesis import given
from hypothesis import strategies as st

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.catalog.models import Certification
from credence.catalog.tests.programs import automatic_release_text, load_text
from credence.exams.delivery.selectors import shown_item
from credence.exams.delivery.services import (
    response_save,
    session_close,
    session_open,
    sitting_check_in,
    sitting_start,
)
from credence.exams.scoring.policy import ItemOutcome, score
from credence.exams.scoring.selectors import sitting_score
from credence.exams.scoring.services import (
    MarkingError,
    response_mark,
    session_release,
)
from credence.exams.sessions.services import session_book, session_create, session_publish
from credence.exams.statuses import AttemptStatus
from credence.items.gift import parse_gift
from credence.items.models import ItemVersion
from credence.items.services import items_import

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@given(st.lists(st.tuples(st.sampled_from("abc"), st.decimals(0, 1, places=2)), min_size=1))
def test_the_percent_is_the_mean_share_and_each_topic_likewise(pairs):
    result = score([ItemOutcome(topic, share) for topic, share in pairs])

    assert Decimal(0) <= result.percent <= Decimal(100)
    expected = sum(share for _, share in pairs) * 100 / len(pairs)
    assert abs(result.percent - expected) <= Decimal("0.005")
    assert set(result.by_topic) == {topic for topic, _ in pairs}
    assert result.unmarked == 0


def test_unmarked_essays_are_counted():
    result = score([ItemOutcome("a", Decimal(1)), ItemOutcome("a", None)])

    assert (result.percent, result.unmarked) == (Decimal("50.00"), 1)


@pytest.fixture
def proctor(office_with_bank):
    user = User.objects.create_user("proctor@example.invalid", "x" * 12, full_name="Proctor")
    user_assign_role(user=user, role=Role.PROCTOR, acting_user=None)
    user_assign_role(user=user, role=Role.AUTHOR, acting_user=None)
    return user


@pytest.fixture
def sat(office_with_bank, proctor):
    """A candidate who answered the first 45 items right and the rest wrong."""
    session = session_create(
        certifications=["ml-expert"],
        venue="HPI",
        starts_at=START,
        duration_minutes=120,
        capacity=5,
        booking_deadline=START - timedelta(days=7),
        proctors=[proctor],
        acting_user=office_with_bank,
    )
    session_publish(session=session, acting_user=office_with_bank, now=START - timedelta(days=30))
    candidate = User.objects.create_user("cand@example.invalid", "x" * 12, full_name="Cand")
    booking = session_book(
        session=session,
        candidate=candidate,
        certification="ml-expert",
        acting_user=candidate,
        now=START - timedelta(days=10),
    )
    session_open(session=session, acting_user=proctor, now=START)
    sitting = sitting_check_in(booking=booking, acting_user=proctor, now=START)
    sitting_start(sitting=sitting, candidate=candidate, now=START)
    for position in range(60):
        options = shown_item(sitting, position).options
        wanted = "right" if position < 45 else "wrong"
        choice = next(o.index for o in options if o.text == wanted)
        response_save(
            sitting_id=sitting.pk,
            candidate=candidate,
            position=position,
            answer={"choice": choice},
            flagged=False,
            now=START + timedelta(seconds=position),
        )
    session_close(session=session, acting_user=proctor, now=START + timedelta(hours=2))
    sitting.refresh_from_db()
    return sitting


def test_release_records_the_result_by_r4_and_the_report_shows_it(sat, office_with_bank, client):
    assert sitting_score(sat).percent == Decimal("75.00")

    released = session_release(
        session=sat.booking.session, acting_user=office_with_bank, now=START + timedelta(days=1)
    )

    assert released == (1, 0, ())
    sat.refresh_from_db()
    attempt = sat.booking.attempt
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score) == (AttemptStatus.PASSED, Decimal("75.00"))
    assert attempt.released_on.isoformat() == "2026-03-03"
    assert sum(Decimal(v) for v in sat.topic_scores.values()) / 3 == Decimal(75)
    client.force_login(attempt.candidate)
    page = client.get(reverse("exams:report", args=[sat.pk])).content.decode()
    assert "75.00 %" in page
    assert "Passed" in page
    assert "Model evaluation and validation" in page


def test_the_report_waits_for_the_release(sat, client):
    client.force_login(sat.booking.attempt.candidate)

    assert client.get(reverse("exams:report", args=[sat.pk])).status_code == 404


def test_essays_hold_the_release_until_an_author_marks_them(office_with_bank, proctor):
    items_import(
        certification=Certification.objects.get(code="ml-expert"),
        items=parse_gift("// [tag:model-evaluation]\n::why:: Explain overfitting. {}\n"),
        acting_user=None,
    )
    # build a sitting whose form holds the essay by forcing it into a small form
    session = session_create(
        certifications=["ml-expert"],
        venue="HPI",
        starts_at=START,
        duration_minutes=120,
        capacity=5,
        booking_deadline=START - timedelta(days=7),
        proctors=[proctor],
        acting_user=office_with_bank,
    )
    session_publish(session=session, acting_user=office_with_bank, now=START - timedelta(days=30))
    candidate = User.objects.create_user("cand@example.invalid", "x" * 12, full_name="Cand")
    booking = session_book(
        session=session,
        candidate=candidate,
        certification="ml-expert",
        acting_user=candidate,
        now=START - timedelta(days=10),
    )
    session_open(session=session, acting_user=proctor, now=START)
    sitting = sitting_check_in(booking=booking, acting_user=proctor, now=START)
    essay = ItemVersion.objects.get(item__name="why")
    sitting.form[0] = {
        "item": essay.item_id,
        "version": essay.pk,
        "topic": "model-evaluation",
        "options": [],
    }
    sitting.save()
    sitting_start(sitting=sitting, candidate=candidate, now=START)
    response = response_save(
        sitting_id=sitting.pk,
        candidate=candidate,
        position=0,
        answer={"text": "It fits noise."},
        flagged=False,
        now=START + timedelta(minutes=1),
    )
    session_close(session=session, acting_user=proctor, now=START + timedelta(hours=2))

    assert session_release(session=session, acting_user=office_with_bank, now=START) == (0, 1, ())
    with pytest.raises(MarkingError):
        response_mark(response=response, share=Decimal(2), acting_user=proctor)
    response_mark(response=response, share=Decimal("0.5"), acting_user=proctor)
    assert session_release(session=session, acting_user=office_with_bank, now=START) == (1, 0, ())
    sitting.refresh_from_db()
    assert sitting.score == Decimal("0.83")  # half of one item of 60
    with pytest.raises(MarkingError):
        response_mark(response=response, share=Decimal(1), acting_user=proctor)


def test_automatic_release_when_the_loaded_program_says_so(office_with_bank, proctor):
    # a program file of the office's own, loaded: the program in force (decision 0031)
    load_text(automatic_release_text())
    session = session_create(
        certifications=["ml-expert"],
        venue="HPI",
        starts_at=START,
        duration_minutes=120,
        capacity=5,
        booking_deadline=START - timedelta(days=7),
        proctors=[proctor],
        acting_user=office_with_bank,
    )
    session_publish(session=session, acting_user=office_with_bank, now=START - timedelta(days=30))
    candidate = User.objects.create_user("cand@example.invalid", "x" * 12, full_name="Cand")
    booking = session_book(
        session=session,
        candidate=candidate,
        certification="ml-expert",
        acting_user=candidate,
        now=START - timedelta(days=10),
    )
    session_open(session=session, acting_user=proctor, now=START)
    sitting = sitting_check_in(booking=booking, acting_user=proctor, now=START)
    sitting_start(sitting=sitting, candidate=candidate, now=START)

    session_close(session=session, acting_user=proctor, now=START + timedelta(hours=2))

    booking.attempt.refresh_from_db()
    assert booking.attempt.status == AttemptStatus.FAILED  # nothing answered: 0 %
    assert booking.attempt.score == Decimal("0.00")


def test_authors_see_item_statistics_without_names(sat, proctor, client):
    client.force_login(proctor)  # also an author

    page = client.get(reverse("exams:statistics", args=[sat.booking.session.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "(ML Expert)</h2>" in text  # the certification's name, not its code
    assert "1 candidate" in text
    assert "Cand" not in text
    assert "right: 1" in text
    client.force_login(sat.booking.attempt.candidate)
    assert client.get(reverse("exams:statistics", args=[sat.booking.session.pk])).status_code == 403


# -- results that find the candidate (issue 19, item 2) ----------------------------------------


def test_the_path_awaits_the_result_then_links_the_score_report(sat, office_with_bank, client):
    candidate = sat.booking.attempt.candidate
    client.force_login(candidate)
    report = reverse("exams:report", args=[sat.pk])

    waiting = client.get(reverse("learning:my-path")).content.decode()

    step = next(
        s
        for cp in client.get(reverse("learning:my-path")).context["my"].path.certifications
        if cp.certification.code == "ml-expert"
        for s in cp.steps
        if s.evaluation.code == "knowledge-test"
    )
    assert step.state == "awaiting"
    assert "Awaiting results" in waiting
    assert "You took this test on March 2, 2026 (attempt 1 of 3)" in waiting
    assert report not in waiting
    german = client.get(reverse("learning:my-path"), HTTP_ACCEPT_LANGUAGE="de")
    assert "Ergebnis ausstehend" in german.content.decode()
    # the candidate's sessions say the same, and offer no cancelling of a handed-in test
    sessions = client.get(reverse("exams:sessions")).content.decode()
    assert '<span class="badge badge-awaiting">Awaiting results</span>' in sessions
    assert reverse("exams:cancel", args=[sat.booking.pk]) not in sessions

    session_release(
        session=sat.booking.session, acting_user=office_with_bank, now=START + timedelta(days=1)
    )
    released = client.get(reverse("learning:my-path")).content.decode()

    assert "Awaiting results" not in released
    assert f'href="{report}"' in released
    assert "(released on March 3, 2026)" in released
    page = client.get(report).content.decode()
    assert "Released on</dt>\n  <dd>March 3, 2026</dd>" in page


def test_the_office_releases_from_its_session_list_and_the_action_goes_once_done(
    sat, office_with_bank, client
):
    session = sat.booking.session
    manage, console = reverse("exams:manage"), reverse("exams:console", args=[session.pk])
    release = reverse("exams:release", args=[session.pk])
    client.force_login(office_with_bank)

    listed = client.get(manage).content.decode()
    assert f'action="{release}"' in listed
    assert "1 handed-in test awaits the release of its result." in listed
    assert f'href="{console}"' in listed
    assert "Release the results" in client.get(console).content.decode()

    response = client.post(release, {"next": manage})

    assert response.status_code == 302 and response.url == manage
    sat.refresh_from_db()
    assert sat.released_at is not None
    listed = client.get(manage).content.decode()
    today = date_format(timezone.localdate(sat.released_at), "DATE_FORMAT")
    assert f'action="{release}"' not in listed
    assert f"Results released on {today}." in listed
    shown = client.get(console).content.decode()
    assert "Release the results" not in shown
    assert f"Results released on {today}." in shown


def test_the_release_goes_back_only_to_this_site(sat, office_with_bank, client):
    session = sat.booking.session
    client.force_login(office_with_bank)

    response = client.post(
        reverse("exams:release", args=[session.pk]), {"next": "https://elsewhere.example/"}
    )

    assert response.url == reverse("exams:console", args=[session.pk])

"""The proctor console and the candidate's test page through the test client."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.exams.delivery.selectors import shown_item
from credence.exams.models import Sitting
from credence.exams.sessions.services import session_book, session_create, session_publish


@pytest.fixture
def proctor(office_with_bank):
    user = User.objects.create_user("proctor@example.invalid", "x" * 12, full_name="Proctor")
    user_assign_role(user=user, role=Role.PROCTOR, acting_user=None)
    return user


@pytest.fixture
def booking(office_with_bank, proctor):
    start = timezone.now() + timedelta(minutes=5)
    session = session_create(
        certifications=["ml-expert"],
        venue="HPI",
        starts_at=start,
        duration_minutes=120,
        capacity=5,
        booking_deadline=start - timedelta(minutes=1),
        proctors=[proctor],
        acting_user=office_with_bank,
    )
    session_publish(session=session, acting_user=office_with_bank, now=timezone.now())
    candidate = User.objects.create_user("cand@example.invalid", "x" * 12, full_name="Cand")
    return session_book(
        session=session, candidate=candidate, certification="ml-expert", acting_user=candidate
    )


def test_a_proctor_runs_the_session_and_a_candidate_answers(client, proctor, booking):
    session = booking.session
    client.force_login(proctor)
    assert client.get(reverse("exams:console-list")).status_code == 200
    client.post(reverse("exams:session-action", args=[session.pk, "open"]))
    client.post(reverse("exams:check-in", args=[booking.pk]))
    sitting = Sitting.objects.get()
    client.post(
        reverse("exams:sitting-action", args=[sitting.pk, "extend"]),
        {"minutes": "15", "reason": "approved accommodation"},
    )
    live = client.get(reverse("exams:console", args=[session.pk]), HTTP_HX_REQUEST="true")
    assert "0 / 60" in live.content.decode()
    assert "+15 min extra" in live.content.decode()

    client.force_login(booking.attempt.candidate)
    page = client.get(reverse("exams:test", args=[sitting.pk])).content.decode()
    assert "Item 1 of 60" in page
    item = shown_item(sitting, 0)
    right = next(o.index for o in item.options if o.text == "right")
    saved = client.post(
        reverse("exams:test-answer", args=[sitting.pk]),
        {"position": "0", "choice": str(right), "flagged": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert "Saved at" in saved.content.decode()
    # a reload shows the saved answer and the flag
    again = client.get(reverse("exams:test", args=[sitting.pk]) + "?item=0").content.decode()
    assert f'value="{right}" checked' in again
    assert 'id="flagged" checked' in again

    client.force_login(proctor)
    live = client.get(reverse("exams:console", args=[session.pk]), HTTP_HX_REQUEST="true")
    assert "1 / 60" in live.content.decode()
    assert "right" not in live.content.decode()  # counts, never answers


def test_the_page_never_sends_keys_or_feedback(client, proctor, booking):
    client.force_login(proctor)
    client.post(reverse("exams:session-action", args=[booking.session.pk, "open"]))
    client.post(reverse("exams:check-in", args=[booking.pk]))
    sitting = Sitting.objects.get()
    client.force_login(booking.attempt.candidate)

    pages = [
        client.get(reverse("exams:test", args=[sitting.pk]) + f"?item={n}").content.decode()
        for n in range(5)
    ]

    for page in pages:
        assert "fine" not in page  # the right answer's feedback
        assert "fraction" not in page
        assert json.dumps(sitting.form) not in page


def test_answers_after_the_deadline_are_refused_with_a_message(client, proctor, booking):
    client.force_login(proctor)
    client.post(reverse("exams:session-action", args=[booking.session.pk, "open"]))
    client.post(reverse("exams:check-in", args=[booking.pk]))
    sitting = Sitting.objects.get()
    sitting.started_at = timezone.now() - timedelta(minutes=91)
    sitting.save()
    client.force_login(booking.attempt.candidate)

    response = client.post(
        reverse("exams:test-answer", args=[sitting.pk]),
        {"position": "0", "choice": "0"},
        HTTP_HX_REQUEST="true",
    )

    assert "Your test is submitted" in response.content.decode()
    assert not sitting.responses.exists()
    sitting.refresh_from_db()
    assert sitting.submitted_by_server


def test_another_candidates_test_is_not_found(client, proctor, booking):
    client.force_login(proctor)
    client.post(reverse("exams:session-action", args=[booking.session.pk, "open"]))
    client.post(reverse("exams:check-in", args=[booking.pk]))
    other = User.objects.create_user("other@example.invalid", "x" * 12, full_name="Other")
    client.force_login(other)

    assert client.get(reverse("exams:test", args=[Sitting.objects.get().pk])).status_code == 404
    assert client.get(reverse("exams:console-list")).status_code == 403


@pytest.fixture
def stranger(office_with_bank):
    """A proctor, but not of this session."""
    user = User.objects.create_user("stranger@example.invalid", "x" * 12, full_name="Stranger")
    user_assign_role(user=user, role=Role.PROCTOR, acting_user=None)
    return user


def test_a_proctor_sees_and_runs_only_the_sessions_they_proctor(client, proctor, stranger, booking):
    session = booking.session
    client.force_login(stranger)

    assert session.venue not in client.get(reverse("exams:console-list")).content.decode()
    assert client.get(reverse("exams:console", args=[session.pk])).status_code == 403
    assert (
        client.post(reverse("exams:session-action", args=[session.pk, "open"])).status_code == 403
    )
    assert client.post(reverse("exams:check-in", args=[booking.pk])).status_code == 404
    session.refresh_from_db()
    assert session.opened_at is None and not Sitting.objects.exists()

    client.force_login(proctor)
    assert session.venue in client.get(reverse("exams:console-list")).content.decode()


def test_the_service_refuses_a_proctor_of_another_session(stranger, booking):
    from credence.exams.delivery.services import session_open

    with pytest.raises(PermissionError):
        session_open(session=booking.session, acting_user=stranger, now=timezone.now())


def test_only_proctors_can_be_assigned_to_a_session(office_with_bank):
    from django.core.exceptions import ValidationError

    candidate = User.objects.create_user("c@example.invalid", "x" * 12, full_name="C")
    start = timezone.now() + timedelta(days=3)
    with pytest.raises(ValidationError) as refused:
        session_create(
            certifications=["ml-expert"],
            venue="HPI",
            starts_at=start,
            duration_minutes=60,
            capacity=5,
            booking_deadline=start - timedelta(days=1),
            proctors=[candidate],
            acting_user=office_with_bank,
        )
    assert "proctors" in refused.value.message_dict


def test_another_candidates_test_and_report_do_not_exist_for_you(client, proctor, booking):
    from credence.exams.delivery.services import session_open, sitting_check_in

    now = timezone.now()
    session_open(session=booking.session, acting_user=proctor, now=now)
    sitting = sitting_check_in(booking=booking, acting_user=proctor, now=now)
    other = User.objects.create_user("other@example.invalid", "x" * 12, full_name="Other")
    client.force_login(other)

    assert client.get(reverse("exams:test", args=[sitting.pk])).status_code == 404
    assert client.get(reverse("exams:report", args=[sitting.pk])).status_code == 404
    assert client.get(reverse("exams:calendar", args=[booking.pk])).status_code == 404


def started(proctor, booking) -> Sitting:
    from credence.exams.delivery.services import session_open, sitting_check_in, sitting_start

    now = timezone.now()
    session_open(session=booking.session, acting_user=proctor, now=now)
    sitting = sitting_check_in(booking=booking, acting_user=proctor, now=now)
    return sitting_start(sitting=sitting, candidate=booking.attempt.candidate, now=now)


def right_option(sitting: Sitting, position: int) -> int:
    return next(o.index for o in shown_item(sitting, position).options if o.text == "right")


def test_an_autosave_reads_the_sitting_once_locked_and_writes_the_answer_once(
    client, proctor, booking
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sitting = started(proctor, booking)
    client.force_login(booking.attempt.candidate)
    url = reverse("exams:test-answer", args=[sitting.pk])
    # the first request after signing in notes the session's activity (a write of its own)
    client.post(url, {"position": "0", "choice": "0"}, HTTP_HX_REQUEST="true")
    right = right_option(sitting, 1)

    with CaptureQueriesContext(connection) as captured:
        saved = client.post(url, {"position": "1", "choice": str(right)}, HTTP_HX_REQUEST="true")

    assert "Saved at" in saved.content.decode()
    statements = [
        q["sql"]
        for q in captured.captured_queries
        # the transaction's own (a savepoint inside the test's transaction)
        if q["sql"] not in ("BEGIN", "COMMIT") and "SAVEPOINT" not in q["sql"]
    ]
    # the session, the user, the sitting (locked, with whose test it is), the item version's
    # content, the answer's upsert, the candidate's place in the form
    assert len(statements) <= 6, statements
    reads_of_the_sitting = [s for s in statements if s.startswith('SELECT "exams_sitting"')]
    assert len(reads_of_the_sitting) == 1
    if connection.vendor == "postgresql":
        assert reads_of_the_sitting[0].endswith('FOR UPDATE OF "exams_sitting"')
    assert [s for s in statements if "items_itemversion" in s] == [
        s
        for s in statements
        if s.startswith('SELECT "items_itemversion"."content" AS "content" FROM')
    ]
    saved_answer = sitting.responses.get(position=1)
    assert (saved_answer.answer, saved_answer.version_id) == (
        {"choice": right},
        sitting.form[1]["version"],
    )


def test_another_candidates_or_no_sitting_takes_no_answer(client, proctor, booking):
    sitting = started(proctor, booking)
    other = User.objects.create_user("other@example.invalid", "x" * 12, full_name="Other")
    client.force_login(other)

    for pk in (sitting.pk, sitting.pk + 1000):
        response = client.post(
            reverse("exams:test-answer", args=[pk]),
            {"position": "0", "choice": "0"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 404
    assert not sitting.responses.exists()


@pytest.mark.parametrize("position", ["60", "-1", "x", ""])
def test_an_answer_to_no_item_of_the_form_is_refused(client, proctor, booking, position):
    sitting = started(proctor, booking)
    client.force_login(booking.attempt.candidate)

    response = client.post(
        reverse("exams:test-answer", args=[sitting.pk]),
        {"position": position, "choice": "0"},
        HTTP_HX_REQUEST="true",
    )

    assert "There is no such item in your test." in response.content.decode()
    assert not sitting.responses.exists()


def test_without_javascript_a_save_goes_to_the_next_item_and_a_refusal_stays(
    client, proctor, booking
):
    sitting = started(proctor, booking)
    client.force_login(booking.attempt.candidate)
    url = reverse("exams:test-answer", args=[sitting.pk])
    page = reverse("exams:test", args=[sitting.pk])

    saved = client.post(url, {"position": "59", "choice": "0", "go": "next"})
    refused = client.post(url, {"position": "3", "choice": "9"})

    assert saved.url == f"{page}?item=59"  # the last item has no next one
    assert refused.url == f"{page}?item=3"
    assert list(sitting.responses.values_list("position", flat=True)) == [59]
    sitting.refresh_from_db()
    assert sitting.position == 59


def words(html: str) -> str:
    """The text of ``html`` as one line: tags out, runs of white space as one space."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_an_acknowledged_autosave_brings_the_items_cell_for_the_navigator(client, proctor, booking):
    sitting = started(proctor, booking)
    client.force_login(booking.attempt.candidate)
    url = reverse("exams:test-answer", args=[sitting.pk])

    answered = client.post(
        url, {"position": "4", "choice": str(right_option(sitting, 4))}, HTTP_HX_REQUEST="true"
    ).content.decode()
    flagged = client.post(url, {"position": "7", "flagged": "on"}, HTTP_HX_REQUEST="true")
    refused = client.post(url, {"position": "3", "choice": "9"}, HTTP_HX_REQUEST="true")

    assert '<li id="nav-item-4" class="nav-cell" hx-swap-oob="true">' in answered
    assert "is-answered" in answered and "5 answered" in words(answered)
    flagged_cell = flagged.content.decode()
    assert 'id="nav-item-7"' in flagged_cell and "is-flagged" in flagged_cell
    assert "8 not answered, flagged" in words(flagged_cell)
    assert "nav-item" not in refused.content.decode()  # nothing the server does not hold


def test_the_review_step_lists_unanswered_and_flagged_items_without_javascript(
    client, proctor, booking
):
    sitting = started(proctor, booking)
    client.force_login(booking.attempt.candidate)
    url = reverse("exams:test-answer", args=[sitting.pk])
    test_page = reverse("exams:test", args=[sitting.pk])
    for position in range(58):
        client.post(url, {"position": str(position), "choice": "0"})
    # the last item's flag, saved on the way to the review step (the Save buttons' form)
    to_review = client.post(url, {"position": "59", "flagged": "on", "go": "review"})
    assert to_review.url == reverse("exams:test-review", args=[sitting.pk])

    page = " ".join(client.get(to_review.url).content.decode().split())

    assert "you answered 58 of 60 items." in page
    assert "2 items not answered" in page and "1 item flagged" in page
    assert f'href="{test_page}?item=58"' in page and f'href="{test_page}?item=59"' in page
    assert f'href="{test_page}?item=57"' not in page
    assert "2 items are still unanswered and will score no points." in page
    assert f'action="{reverse("exams:test-submit", args=[sitting.pk])}"' in page
    # the test page itself has no button that submits, only the way to this step
    take = client.get(test_page).content.decode()
    assert "exams:test-submit" not in take and "Submit my test" not in take
    assert 'value="review"' in take


def test_the_server_renders_the_warning_the_clock_has_reached(client, proctor, booking):
    sitting = started(proctor, booking)
    client.force_login(booking.attempt.candidate)
    page = reverse("exams:test", args=[sitting.pk])
    limit = timedelta(minutes=sitting.time_limit_minutes)

    calm = client.get(page).content.decode()
    Sitting.objects.filter(pk=sitting.pk).update(
        started_at=timezone.now() - limit + timedelta(minutes=9)
    )
    ten = client.get(page).content.decode()
    Sitting.objects.filter(pk=sitting.pk).update(
        started_at=timezone.now() - limit + timedelta(seconds=90)
    )
    two = client.get(reverse("exams:test-review", args=[sitting.pk])).content.decode()

    assert "countdown-warning" not in calm and "90 min" in calm
    assert "countdown-warning-10" in ten and "10 minutes left." in ten
    assert "countdown-warning-2" in two and "2 minutes left." in two


def test_the_test_page_and_the_review_step_read_the_same_however_many_items_are_answered(
    client, proctor, booking
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sitting = started(proctor, booking)
    client.force_login(booking.attempt.candidate)
    url = reverse("exams:test-answer", args=[sitting.pk])
    pages = [
        reverse("exams:test", args=[sitting.pk]),
        reverse("exams:test-review", args=[sitting.pk]),
    ]

    def statements() -> list[int]:
        counts = []
        for page in pages:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(page).status_code == 200
            counts.append(len(captured.captured_queries))
        return counts

    client.post(url, {"position": "0", "choice": "0"})
    with_one = statements()
    for position in range(1, 40):
        client.post(url, {"position": str(position), "choice": "0"})
    assert statements() == with_one

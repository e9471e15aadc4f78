"""Who may see and act on sessions, bookings and sittings (docs/permissions.md).

A candidate sees their own bookings and sittings; a proctor runs only the sessions they are
assigned to; the program office does everything. Authors mark and read item statistics by
role (exams/scoring/views.py): those pages are blind, with no names and no money."""

from __future__ import annotations

import rules
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from credence.accounts.access import access_object, is_office, is_proctor
from credence.accounts.models import User
from credence.exams.models import Booking, ExamSession, Sitting

# Every object predicate answers False without an object: Django's admin asks has_perm
# without one, and only a role may answer such a question.


@rules.predicate
def proctors_session(user: User | AnonymousUser, session: ExamSession) -> bool:
    return session is not None and bool(user.pk) and session.proctors.filter(pk=user.pk).exists()


@rules.predicate
def holds_booking(user: User | AnonymousUser, booking: Booking) -> bool:
    return booking is not None and bool(user.pk) and booking.attempt.candidate_id == user.pk


@rules.predicate
def sits_test(user: User | AnonymousUser, sitting: Sitting) -> bool:
    return sitting is not None and bool(user.pk) and sitting.booking.attempt.candidate_id == user.pk


@rules.predicate
def proctors_booking(user: User | AnonymousUser, booking: Booking) -> bool:
    return booking is not None and bool(proctors_session(user, booking.session))


@rules.predicate
def proctors_sitting(user: User | AnonymousUser, sitting: Sitting) -> bool:
    return sitting is not None and bool(proctors_session(user, sitting.booking.session))


may_run = is_office | (is_proctor & proctors_session)

rules.add_perm("exams.proctor_session", may_run)
rules.add_perm("exams.check_in_booking", is_office | (is_proctor & proctors_booking))
rules.add_perm("exams.supervise_sitting", is_office | (is_proctor & proctors_sitting))
rules.add_perm("exams.read_booking", holds_booking | is_office)
rules.add_perm("exams.cancel_booking", holds_booking | is_office)
# The test page and the score report are the candidate's alone; the office reads results
# through the console and the release, never by sitting in the candidate's chair.
rules.add_perm("exams.take_sitting", sits_test)
rules.add_perm("exams.read_report", sits_test)
# The diagnostic report (decision 0044) is also the office's: it answers the failed
# candidate's "where was I weak, and what now?" when they ask the office.
rules.add_perm("exams.read_diagnostic_report", sits_test | is_office)
rules.add_perm("exams.release_session", is_office)


def access_booking(
    request: HttpRequest, pk: int, permission: str = "exams.read_booking"
) -> Booking:
    """Another candidate's booking does not exist for this user (404)."""
    return access_object(
        request, Booking.objects.select_related("session", "attempt"), permission, pk=pk
    )


def access_proctored_session(request: HttpRequest, pk: int) -> ExamSession:
    """A published session is public, so a proctor who does not run it gets 403, not 404."""
    return access_object(
        request,
        ExamSession.objects.filter(published_at__isnull=False),
        "exams.proctor_session",
        hidden=False,
        pk=pk,
    )


def access_sitting(
    request: HttpRequest,
    pk: int,
    permission: str,
    related: tuple[str, ...] = ("booking__session", "booking__attempt__certification"),
) -> Sitting:
    """A sitting is private to its candidate and the proctors of its session (404 for others).
    ``related``: what to fetch with it; the autosave, the busiest request of a live test,
    takes only the attempt (whose test it is)."""
    return access_object(request, Sitting.objects.select_related(*related), permission, pk=pk)

"""Marking essays, scoring and releasing knowledge-test results: the release records the
attempt's result through ``services.attempt_record_result`` (R4 pass or fail, then what it
completes: refunds R9, certificates R5/R6). Under an adopted standard a result is released on
its equated score or not at all (decision 0043)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _

from credence.accounts.access import has_any_role, is_office
from credence.accounts.models import Role, User
from credence.audit.api import record
from credence.catalog import api as catalog_api
from credence.core.decisions import Refused
from credence.exams.models import ExamSession, Response, Sitting
from credence.exams.scoring.selectors import (
    Rescored,
    new_score,
    released_showing,
    score_and_equating,
)
from credence.exams.services import attempt_record_result, attempt_rescore
from credence.items import api as items_api


class MarkingError(Exception):
    """A mark that cannot be given; the message says why."""


@transaction.atomic
def response_mark(*, response: Response, share: Decimal, acting_user: User) -> Response:
    """An author's mark for an essay answer, as a share (0..1) of the item's marks."""
    if not has_any_role(acting_user, Role.AUTHOR):
        raise PermissionError("only an author or the program office marks essays")
    if not Decimal(0) <= share <= Decimal(1):
        raise MarkingError(_("A mark is from 0 to 100 percent of the item."))
    response = Response.objects.select_for_update().select_related("sitting").get(pk=response.pk)
    if response.sitting.released_at is not None:
        raise MarkingError(_("The result is released; its marks no longer change."))
    if response.version.type != items_api.ItemType.ESSAY:
        raise MarkingError(_("Only essays are marked by hand."))
    before = str(response.marked_share) if response.marked_share is not None else None
    response.marked_share = share
    response.marked_by = acting_user
    response.save(update_fields=["marked_share", "marked_by"])
    record(
        action="response.marked",
        subject=response,
        actor=acting_user,
        before={"share": before},
        after={"share": str(share)},
    )
    return response


def _release(sitting: Sitting, acting_user: User | None, now: datetime) -> bool | Refused:
    """Release one result: True when released, False while it waits (not submitted, or
    essays to mark), Refused when its form cannot be equated under the adopted standard."""
    if sitting.submitted_at is None or sitting.released_at is not None:
        return False
    result, equating = score_and_equating(sitting)
    if equating is None:
        return False
    if isinstance(equating.decision, Refused):
        record(
            action="sitting.release_refused",
            subject=sitting,
            actor=acting_user,
            subject_user=sitting.booking.attempt.candidate,
            reason=equating.decision.rule,
            after={"why": equating.decision.reason, "calibration": equating.calibration},
        )
        return equating.decision
    equated = equating.score
    sitting.raw_score = result.percent
    sitting.score = result.percent if equated is None else equated
    sitting.topic_scores = {topic: str(value) for topic, value in result.by_topic.items()}
    sitting.released_at = now
    sitting.save(update_fields=["score", "raw_score", "topic_scores", "released_at"])
    zone = ZoneInfo(catalog_api.program_rules().time_zone)
    attempt_record_result(
        attempt=sitting.booking.attempt,
        score=sitting.score,
        released_on=now.astimezone(zone).date(),
        acting_user=acting_user,
    )
    record(
        action="sitting.released",
        subject=sitting,
        actor=acting_user,
        subject_user=sitting.booking.attempt.candidate,
        reason="R4",
        after={
            "score": str(sitting.score),
            "raw_score": str(result.percent),
            "equated": equated is not None,
            # which calibration equated it, and the items with full marks it counted
            "calibration": equating.calibration,
            "full_marks": equating.full_marks,
            "by_topic": sitting.topic_scores,
        },
    )
    return True


class Release(NamedTuple):
    """What a session's release did: results released, results waiting for essay marks, and
    results refused because their form cannot be equated ((reason, how many) per reason)."""

    released: int
    waiting: int
    refused: tuple[tuple[str, int], ...] = ()


@transaction.atomic
def session_release(*, session: ExamSession, acting_user: User, now: datetime) -> Release:
    """Release every submitted result of ``session`` whose essays are marked and whose form
    can be equated; the rest wait (see ``Release``)."""
    if not is_office(acting_user):
        raise PermissionError("the program office releases results")
    released = waiting = 0
    refused: Counter[str] = Counter()
    for sitting in Sitting.objects.select_for_update().filter(
        booking__session=session, submitted_at__isnull=False, released_at__isnull=True
    ):
        outcome = _release(sitting, acting_user, now)
        if isinstance(outcome, Refused):
            refused[outcome.reason] += 1
        elif outcome:
            released += 1
        else:
            waiting += 1
    return Release(released, waiting, tuple(refused.items()))


@transaction.atomic
def sitting_release_if_automatic(*, sitting: Sitting, now: datetime) -> bool:
    """The program file's ``release = "automatic"``: a submitted test without essays to mark
    is released at once."""
    sitting = Sitting.objects.select_for_update().get(pk=sitting.pk)
    certification = sitting.booking.attempt.certification.code
    try:
        blueprint = items_api.blueprint_for(certification)
    except items_api.BlueprintMissing:
        return False
    # a form that cannot be equated waits for the office's release, which says why
    return blueprint.release == "automatic" and _release(sitting, None, now) is True


# --- rescoring after a challenge decision (rule C2, decision 0053) ---------------------


@transaction.atomic
def sittings_rescore(
    *, version_id: int, reason: str, acting_user: User, now: datetime
) -> list[Rescored]:
    """Rescore every released result whose form showed ``version_id`` under its decision
    (C2), on the same path as a release: the raw percent, its equating under the adopted
    standard, R4 again, then the certificates the new results earn or no longer earn
    (``services.attempt_rescore``), and a mail to each candidate whose result changed.
    Each sitting is locked; a result whose score does not move is left alone, so running it
    twice changes nothing the second time. The caller records the one audit event."""
    zone = ZoneInfo(catalog_api.program_rules().time_zone)
    today = now.astimezone(zone).date()
    changes = []
    for sitting in (
        # the sittings' rows only: the candidate's row is locked by the result's write
        Sitting.objects.select_for_update(of=("self",))
        .filter(pk__in=released_showing(version_id))
        .select_related("booking__attempt__candidate")
        .order_by("pk")
    ):
        result, new = new_score(sitting)
        if new == sitting.score and result.percent == sitting.raw_score:
            continue
        sitting.raw_score = result.percent
        sitting.score = new
        sitting.topic_scores = {topic: str(value) for topic, value in result.by_topic.items()}
        sitting.save(update_fields=["score", "raw_score", "topic_scores"])
        attempt = sitting.booking.attempt
        before, after, awarded, withdrawn = attempt_rescore(
            attempt=attempt, score=new, today=today, reason=reason, acting_user=acting_user
        )
        changes.append(
            Rescored(
                sitting.pk,
                attempt.pk,
                attempt.candidate.full_name or attempt.candidate.email,
                before,
                after,
                tuple(awarded),
                tuple(withdrawn),
            )
        )
    return changes

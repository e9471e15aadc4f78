"""Marking essays, scoring and releasing knowledge-test results: the release records the
attempt's result through ``services.attempt_record_result`` (R4 pass or fail, then what it
completes: refunds R9, certificates R5/R6). Under an adopted standard a result is released on
its equated score or not at all (decision 0043)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _

from credence.accounts.access import has_any_role, is_office
from credence.accounts.models import Role, User
from credence.audit.api import record
from credence.catalog import api as catalog_api
from credence.core.decisions import Refused
from credence.exams import ports
from credence.exams.models import ExamSession, Response, Sitting
from credence.exams.policy import outcome_for_score
from credence.exams.scoring.policy import Score, score
from credence.exams.scoring.selectors import outcomes_of
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


def _scored(
    sitting: Sitting, scoring: Mapping[int, items_api.ItemContent | None] | None = None
) -> tuple[Score, ports.Equating | None]:
    """The sitting's score and its equating; no equating while essays wait for marks."""
    outcomes = outcomes_of(sitting, scoring)
    result = score(outcomes)
    if result.unmarked:
        return result, None
    # R4 compares the equated score under an adopted standard (decision 0019). A form that
    # cannot be equated is not released at all: scoring it on the raw percent instead would
    # decide its candidate on another standard than the rest of the session (0043). The
    # items are those scored: a dropped item (C2) is not part of the form any more. The
    # psychometrics app equates, through the port it provides (decision 0055).
    equating = ports.equated_score(
        certification=sitting.booking.attempt.certification.code,
        items=[str(o.version) for o in outcomes],
        shares=[o.share for o in outcomes],
    )
    return result, equating


def _release(sitting: Sitting, acting_user: User | None, now: datetime) -> bool | Refused:
    """Release one result: True when released, False while it waits (not submitted, or
    essays to mark), Refused when its form cannot be equated under the adopted standard."""
    if sitting.submitted_at is None or sitting.released_at is not None:
        return False
    result, equating = _scored(sitting)
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


class RescoreRefused(Exception):
    """A released result cannot be rescored (its form can no longer be equated): the whole
    decision is refused, nothing changes."""

    def __init__(self, decision: Refused) -> None:
        super().__init__(decision.reason)
        self.decision = decision


class Rescored(NamedTuple):
    """One released result a decision changes: whose, and its score and outcome before and
    after (``before``/``after`` as the audit trail records an attempt)."""

    sitting: int
    attempt: int
    candidate: str
    before: dict[str, Any]
    after: dict[str, Any]
    awarded: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()


def _showing(version_id: int) -> Any:
    """The released sittings whose form showed ``version_id``: those of its certification,
    narrowed by the form (a JSON list, the same on every database)."""
    certification = items_api.versions_by_id([version_id])[version_id].item.certification_id
    return [
        sitting.pk
        for sitting in Sitting.objects.filter(
            released_at__isnull=False, booking__attempt__certification_id=certification
        ).only("pk", "form")
        if any(entry["version"] == version_id for entry in sitting.form)
    ]


def _new_score(
    sitting: Sitting, scoring: Mapping[int, items_api.ItemContent | None] | None = None
) -> tuple[Score, Decimal]:
    result, equating = _scored(sitting, scoring)
    if equating is None:  # a released sitting has every essay marked
        raise RescoreRefused(Refused(rule="C2", reason=_("An essay of this result is unmarked.")))
    if isinstance(equating.decision, Refused):
        raise RescoreRefused(equating.decision)
    return result, result.percent if equating.score is None else equating.score


def rescore_preview(
    *, version_id: int, scoring: Mapping[int, items_api.ItemContent | None]
) -> list[Rescored]:
    """What a decision would change, before it is taken: each released result that showed the
    version whose score moves, scored as ``scoring`` (version id -> content as the decision
    scores it, None for a drop) says. Reads only."""
    rules = catalog_api.program_rules()
    changes = []
    # in the order the decision rescores them (PostgreSQL returns rows in no set order)
    for sitting in (
        Sitting.objects.filter(pk__in=_showing(version_id))
        .select_related(
            "booking__attempt__candidate",
            "booking__attempt__certification",
            "booking__attempt__evaluation",
        )
        .order_by("pk")
    ):
        attempt = sitting.booking.attempt
        _result, new = _new_score(sitting, scoring)
        if new == sitting.score:
            continue
        status = outcome_for_score(rules, attempt.certification.code, attempt.evaluation.code, new)
        changes.append(
            Rescored(
                sitting.pk,
                attempt.pk,
                attempt.candidate.full_name or attempt.candidate.email,
                {"score": str(sitting.score), "status": attempt.status},
                {"score": str(new), "status": str(status)},
            )
        )
    return changes


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
        .filter(pk__in=_showing(version_id))
        .select_related("booking__attempt__candidate")
        .order_by("pk")
    ):
        result, new = _new_score(sitting)
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

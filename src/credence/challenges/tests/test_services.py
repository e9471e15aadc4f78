"""Filing and deciding item challenges through the services, on real sittings: C1 refuses
with its number and stores nothing; a rekey rescores every released result that showed the
item in one audited operation, on the release's path (R4, certificates awarded and
withdrawn), and tells the candidates."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ObjectDoesNotExist
from django_tasks_db.models import DBTaskResult

from credence.audit.models import AuditEvent
from credence.catalog.tests.programs import default_text, load_text
from credence.challenges import personal_data
from credence.challenges.models import Challenge, ChallengeOutcome
from credence.challenges.selectors import decision_preview
from credence.challenges.services import (
    ChallengeRefused,
    challenge_decide,
    challenge_file,
)
from credence.challenges.tests.conftest import RELEASED
from credence.credentials.models import Certificate
from credence.exams.models import Response
from credence.exams.scoring.services import sittings_rescore
from credence.exams.services import attempt_book, attempt_record_result, waiver_grant
from credence.exams.statuses import AttemptStatus
from credence.items.models import ItemVersion, KeyRuling

WRONG = 1  # the bank's items are "{=right ~wrong ~other}": options 0, 1, 2


def file(sat, who="anna", position=None, when=RELEASED, reasons="Two options look right."):
    sitting = getattr(sat, f"{who}_sitting")
    return challenge_file(
        sitting_id=sitting.pk,
        position=getattr(sat, f"{who}_position") if position is None else position,
        reasons=reasons,
        candidate=getattr(sat, who),
        now=when,
    )


def run_queued() -> None:
    for queued in DBTaskResult.objects.order_by("pk"):
        queued.task.call(**queued.args_kwargs["kwargs"])


def test_the_flag_comment_of_the_test_screen_is_kept(sat):
    response = Response.objects.get(sitting=sat.anna_sitting, position=sat.anna_position)
    assert (response.flagged, response.flag_comment) == (True, "Two options look right to me.")


def test_c1_once_per_item_and_candidate_within_the_window(sat):
    late = sat.anna_sitting.submitted_at + timedelta(days=15)
    with pytest.raises(ChallengeRefused, match="C1: The time to challenge the items"):
        file(sat, when=late)
    assert not Challenge.objects.exists()
    challenge = file(sat, when=sat.anna_sitting.submitted_at + timedelta(days=14))
    assert (challenge.outcome, challenge.version_id) == (ChallengeOutcome.PENDING, sat.shared)
    with pytest.raises(ChallengeRefused, match="C1: You have challenged this item already"):
        file(sat)
    with pytest.raises(ChallengeRefused, match="C1: There is no such item"):
        file(sat, position=60)
    with pytest.raises(ChallengeRefused, match="C1: Say why"):
        file(sat, position=0 if sat.anna_position else 1, reasons="  ")
    assert Challenge.objects.count() == 1
    assert AuditEvent.objects.filter(action="challenge.filed").count() == 1


def test_another_candidates_test_does_not_exist(sat):
    with pytest.raises(ObjectDoesNotExist):
        challenge_file(
            sitting_id=sat.anna_sitting.pk, position=0, reasons="Mine?", candidate=sat.ben
        )
    assert not Challenge.objects.exists()


def test_a_rekey_rescores_every_result_that_showed_the_item(sat):
    anna_attempt, ben_attempt = sat.anna_sitting.booking.attempt, sat.ben_sitting.booking.attempt
    assert (anna_attempt.status, anna_attempt.score) == (AttemptStatus.PASSED, Decimal("70.00"))
    assert (ben_attempt.status, ben_attempt.score) == (AttemptStatus.FAILED, Decimal("68.33"))
    # Anna completes ML Expert with her portfolio: the certificate rests on the test (R5)
    portfolio = attempt_book(
        candidate=sat.anna,
        certification="ml-expert",
        evaluation="portfolio",
        held_on=RELEASED.date() + timedelta(days=5),
        acting_user=sat.office,
    )
    attempt_record_result(
        attempt=portfolio,
        score=Decimal(80),
        released_on=RELEASED.date() + timedelta(days=6),
        acting_user=sat.office,
    )
    certificate = Certificate.objects.get(holder=sat.anna, award="ml-expert")
    # Ben's portfolio is waived (R10): a pass of the test would complete ML Expert
    waiver_grant(
        candidate=sat.ben,
        certification="ml-expert",
        evaluation="portfolio",
        acting_user=sat.office,
        reason="Recognised prior certification.",
        granted_on=RELEASED.date() - timedelta(days=30),
    )
    assert not Certificate.objects.filter(holder=sat.ben).exists()
    challenge = file(sat)

    preview = decision_preview(
        version_id=sat.shared, kind="rekey", key=[WRONG], acting_user=sat.author
    )
    assert not KeyRuling.objects.exists()  # the preview changes nothing
    DBTaskResult.objects.all().delete()
    decided = challenge_decide(
        version_id=sat.shared,
        kind="rekey",
        key=[WRONG],
        reasons="The stem asks for the wrong one.",
        acting_user=sat.author,
        now=RELEASED + timedelta(days=8),
    )

    assert decided.challenges == 1
    assert [(r.attempt, r.before["status"], r.after["status"]) for r in decided.rescored] == [
        (anna_attempt.pk, "passed", "failed"),
        (ben_attempt.pk, "failed", "passed"),
    ]
    assert [(r.attempt, r.after) for r in preview] == [
        (r.attempt, {"score": r.after["score"], "status": r.after["status"]})
        for r in decided.rescored
    ]
    anna_attempt.refresh_from_db()
    ben_attempt.refresh_from_db()
    assert (anna_attempt.status, anna_attempt.score) == (AttemptStatus.FAILED, Decimal("68.33"))
    assert (ben_attempt.status, ben_attempt.score) == (AttemptStatus.PASSED, Decimal("70.00"))
    assert anna_attempt.released_on == RELEASED.date()  # the release day stays
    certificate.refresh_from_db()
    assert certificate.revoked_on is not None and "C2" in certificate.status_reason
    assert decided.rescored[0].withdrawn == (certificate.serial,)
    # Ben's new pass completes ML Expert: the certificate is issued as after a release (R5)
    (awarded,) = Certificate.objects.filter(holder=sat.ben, award="ml-expert")
    assert awarded.revoked_on is None and decided.rescored[1].awarded == (awarded.serial,)
    challenge.refresh_from_db()
    assert challenge.outcome == ChallengeOutcome.REKEY and challenge.decided_at is not None
    # one audit event lists every affected sitting's before and after
    (event,) = AuditEvent.objects.filter(action="challenge.decided")
    assert [r["attempt"] for r in event.after["rescored"]] == [anna_attempt.pk, ben_attempt.pk]
    assert event.after["rescored"][0]["before"]["status"] == "passed"
    assert event.after["rescored"][0]["withdrawn"] == [certificate.serial]
    assert AuditEvent.objects.filter(action="certificate.revoked").count() == 1

    run_queued()
    subjects = sorted((m.to[0], m.subject.split(":")[0]) for m in mail.outbox)
    assert subjects == [
        ("anna_candidate@example.invalid", "[Credence] Your item challenge"),
        ("anna_candidate@example.invalid", "[Credence] Your result is rescored"),
        ("ben_candidate@example.invalid", "[Credence] Your certificate"),
        ("ben_candidate@example.invalid", "[Credence] Your result is rescored"),
    ]
    assert "Item rekeyed" in next(m.subject for m in mail.outbox if "challenge" in m.subject)
    anna_mail = next(m for m in mail.outbox if "rescored" in m.subject and "anna" in m.to[0])
    assert "was 70.00 and is now 68.33" in anna_mail.body
    assert certificate.serial in anna_mail.body

    # idempotent: the item is decided; rescoring again changes nothing
    with pytest.raises(ChallengeRefused, match="C2: No challenge of this item waits"):
        challenge_decide(
            version_id=sat.shared,
            kind="drop",
            key=[],
            reasons="Again.",
            acting_user=sat.author,
        )
    assert (
        sittings_rescore(
            version_id=sat.shared, reason="again", acting_user=sat.author, now=RELEASED
        )
        == []
    )
    # and a new challenge of a decided item is refused by C1
    with pytest.raises(ChallengeRefused, match="C1: This item has been decided"):
        file(sat, who="ben")


def test_a_drop_leaves_the_item_out_and_retires_it(sat):
    file(sat)
    decided = challenge_decide(
        version_id=sat.shared,
        kind="drop",
        key=[],
        reasons="Ambiguous stem.",
        acting_user=sat.office,
        now=RELEASED + timedelta(days=2),
    )
    # Anna had it right: 41 of 59; Ben had it wrong: 41 of 59
    assert [r.after["score"] for r in decided.rescored] == ["69.49", "69.49"]
    assert ItemVersion.objects.get(pk=sat.shared).item.retired
    assert [r.after["status"] for r in decided.rescored] == ["failed", "failed"]


def test_keep_rescores_nothing_and_a_decision_must_fit(sat):
    file(sat)
    with pytest.raises(ChallengeRefused, match="C2: A rekey names the one right option"):
        challenge_decide(
            version_id=sat.shared, kind="rekey", key=[0, 1], reasons="?", acting_user=sat.author
        )
    assert not KeyRuling.objects.exists()
    with pytest.raises(PermissionError):
        challenge_decide(
            version_id=sat.shared, kind="keep", key=[], reasons="Fine.", acting_user=sat.ben
        )
    decided = challenge_decide(
        version_id=sat.shared,
        kind="keep",
        key=[],
        reasons="The key is right.",
        acting_user=sat.author,
    )
    assert decided.rescored == []
    assert Challenge.objects.get().outcome == ChallengeOutcome.KEEP


def test_erasure_keeps_the_challenge_without_its_reasons(sat):
    file(sat)
    assert personal_data.export_user_data(sat.anna)
    personal_data.erase_user_data(sat.anna, now=RELEASED)
    challenge = Challenge.objects.get()
    assert (challenge.reasons, challenge.outcome) == ("", ChallengeOutcome.PENDING)


def test_the_window_is_the_loaded_programs(sat):
    # the program in force is the one loaded from its file, not the shipped default (0031)
    text = default_text().replace("challenge_window_days = 14", "challenge_window_days = 3")
    load_text(text)
    with pytest.raises(ChallengeRefused, match=r"C1: .* \(3 days after you submitted it\)"):
        file(sat, when=sat.anna_sitting.submitted_at + timedelta(days=4))
    assert not Challenge.objects.exists()
    file(sat, when=sat.anna_sitting.submitted_at + timedelta(days=3))


def test_accepting_several_answers_rescores_only_the_results_it_changes(sat):
    file(sat, who="ben")
    decided = challenge_decide(
        version_id=sat.shared,
        kind="accept",
        key=[0, WRONG],
        reasons="Both readings of the stem are fair.",
        acting_user=sat.author,
        now=RELEASED + timedelta(days=1),
    )
    # Anna had it right already; Ben's "wrong" now earns full marks: 42 of 60, a pass
    assert [(r.attempt, r.after) for r in decided.rescored] == [
        (sat.ben_sitting.booking.attempt.pk, {**decided.rescored[0].after, "status": "passed"})
    ]
    assert decided.rescored[0].after["score"] == "70.00"

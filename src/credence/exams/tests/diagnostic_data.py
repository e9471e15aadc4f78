"""Released knowledge-test results of known figures for the diagnostic score report's tests
(exams/tests/test_diagnostic_report.py and the browser journey): a reference group of
candidates and one candidate, Ada, who failed.

The group is built in the database as the release leaves it (attempt, booking, sitting with
its form's topics and per-topic percents), without answering 60 items 40 times: the report
reads only those. Its subscores are chosen so that each domain's reliability is known:

* supervised-learning and model-evaluation spread from 5 % to 100 %: KR-21 about 0.88;
* model-deployment everyone 65 % or 70 %: no true-score variance, KR-21 below zero (so 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.catalog.models import Certification, Evaluation
from credence.exams.models import Attempt, Booking, ExamSession, Sitting
from credence.exams.reports.policy import MIN_GROUP
from credence.exams.statuses import AttemptStatus
from credence.learning.services import resource_create

TOPICS = ("supervised-learning", "model-evaluation", "model-deployment")
PER_TOPIC = 20
ADA = {"supervised-learning": 40, "model-evaluation": 75, "model-deployment": 50}
ADA_TOTAL = Decimal(55)  # the mean of her three domains, each 20 items


@dataclass(frozen=True)
class World:
    ada: User
    sitting: Sitting  # Ada's, released
    released_on: date
    group: int  # candidates in the reference group, Ada included


def _result(
    candidate: User,
    session: ExamSession,
    scores: dict[str, int],
    released_at: datetime,
    proctor: User,
) -> Sitting:
    total = (Decimal(sum(scores.values())) / len(scores)).quantize(Decimal("0.01"))
    status = AttemptStatus.PASSED if total >= 70 else AttemptStatus.FAILED
    attempt = Attempt.objects.create(
        candidate=candidate,
        certification=Certification.objects.get(code="ml-expert"),
        evaluation=Evaluation.objects.get(code="knowledge-test"),
        held_on=timezone.localdate(session.starts_at),
        status=status,
        score=total,
        released_on=timezone.localdate(released_at),
    )
    booking = Booking.objects.create(session=session, attempt=attempt)
    return Sitting.objects.create(
        booking=booking,
        checked_in_at=session.starts_at,
        checked_in_by=proctor,
        # the report reads the form's topics only; the item versions do not matter here
        form=[
            {"item": 0, "version": 0, "topic": topic, "options": []}
            for topic in TOPICS
            for _ in range(PER_TOPIC)
        ],
        time_limit_minutes=90,
        started_at=session.starts_at,
        submitted_at=session.starts_at + timedelta(minutes=80),
        score=total,
        raw_score=total,
        topic_scores={topic: f"{value}.00" for topic, value in scores.items()},
        released_at=released_at,
    )


def released_world(*, password: str = "x" * 12, days_ago: int = 3) -> World:
    """Needs the default program loaded. Ada's result was released ``days_ago`` days ago."""
    released_on = timezone.localdate() - timedelta(days=days_ago)
    released_at = timezone.make_aware(datetime.combine(released_on, time(15)))
    starts_at = released_at - timedelta(days=1)
    proctor = User.objects.create_user("group-proctor@example.invalid", password)
    user_assign_role(user=proctor, role=Role.PROCTOR, acting_user=None)
    session = ExamSession.objects.create(
        venue="Potsdam",
        starts_at=starts_at,
        duration_minutes=90,
        capacity=MIN_GROUP + 20,
        booking_deadline=starts_at - timedelta(days=2),
        published_at=starts_at - timedelta(days=30),
        closed_at=starts_at + timedelta(hours=2),
    )
    session.certifications.add(Certification.objects.get(code="ml-expert"))
    size = MIN_GROUP + 9
    for n in range(size):
        spread = 5 * (1 + n % 20)  # 5 .. 100 %
        candidate: Any = User.objects.create_user(f"group-{n}@example.invalid", password)
        _result(
            candidate,
            session,
            {
                "supervised-learning": spread,
                "model-evaluation": 105 - spread,
                "model-deployment": 65 + 5 * (n % 2),
            },
            released_at,
            proctor,
        )
    ada = User.objects.create_user("ada@example.invalid", password, full_name="Ada Lovelace")
    user_assign_role(user=ada, role=Role.CANDIDATE, acting_user=None)
    sitting = _result(ada, session, ADA, released_at, proctor)
    resource_create(
        kind="study_guide",
        title="Supervised learning, worked through",
        url="https://example.invalid/supervised",
        topics=("supervised-learning",),
        acting_user=None,
    )
    resource_create(
        kind="mooc",
        title="ML Expert preparation course",
        url="https://example.invalid/ml-expert",
        certifications=("ml-expert",),
        acting_user=None,
    )
    return World(ada=ada, sitting=sitting, released_on=released_on, group=size + 1)

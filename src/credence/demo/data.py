"""Demo data: one user per role and candidates whose histories show every state of the path.

Histories are written through the real services (booking, results, waivers), dated relative to
today, so the demo exercises the same rules as production."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from credence.accommodations import demo as accommodations_demo
from credence.accounts.models import Role
from credence.accounts.services import user_assign_role
from credence.appeals.services import appeal_assign, appeal_file
from credence.billing import demo as billing_demo
from credence.challenges import demo as challenges_demo
from credence.credentials.policy import PublicSet
from credence.credentials.services import evidence_choice_set
from credence.exams.services import attempt_book, attempt_record_result
from credence.exams.sessions.services import session_book, session_create, session_publish
from credence.items import api as items_api
from credence.learning import demo as learning_demo
from credence.portfolios import demo as portfolios_demo
from credence.recognition import demo as recognition_demo

DEMO_PASSWORD = "credence-demo-2026"  # printed for the demo on purpose
DOMAIN = "demo.credence.invalid"  # .invalid never resolves: no demo mail reaches anyone


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    shows: str


def _user(local: str, name: str, role: Role, *, staff: bool = False) -> tuple[Any, bool]:
    User = get_user_model()
    email = f"{local}@{DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(
        email, DEMO_PASSWORD, full_name=name, is_staff=staff, is_superuser=staff
    )
    user_assign_role(user=user, role=role, acting_user=None)
    return user, True


def _sit(
    candidate: Any,
    staff: Any,
    certification: str,
    evaluation: str,
    held_on: date,
    score: str,
    *,
    released_after: int = 7,
) -> Any:
    attempt = attempt_book(
        candidate=candidate,
        certification=certification,
        evaluation=evaluation,
        held_on=held_on,
        acting_user=candidate,
    )
    billing_demo.pay_booking(attempt=attempt, staff=staff)  # paid before the session
    return attempt_record_result(
        attempt=attempt,
        score=Decimal(score),
        released_on=held_on + timedelta(days=released_after),
        acting_user=staff,
    )


def _certify(candidate: Any, staff: Any, certification: str, start: date) -> None:
    _sit(candidate, staff, certification, "knowledge-test", start, "84")
    _sit(candidate, staff, certification, "portfolio", start + timedelta(days=21), "88")


def _accommodated_session(*, candidates: list[Any], staff: Any, proctor: Any, today: date) -> None:
    """A Responsible AI session in ten days with a seat for each of ``candidates``: the proctor's
    console shows the accommodations that apply on its day by themselves and the one that
    does not, not approved (rule AC3, decision 0052). Without the shipped item bank no
    session can be published (R11), and nothing is made."""
    if not items_api.ItemVersion.objects.filter(
        item__certification__code="responsible-ai"
    ).exists():
        return
    starts = datetime.combine(
        today + timedelta(days=10), time(9), tzinfo=timezone.get_current_timezone()
    )
    session = session_create(
        certifications=["responsible-ai"],
        venue="Demo test centre, quiet room",
        starts_at=starts,
        duration_minutes=180,  # room for the 90 minutes lengthened by x1.5
        capacity=10,
        booking_deadline=starts - timedelta(days=2),
        proctors=[proctor],
        acting_user=staff,
    )
    session_publish(session=session, acting_user=staff, now=timezone.now())
    for candidate in candidates:
        booking = session_book(
            session=session,
            candidate=candidate,
            certification="responsible-ai",
            acting_user=candidate,
        )
        billing_demo.pay_booking(attempt=booking.attempt, staff=staff)


@transaction.atomic
def demo_populate(today: date) -> list[DemoLogin]:
    """Create the demo users (once; existing ones are left as they are)."""
    staff, _ = _user("office", "Olivia Office", Role.STAFF, staff=True)
    billing_demo.fund_for_demo(staff=staff, today=today)  # before anyone books (R8)
    proctor, _ = _user("proctor", "Paul Proctor", Role.PROCTOR)
    _user("proctor2", "Petra Proctor", Role.PROCTOR)
    # a portfolio is scored by two different examiners (decision 0011): the demo has two
    _user("examiner", "Erika Examiner", Role.EXAMINER)
    _user("examiner2", "Ernst Examiner", Role.EXAMINER)
    _user("author", "Anton Author", Role.AUTHOR)
    logins = [
        DemoLogin(f"office@{DOMAIN}", "staff", "admin at /admin/, every role's pages"),
        DemoLogin(f"proctor@{DOMAIN}", "proctor", "proctor role"),
        DemoLogin(f"proctor2@{DOMAIN}", "proctor", "a second proctor (one per session or two)"),
        DemoLogin(f"examiner@{DOMAIN}", "examiner", "examiner role"),
        DemoLogin(f"examiner2@{DOMAIN}", "examiner", "the second examiner a portfolio needs"),
        DemoLogin(f"author@{DOMAIN}", "author", "the item bank at /items/"),
    ]

    def candidate(local: str, name: str, shows: str) -> tuple[Any, bool]:
        logins.append(DemoLogin(f"{local}@{DOMAIN}", "candidate", shows))
        return _user(local, name, Role.CANDIDATE)

    candidate("fresh", "Finn Fresh", "a fresh candidate: every knowledge test open")

    user, new = candidate(
        "portfolio",
        "Paula Portfolio",
        "ML Expert test passed, portfolio interview open; extra time x1.5 approved (AC3), "
        "booked the Responsible AI session in ten days: 135 min instead of 90 on the console",
    )
    if new:
        _sit(user, staff, "ml-expert", "knowledge-test", today - timedelta(days=20), "78")
    # her interview slot is lengthened by itself when the office schedules it (decision 0052)
    accommodations_demo.approved_extra_time_for_demo(candidate=user, staff=staff, today=today)
    accommodated = [user] if new else []

    user, new = candidate(
        "waiting",
        "Walter Waiting",
        "failed the MLOps test, waiting (R2); has appealed it, reviewer assigned (A1, A2)",
    )
    if new:
        failed = _sit(
            user,
            staff,
            "mlops",
            "knowledge-test",
            today - timedelta(days=12),
            "55",
            released_after=5,
        )
        # on the office's Appeals desk, for Ernst Examiner to decide (decision 0051)
        appeal = appeal_file(
            attempt_id=failed.pk,
            reasons="Question 7 on model monitoring has two defensible answers.",
            candidate=user,
            now=datetime.combine(today, time(12), tzinfo=timezone.get_current_timezone()),
        )
        appeal_assign(
            appeal=appeal,
            reviewer=get_user_model().objects.get(email=f"examiner2@{DOMAIN}"),
            acting_user=staff,
        )

    user, new = candidate("locked", "Lena Locked", "three failed Responsible AI tests (R3)")
    if new:
        for days_ago in (220, 150, 80):
            _sit(
                user,
                staff,
                "responsible-ai",
                "knowledge-test",
                today - timedelta(days=days_ago),
                "52",
            )

    user, new = candidate("certified", "Carla Certified", "holds the ML Expert certificate")
    if new:
        _certify(user, staff, "ml-expert", today - timedelta(days=120))

    user, new = candidate(
        "engineer", "Emil Engineer", "six certificates and the AI Engineer award (R6)"
    )
    if new:
        codes = ["ml-expert", "mlops", "responsible-ai", "computer-vision", "nlp", "generative-ai"]
        for i, code in enumerate(codes):
            _certify(user, staff, code, today - timedelta(days=400 - 50 * i))

    user, new = candidate(
        "evidence",
        "Hanna Holder",
        "ML Expert with the evidence chain: her public evidence page shows what she chose "
        "(name, bands, repository, report) (decision 0054)",
    )
    if new:
        # chosen before the certificate exists, so its signed credential carries just this
        evidence_choice_set(
            holder=user,
            choice=PublicSet(name=True, bands=True, repository=True, report=True),
            acting_user=user,
        )
        _sit(user, staff, "ml-expert", "knowledge-test", today - timedelta(days=50), "86")
        interview = attempt_book(
            candidate=user,
            certification="ml-expert",
            evaluation="portfolio",
            held_on=today - timedelta(days=20),
            acting_user=user,
        )
        billing_demo.pay_booking(attempt=interview, staff=staff)
        User = get_user_model()
        portfolios_demo.released_portfolio_for_demo(
            attempt=interview,
            examiners=(
                User.objects.get(email=f"examiner@{DOMAIN}"),
                User.objects.get(email=f"examiner2@{DOMAIN}"),
            ),
            staff=staff,
            today=today - timedelta(days=14),
        )

    user, new = candidate(
        "excellent", "Eva Excellent", "over 90 in both NLP evaluations: refund paid (R9)"
    )
    if new:
        _sit(user, staff, "nlp", "knowledge-test", today - timedelta(days=60), "96")
        _sit(user, staff, "nlp", "portfolio", today - timedelta(days=30), "94")

    user, new = candidate(
        "challenger",
        "Chris Challenger",
        "sat the ML Expert test, flagged an item and challenged it (C1): awaiting review",
    )
    if new:
        # in the office's and the authors' review queue, to decide (C2, decision 0053)
        challenges_demo.challenge_for_demo(
            candidate=user, staff=staff, proctor=proctor, today=today
        )

    # Issue 7: the signal guide, preparation content, and a claim waiting in the staff queue.
    recognition_demo.guide_for_demo(staff=staff)
    learning_demo.preparation_for_demo(staff=staff, today=today)
    user, _new = candidate(
        "claimant", "Clara Claimant", "a partial-credit claim waiting in the staff queue (R10)"
    )
    recognition_demo.pending_claim_for_demo(candidate=user, today=today)
    user, new = candidate(
        "breaks",
        "Ben Breaks",
        "an accommodation (rest breaks) waiting for the office (AC2); booked the Responsible "
        "AI session in ten days, whose console says it does not apply unapproved (AC3)",
    )
    accommodations_demo.pending_request_for_demo(candidate=user, today=today)
    if new and accommodated:
        _accommodated_session(
            candidates=[*accommodated, user], staff=staff, proctor=proctor, today=today
        )
    billing_demo.pay_demo_invoices(staff=staff, today=today, domain=DOMAIN)
    return logins

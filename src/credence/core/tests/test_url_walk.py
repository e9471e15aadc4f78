"""The URL walk: every pattern of the root URLconf, asked by every kind of user, answers as
url_rules.py says; refused POSTs store nothing; a pattern without a rule fails the suite.

The world (one per module, rolled back at its end) holds one of everything a URL needs,
owned by one candidate: a booked, checked-in and released knowledge test; an invoice; a
portfolio with two examiners (one has scored) and an interview; a certificate; a
partial-credit claim with its evidence. Engineers who add a URL that needs another object
add it to ``World`` here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.db.models import AutoField, Count, Max
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from credence.core.tests.url_rules import (
    ADMIN_ANSWER,
    ADMIN_ASKERS,
    ADMIN_LOGIN,
    ADMIN_PREFIX,
    ADMIN_RULES,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    REDIRECT,
    ROLES,
    RULES,
    UNAUTHORIZED,
    Rule,
)

# --- the patterns ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # the URL name with its namespace, or the route for an unnamed pattern
    route: str
    name: str
    callback: Any

    @property
    def is_admin(self) -> bool:
        return self.key.startswith(ADMIN_PREFIX) or self.route.startswith("admin/")


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Pattern]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield Pattern(name or route, route, name, entry.callback)


def all_patterns() -> list[Pattern]:
    found = list(_walk(get_resolver().url_patterns))
    names = [p.key for p in found]
    # a name used twice (one view under two routes) is told apart by its route
    return [
        Pattern(f"{p.key} {p.route}", p.route, p.name, p.callback) if names.count(p.key) > 1 else p
        for p in found
    ]


PATTERNS = all_patterns()
SITE = [p for p in PATTERNS if not p.is_admin]
ADMIN = [p for p in PATTERNS if p.is_admin]
_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>")


def fill(route: str, kwargs: dict[str, Any]) -> str:
    """The path of a pattern with its arguments: for unnamed patterns, which reverse() can't
    reach."""
    path = _GROUP.sub(lambda m: str(kwargs[m.group(1) or m.group(2)]), route)
    return "/" + path.replace("^", "").replace("$", "")


def url_of(pattern: Pattern, kwargs: dict[str, Any]) -> str:
    if pattern.name:
        return reverse(pattern.name, kwargs=kwargs or None)
    return fill(pattern.route, kwargs)


# --- the world -------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class World:
    users: dict[str, Any]
    superuser: Any
    session: Any
    booking: Any
    sitting: Any
    response: Any
    invoice: Any
    submission: Any
    certificate: Any
    claim: Any
    evidence: Any
    guide_entry: Any
    guidance_page: Any
    project: Any
    calibration: Any
    workshop: Any
    credit_note: Any
    refund: Any
    appeal: Any
    challenge: Any  # of item 1 of the world's test, by its owner (C1)
    late_result: Any  # a released result whose time to appeal has passed
    accommodation: Any  # the owner's pending request for extra time
    accommodation_document: Any

    @property
    def owner(self) -> Any:
        return self.users["owner"]


def _person(local: str, *roles: Any, **extra: Any) -> Any:
    from credence.accounts.models import User
    from credence.accounts.services import user_assign_role

    user = User.objects.create_user(
        f"{local}@example.invalid", "x" * 12, full_name=local.replace("_", " ").title(), **extra
    )
    for role in roles:
        user_assign_role(user=user, role=role, acting_user=None)
    return user


def build_world() -> World:
    from credence.accommodations.services import accommodation_request
    from credence.accounts.models import Role
    from credence.appeals.services import appeal_assign, appeal_file
    from credence.billing.models import CreditNote, Invoice, Refund
    from credence.catalog.models import Certification, Evaluation, ExternalCertification
    from credence.challenges.services import challenge_file
    from credence.credentials.models import Certificate
    from credence.credentials.services import signing_key_create
    from credence.exams.delivery import services as delivery
    from credence.exams.models import Attempt, Response
    from credence.exams.scoring.services import session_release
    from credence.exams.services import attempt_book, attempt_cancel, attempt_record_result
    from credence.exams.sessions.services import session_book, session_create, session_publish
    from credence.exams.tests.conftest import bank_text
    from credence.items.gift import parse_gift
    from credence.items.services import items_import
    from credence.learning.models import SuggestedProject
    from credence.learning.services import suggested_projects_seed
    from credence.portfolios.models import Submission
    from credence.portfolios.selectors import rubric_for
    from credence.portfolios.services import (
        examiners_assign,
        score_record,
        slot_schedule,
    )
    from credence.psychometrics.models import (
        Calibration,
        CalibrationStatus,
        IrtModel,
        StandardSetting,
    )
    from credence.recognition.models import GuidancePage, GuideEntry
    from credence.recognition.services import claim_file, signal_guide_load

    now = timezone.now()
    today = timezone.localdate()
    call_command("program", "load", verbosity=0)
    signal_guide_load()
    suggested_projects_seed()
    items_import(
        certification=Certification.objects.get(code="ml-expert"),
        items=parse_gift(bank_text(21)),
        acting_user=None,
    )
    users = {
        "owner": _person("owner", Role.CANDIDATE),
        "other": _person("other", Role.CANDIDATE),
        "proctor": _person("proctor", Role.PROCTOR),
        "other_proctor": _person("other_proctor", Role.PROCTOR),
        "examiner": _person("examiner", Role.EXAMINER),
        "other_examiner": _person("other_examiner", Role.EXAMINER),
        "author": _person("author", Role.AUTHOR),
        "staff": _person("staff", Role.STAFF),
    }
    owner, staff, proctor = users["owner"], users["staff"], users["proctor"]
    superuser = _person("superuser", Role.STAFF, is_staff=True, is_superuser=True)
    signing_key_create(acting_user=staff)
    co_examiner = _person("co_examiner", Role.EXAMINER)

    # a knowledge test: booked, checked in, one answer, submitted and released
    session = session_create(
        certifications=["ml-expert"],
        venue="HPI",
        starts_at=now + timedelta(hours=1),
        duration_minutes=120,
        capacity=5,
        booking_deadline=now + timedelta(minutes=30),
        proctors=[proctor],
        acting_user=staff,
    )
    session_publish(session=session, acting_user=staff, now=now)
    booking = session_book(
        session=session, candidate=owner, certification="ml-expert", acting_user=owner, now=now
    )
    delivery.session_open(session=session, acting_user=proctor, now=now)
    sitting = delivery.sitting_check_in(booking=booking, acting_user=proctor, now=now)
    sitting = delivery.sitting_start(sitting=sitting, candidate=owner, now=now)
    delivery.response_save(
        sitting_id=sitting.pk,
        candidate=owner,
        position=0,
        answer={"choice": 0},
        flagged=False,
        now=now,
    )
    delivery.sitting_submit(sitting=sitting, candidate=owner, now=now)
    # released when the session ends: released "now" failed late in the evening, when the
    # session an hour later falls on the next day in the program's time zone
    session_release(session=session, acting_user=staff, now=session.starts_at + timedelta(hours=2))
    sitting.refresh_from_db()

    # a certificate (Responsible AI), and a passed MLOps test that opens its portfolio (R1)
    def sit(certification: str, evaluation: str, days_ago: int, score: str) -> Any:
        attempt = attempt_book(
            candidate=owner,
            certification=certification,
            evaluation=evaluation,
            held_on=today - timedelta(days=days_ago),
            acting_user=owner,
        )
        return attempt_record_result(
            attempt=attempt,
            score=Decimal(score),
            released_on=today - timedelta(days=days_ago - 7),
            acting_user=staff,
        )

    sit("responsible-ai", "knowledge-test", 90, "84")
    sit("responsible-ai", "portfolio", 60, "88")
    appealed = sit("mlops", "knowledge-test", 30, "84")
    # an excellence refund (R9; queued or paid, its statement is there) and a credit note
    sit("nlp", "knowledge-test", 120, "96")
    sit("nlp", "portfolio", 100, "94")
    cancelled = attempt_book(
        candidate=owner,
        certification="computer-vision",
        evaluation="knowledge-test",
        held_on=today + timedelta(days=30),
        acting_user=owner,
    )
    attempt_cancel(attempt=cancelled, acting_user=owner)
    attempt = attempt_book(
        candidate=owner,
        certification="mlops",
        evaluation="portfolio",
        held_on=today,
        acting_user=owner,
    )
    # made directly: submission_create would clone a repository over the network
    submission = Submission.objects.create(
        candidate=owner,
        certification=attempt.certification,
        attempt=attempt,
        url="https://github.com/example/portfolio",
        commit="0" * 40,
        rubric=rubric_for("mlops").as_json(),
    )
    examiners_assign(
        submission=submission, examiners=[users["examiner"], co_examiner], acting_user=staff
    )
    # the co-examiner has scored, the walk's examiner not yet: they read the page blind (0029)
    score_record(
        submission=submission,
        points={c["code"]: 3 for c in submission.rubric["criteria"]},
        notes="walk",
        acting_user=co_examiner,
    )
    slot_schedule(
        submission=submission,
        starts_at=now + timedelta(days=2),
        minutes=45,
        location="Room 1",
        acting_user=staff,
    )

    # a calibration and a standard-setting workshop as rows: the office's pages only need
    # them to exist (running one is the psychometrics tests' business)
    ml_expert = Certification.objects.get(code="ml-expert")
    knowledge_test = Evaluation.objects.get(code="knowledge-test")
    calibration = Calibration.objects.create(
        certification=ml_expert,
        evaluation=knowledge_test,
        model=IrtModel.TWO_PL,
        status=CalibrationStatus.FAILED,
        error="walk",
        started_at=now,
        started_by=staff,
    )
    workshop = StandardSetting.objects.create(
        certification=ml_expert,
        evaluation=knowledge_test,
        calibration=calibration,
        name="Walk",
        items=[],
        created_at=now,
        created_by=staff,
    )

    # an appeal of the MLOps test, reviewed by the examiner who took no part in it (A2)
    appeal = appeal_file(attempt_id=appealed.pk, reasons="Item 12 had two keys.", candidate=owner)
    appeal_assign(appeal=appeal, reviewer=users["other_examiner"], acting_user=staff)

    accommodation = accommodation_request(
        candidate=owner,
        kind="extra_time",
        time_factor=Decimal("1.5"),
        details="Dyslexia.",
        uploads=[SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")],
    )

    # a challenge of the first item of the world's test, submitted just now (C1)
    challenge = challenge_file(
        sitting_id=sitting.pk, position=0, reasons="The key is wrong.", candidate=owner
    )

    claim = claim_file(
        candidate=owner,
        external=ExternalCertification.objects.order_by("pk").first(),
        credential_id="WALK-0001",
        issued_on=today - timedelta(days=100),
        expires_on=today + timedelta(days=600),
        evidence=[SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf")],
        acting_user=owner,
    )
    return World(
        users=users,
        superuser=superuser,
        session=session,
        booking=booking,
        sitting=sitting,
        response=Response.objects.filter(sitting=sitting).order_by("pk").first(),
        invoice=Invoice.objects.filter(candidate=owner).order_by("pk").first(),
        submission=submission,
        certificate=Certificate.objects.get(holder=owner, award="responsible-ai"),
        claim=claim,
        evidence=claim.evidence.get(),
        guide_entry=GuideEntry.objects.order_by("pk").first(),
        guidance_page=GuidancePage.objects.order_by("pk").first(),
        project=SuggestedProject.objects.filter(published=True).order_by("pk").first(),
        calibration=calibration,
        workshop=workshop,
        credit_note=CreditNote.objects.get(invoice__candidate=owner),
        refund=Refund.objects.get(candidate=owner),
        appeal=appeal,
        challenge=challenge,
        late_result=Attempt.objects.get(
            candidate=owner, certification__code="nlp", evaluation__code="knowledge-test"
        ),
        accommodation=accommodation,
        accommodation_document=accommodation.documents.get(),
    )


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[World]:
    """Built once for the module inside a transaction that is rolled back at its end; each test
    runs in a savepoint of it (pytest-django's ``db``), so no test sees another's writes."""
    folder = tmp_path_factory.mktemp("walk")
    with (
        override_settings(
            CREDENCE_KEYS_DIR=folder / "keys",
            CREDENCE_KEY_PASSPHRASE="",
            CREDENCE_ISSUER_DOMAIN="certs.example.test",
            CREDENCE_PUBLIC_URL="https://certs.example.test",
            CREDENCE_CLAIM_EVIDENCE_DIR=folder / "evidence",
            CREDENCE_ACCOMMODATION_DOCUMENTS_DIR=folder / "accommodation-documents",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def session_keys(world: World) -> dict[str, str]:
    """A signed-in session per asker, made once; each request gets a fresh client with it."""
    keys = {}
    for role, user in [*world.users.items(), ("superuser", world.superuser)]:
        client = Client()
        client.force_login(user)
        keys[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return keys


_clients: dict[str, Client] = {}


def client_for(role: str, keys: dict[str, str]) -> Client:
    """The asker's client with nothing but their sign-in cookie: what an earlier request left
    (messages, language, CSRF token, a new session after signing out) is dropped. Clients are
    kept because each one builds Django's middleware chain on its first request."""
    client = _clients.setdefault(role, Client())
    client.cookies.clear()
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = keys[role]
    return client


def answer_of(response: Any) -> int | str:
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        if location.startswith(resolve_url(settings.LOGIN_URL)):
            return LOGIN
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        return REDIRECT
    return response.status_code


def fingerprint() -> dict[str, tuple[int, Any]]:
    """Row count and highest key of every table the application owns: a refused POST must
    leave all of them as they were (sign-in sessions and lockout counters are not data)."""
    skip = {"sessions", "axes"}
    found = {}
    for model in apps.get_models():
        if model._meta.app_label in skip or model._meta.proxy:
            continue
        # PostgreSQL has no max() of a UUID: such tables (the task queue) are counted only
        numeric = isinstance(model._meta.pk, AutoField)
        found[model._meta.label] = tuple(
            model._base_manager.aggregate(
                n=Count("pk"), **({"m": Max("pk")} if numeric else {})
            ).values()
        )
    return found


def _missing_rule(pattern: Pattern) -> str:
    return (
        f"The URL pattern {pattern.route!r} ({pattern.key}) has no rule. Add an entry for "
        f"{pattern.key!r} to src/credence/core/tests/url_rules.py stating what each asker gets "
        "(see docs/permissions.md, 'Adding a URL')."
    )


# --- the tests -------------------------------------------------------------------------------


def test_every_pattern_has_a_rule_and_every_rule_a_pattern() -> None:
    keys = {p.key for p in SITE}
    missing = [_missing_rule(p) for p in SITE if p.key not in RULES]
    stale = sorted(set(RULES) - keys)
    assert not missing, "\n".join(missing)
    assert not stale, f"rules for URLs that no longer exist, remove them: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", SITE, ids=[p.key for p in SITE])
def test_each_asker_gets_the_answer_the_table_states(
    pattern: Pattern, world: World, session_keys: dict[str, str]
) -> None:
    rule = RULES.get(pattern.key)
    if rule is None:
        # what it answers today, as a starting point for the rule (to be checked, not copied)
        now = {}
        if not _GROUP.search(pattern.route):
            url = url_of(pattern, {})
            now = {role: answer_of(client_for(role, session_keys).get(url)) for role in ROLES}
        pytest.fail(f"{_missing_rule(pattern)}\nIt answers GET now: {now}")
    url = url_of(pattern, dict(rule.kwargs(world)))
    wrong = []
    for role in ROLES:
        got = answer_of(client_for(role, session_keys).get(url))
        if got != rule.get[role]:
            wrong.append(f"  {role}: expected {rule.get[role]}, got {got}")
    assert not wrong, f"GET {url}\n" + "\n".join(wrong)


POSTED = [p for p in SITE if p.key in RULES and RULES[p.key].refuse_post]


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", POSTED, ids=[p.key for p in POSTED])
def test_a_refused_post_changes_nothing(
    pattern: Pattern, world: World, session_keys: dict[str, str]
) -> None:
    rule: Rule = RULES[pattern.key]
    url = url_of(pattern, dict(rule.kwargs(world)))
    before = fingerprint()
    wrong = []
    for role in rule.refuse_post:
        got = answer_of(client_for(role, session_keys).post(url, dict(rule.post(world))))
        if got not in (LOGIN, UNAUTHORIZED, FORBIDDEN, NOT_FOUND):
            wrong.append(f"  {role}: got {got}, expected a refusal (login, 401, 403 or 404)")
    assert not wrong, f"POST {url}\n" + "\n".join(wrong)
    assert fingerprint() == before, f"a refused POST to {url} stored something"


def _admin_kwargs(pattern: Pattern, world: World) -> dict[str, Any]:
    from django.contrib.contenttypes.models import ContentType

    names = set(re.findall(r"\(\?P<(\w+)>|<(?:\w+:)?(\w+)>", pattern.route))
    wanted = {a or b for a, b in names}
    kwargs: dict[str, Any] = {}
    model_admin = getattr(pattern.callback, "model_admin", None)
    if "object_id" in wanted:
        pk = (
            model_admin.model._default_manager.order_by("pk").values_list("pk", flat=True).first()
            if model_admin
            else world.superuser.pk
        )
        kwargs["object_id"] = pk if pk is not None else 0
    if "app_label" in wanted:
        kwargs["app_label"] = "accounts"
    if "content_type_id" in wanted:
        kwargs["content_type_id"] = ContentType.objects.get_for_model(world.superuser).pk
    if "url" in wanted:
        kwargs["url"] = "no-such-page/"
    if "id" in wanted:  # the user admin's password page
        kwargs["id"] = world.superuser.pk
    return kwargs


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", ADMIN, ids=[p.key for p in ADMIN])
def test_admin(pattern: Pattern, world: World, session_keys: dict[str, str]) -> None:
    """Every admin page: the admin's login page for anyone but the office with Django's
    is_staff flag (a candidate, and the office without the flag); the superuser gets the page
    (or the admin's own redirect or refusal, never the login page and never an error). The
    other askers meet the same check as the candidate (accounts.access.admin_site_permission,
    tested in accounts/tests/test_access.py)."""
    url = url_of(pattern, _admin_kwargs(pattern, world))
    if pattern.key in ADMIN_RULES:
        expected = ADMIN_RULES[pattern.key]
        got_all = {r: answer_of(client_for(r, session_keys).get(url)) for r in expected}
        assert got_all == expected, f"GET {url}"
        return
    for role in ADMIN_ASKERS:
        got = answer_of(client_for(role, session_keys).get(url))
        assert got == ADMIN_ANSWER, f"GET {url} as {role}: expected {ADMIN_ANSWER}, got {got}"
    got = answer_of(client_for("superuser", session_keys).get(url))
    assert got not in (ADMIN_LOGIN, LOGIN) and not (isinstance(got, int) and got >= 500), (
        f"GET {url} as a superuser: got {got}"
    )

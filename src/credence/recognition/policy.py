"""Pure rules of the recognition app: the advisor (seed 001), the validity of a claimed
external certificate (R10), and what an uploaded evidence file really is.

No ORM here: the signal guide arrives as ``GuideEntrySpec`` values, answers as ``Answers``,
files as their first bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credence.core import jsonin
from credence.core.decisions import Allowed, Decision, Refused


class Cloud(models.TextChoices):
    GCP = "gcp", gettext_lazy("Google Cloud (GCP)")
    AWS = "aws", gettext_lazy("Amazon Web Services (AWS)")
    AZURE = "azure", gettext_lazy("Microsoft Azure")
    MULTI = "multi", gettext_lazy("Several clouds")
    NONE = "none", gettext_lazy("None in particular")


class CareerRole(models.TextChoices):
    ML_ENGINEER = "ml-engineer", gettext_lazy("ML or AI engineer, data scientist")
    MLOPS = "mlops", gettext_lazy("DevOps or MLOps engineer")
    RESEARCH = "research", gettext_lazy("Researcher")
    ARCHITECT = "architect", gettext_lazy("Solutions architect")
    BUSINESS = "business", gettext_lazy("Sales, marketing or business analyst")
    LEARNER = "learner", gettext_lazy("Student or exploring whether AI interests me")


class Verdict(models.TextChoices):
    WORTH_PURSUING = "worth_pursuing", gettext_lazy("Worth pursuing for you")
    NOT_FOR_YOU = "not_for_you", gettext_lazy("Not worth it for you now")
    AVOID = "avoid", gettext_lazy("Avoid")


class ReasonSource(models.TextChoices):
    WORTH_IF = "worth_pursuing_if", gettext_lazy("Worth pursuing if")
    NOT_WORTH_IF = "not_worth_it_if", gettext_lazy("Not worth it if")
    WHY_AVOID = "why_avoid", gettext_lazy("Why avoid")
    HONEST = "honest_recommendation", gettext_lazy("The honest recommendation")
    SIGNAL = "signal_to_hiring_managers", gettext_lazy("Signal to hiring managers")


TECHNICAL_ROLES = frozenset(
    {CareerRole.ML_ENGINEER, CareerRole.MLOPS, CareerRole.RESEARCH, CareerRole.ARCHITECT}
)
PLATFORM_CLOUDS = frozenset({Cloud.GCP, Cloud.AWS, Cloud.AZURE})


@dataclass(frozen=True)
class Answers:
    """The questionnaire: the five things seed 001's advice turns on."""

    fundamentals_done: bool
    cloud: Cloud
    role: CareerRole
    hands_on_ml: bool
    portfolio: bool

    @property
    def beginner(self) -> bool:
        return not self.fundamentals_done and not self.hands_on_ml


def _other_cloud(platform: Cloud) -> Callable[[Answers], bool]:
    return lambda a: a.cloud in PLATFORM_CLOUDS - {platform}


# The condition codes signal_guide.json attaches to the guide's lines. A line whose code is
# "" (or unknown) depends on something the questionnaire does not ask and decides nothing.
PREDICATES: dict[str, Callable[[Answers], bool]] = {
    "fundamentals": lambda a: a.fundamentals_done,
    "no-fundamentals": lambda a: not a.fundamentals_done,
    "hands-on": lambda a: a.hands_on_ml,
    "no-hands-on": lambda a: not a.hands_on_ml,
    "portfolio": lambda a: a.portfolio,
    "beginner": lambda a: a.beginner,
    "cloud:gcp": lambda a: a.cloud == Cloud.GCP,
    "cloud:aws": lambda a: a.cloud == Cloud.AWS,
    "cloud:azure": lambda a: a.cloud == Cloud.AZURE,
    "cloud:multi": lambda a: a.cloud == Cloud.MULTI,
    "other-cloud:gcp": _other_cloud(Cloud.GCP),
    "other-cloud:aws": _other_cloud(Cloud.AWS),
    "other-cloud:azure": _other_cloud(Cloud.AZURE),
    "role:mlops": lambda a: a.role == CareerRole.MLOPS,
    "role:research": lambda a: a.role == CareerRole.RESEARCH,
    "role:architect": lambda a: a.role == CareerRole.ARCHITECT,
    "role:business": lambda a: a.role == CareerRole.BUSINESS,
    "role:learner": lambda a: a.role == CareerRole.LEARNER,
    "technical-role": lambda a: a.role in TECHNICAL_ROLES,
    "seeking-depth": lambda a: a.role in {CareerRole.ML_ENGINEER, CareerRole.RESEARCH},
    "seeking-signal": lambda a: (
        a.role in {CareerRole.ML_ENGINEER, CareerRole.MLOPS, CareerRole.RESEARCH}
    ),
}
# Lines that recommend a certification to someone who is not building AI systems: a
# structured-learning aid for beginners (seed 001, "When Certifications Are Appropriate",
# scenario 2) or AI vocabulary for business roles. "Skip certifications until you've
# completed Pillars 1-5" is advice for those learning to build, so it does not apply to them.
NO_FUNDAMENTALS_NEEDED = frozenset({"beginner", "role:learner", "role:business"})


@dataclass(frozen=True)
class Condition:
    text: str
    when: str = ""
    against: bool = False

    def holds(self, answers: Answers) -> bool:
        predicate = PREDICATES.get(self.when)
        return bool(predicate and predicate(answers))


@dataclass(frozen=True)
class GuideEntrySpec:
    slug: str
    name: str
    provider: str
    category: str  # models.SignalCategory values
    cloud_platform: str = ""
    worth_pursuing_if: tuple[Condition, ...] = ()
    not_worth_it_if: tuple[Condition, ...] = ()
    why_avoid: tuple[str, ...] = ()
    signal_to_hiring_managers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reason:
    text: str
    source: ReasonSource


@dataclass(frozen=True)
class Recommendation:
    entry: GuideEntrySpec
    verdict: Verdict
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Advice:
    summary: tuple[Reason, ...]  # the honest recommendation, as it applies to these answers
    recommendations: tuple[Recommendation, ...]

    def with_verdict(self, verdict: Verdict) -> tuple[Recommendation, ...]:
        return tuple(r for r in self.recommendations if r.verdict == verdict)


# Seed 001, "The Honest Recommendation" and "Final Warning", quoted.
SKIP_UNTIL_FUNDAMENTALS = gettext_lazy(
    "For 90% of learners: skip certifications entirely until you've completed Pillars 1-5."
)
ONE_CLOUD_CERT = gettext_lazy("Then, get at most one cloud platform cert if relevant to your work.")
AFTER_FUNDAMENTALS = gettext_lazy(
    "Get them after fundamentals are solid; choose high-signal options; don't collect them "
    "like Pokemon; never lead with them on resumes."
)
BUILD_FIRST = gettext_lazy(
    "If you have five certifications and zero deployed models, you have a problem."
)
PORTFOLIO_FINE = gettext_lazy(
    "If you have zero certifications and five production systems, you're probably fine."
)
NO_CONDITION_MET = gettext_lazy(
    "None of the guide's “worth pursuing if” conditions matches your answers."
)
NOT_THIS_CLOUD = gettext_lazy(
    "At most one cloud platform certification, and only for the platform you work with."
)


def _honest(text: object) -> Reason:
    return Reason(str(text), ReasonSource.HONEST)


def _recommend(entry: GuideEntrySpec, answers: Answers) -> Recommendation:
    if entry.category == "avoid":
        return Recommendation(
            entry,
            Verdict.AVOID,
            tuple(Reason(t, ReasonSource.WHY_AVOID) for t in entry.why_avoid)
            or (Reason(str(NO_CONDITION_MET), ReasonSource.WORTH_IF),),
        )
    matched_for = [c for c in entry.worth_pursuing_if if not c.against and c.holds(answers)]
    # A "Worth pursuing:" line such as "Never for engineering positions" speaks against.
    matched_against = [
        Reason(c.text, ReasonSource.WORTH_IF)
        for c in entry.worth_pursuing_if
        if c.against and c.holds(answers)
    ] + [
        Reason(c.text, ReasonSource.NOT_WORTH_IF) for c in entry.not_worth_it_if if c.holds(answers)
    ]
    exempt = any(c.when in NO_FUNDAMENTALS_NEEDED for c in matched_for)
    if not answers.fundamentals_done and not exempt:
        matched_against.append(_honest(SKIP_UNTIL_FUNDAMENTALS))
    platform = entry.cloud_platform
    if (
        platform
        and matched_for
        and answers.cloud not in (platform, Cloud.MULTI)
        and entry.category != "low"
    ):
        matched_against.append(_honest(NOT_THIS_CLOUD))
    if matched_against:
        return Recommendation(entry, Verdict.NOT_FOR_YOU, tuple(matched_against))
    if not matched_for:
        reasons = [Reason(str(NO_CONDITION_MET), ReasonSource.WORTH_IF)]
        reasons += [
            Reason(c.text, ReasonSource.WORTH_IF) for c in entry.worth_pursuing_if if not c.when
        ]
        reasons += [Reason(t, ReasonSource.SIGNAL) for t in entry.signal_to_hiring_managers]
        return Recommendation(entry, Verdict.NOT_FOR_YOU, tuple(reasons))
    return Recommendation(
        entry,
        Verdict.WORTH_PURSUING,
        tuple(Reason(c.text, ReasonSource.WORTH_IF) for c in matched_for),
    )


def advise(entries: tuple[GuideEntrySpec, ...], answers: Answers) -> Advice:
    """Seed 001's advice for these answers: per entry a verdict and the lines that decide it.

    Every recommendation carries at least one reason; nothing is recommended that any of the
    guide's "not worth it if" lines rules out, or (except as a structured-learning aid)
    before the fundamentals are done; kinds to avoid are never recommended.
    """
    summary: list[Reason] = []
    if answers.fundamentals_done:
        summary += [_honest(ONE_CLOUD_CERT), _honest(AFTER_FUNDAMENTALS)]
    else:
        summary.append(_honest(SKIP_UNTIL_FUNDAMENTALS))
    if answers.portfolio:
        summary.append(_honest(PORTFOLIO_FINE))
    elif not answers.hands_on_ml:
        summary.append(_honest(BUILD_FIRST))
    order = {Verdict.WORTH_PURSUING: 0, Verdict.NOT_FOR_YOU: 1, Verdict.AVOID: 2}
    recommendations = sorted(
        (_recommend(entry, answers) for entry in entries), key=lambda r: order[r.verdict]
    )
    return Advice(tuple(summary), tuple(recommendations))


def may_claim(*, issued_on: date, expires_on: date | None, today: date) -> Decision:
    """R10: the external certificate must be valid on the day it is claimed."""
    if issued_on > today:
        return Refused(
            rule="R10",
            reason=_("The certificate's issue date (%(day)s) is in the future.")
            % {"day": date_format(issued_on, "DATE_FORMAT")},
            never=True,
        )
    if expires_on is not None and expires_on < issued_on:
        return Refused(
            rule="R10",
            reason=_("The expiry date is before the issue date."),
            never=True,
        )
    if expires_on is not None and expires_on < today:
        return Refused(
            rule="R10",
            reason=_(
                "This certificate expired on %(day)s. Only a certificate that is valid when "
                "you claim it can earn partial credit; renew it with its provider, then claim "
                "again."
            )
            % {"day": date_format(expires_on, "DATE_FORMAT")},
            never=True,
        )
    return Allowed(rule="R10")


def may_claim_with_badge(*, valid_until: date | None, today: date) -> Decision:
    """R10 for an uploaded Open Badge the platform verified: a credential that expired before
    the day of the claim is refused like an expired certificate, whatever dates the claim
    itself names; one with no end date, or valid today, is allowed."""
    if valid_until is not None and valid_until < today:
        return Refused(
            rule="R10",
            reason=_(
                "The credential you uploaded expired on %(day)s. Only a certificate "
                "that is valid when you claim it can earn partial credit."
            )
            % {"day": date_format(valid_until, "DATE_FORMAT")},
            never=True,
        )
    return Allowed(rule="R10")


def waived_evaluation() -> Allowed:
    """R10 on the candidate's path: an evaluation waived for an approved partial-credit claim
    counts as done, with nothing to book or pay; the path and the planner say so."""
    return Allowed(rule="R10")


class EvidenceRejected(ValueError):
    """An upload that is not one of the accepted kinds, whatever it claims to be."""


OPEN_BADGES_3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context"


def _is_open_badge(data: bytes) -> bool:
    try:
        document = jsonin.parse(data)
    except jsonin.BadJSON:
        return False
    if not isinstance(document, dict):
        return False
    contexts = document.get("@context")
    types = document.get("type")
    contexts = contexts if isinstance(contexts, list) else [contexts]
    types = types if isinstance(types, list) else [types]
    has_context = any(isinstance(c, str) and c.startswith(OPEN_BADGES_3_CONTEXT) for c in contexts)
    return has_context and ("OpenBadgeCredential" in types or "AchievementCredential" in types)


def evidence_kind(data: bytes) -> str:
    """What a file is, from its bytes, never from its name or declared type.

    Returns an ``EvidenceKind`` value ("pdf", "png", "jpeg", "open_badge"); raises
    ``EvidenceRejected`` for anything else (HTML, SVG, scripts, archives …).
    """
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.lstrip()[:1] == b"{" and _is_open_badge(data):
        return "open_badge"
    raise EvidenceRejected(
        _("Upload a PDF, a PNG or JPEG image, or an Open Badges 3.0 credential (JSON).")
    )

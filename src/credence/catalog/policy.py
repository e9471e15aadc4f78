"""The program's rules as plain data, and the pure questions asked of them.

Everything here is built from a validated program file or from the catalog tables by
``catalog.api.program_rules()``; the rule modules of other apps (``exams.policy``,
``credentials.policy``) take a ``ProgramRules`` and never touch the ORM.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import combinations
from types import MappingProxyType
from typing import Any

# The languages a program file may translate its texts into: the site's languages besides
# English, the language the file is written in (settings.LANGUAGES; decision 0037).
TRANSLATION_LANGUAGES = ("de",)


class Kind:
    REQUIRED = "required"
    ELECTIVE = "elective"


@dataclass(frozen=True)
class EvaluationSpec:
    code: str  # e.g. "knowledge-test", "portfolio"
    name: str
    order: int  # 1 is taken first (R1)


@dataclass(frozen=True)
class TopicSpec:
    code: str
    name: str


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    name: str
    weight: int  # relative; weights need not add up to 100
    description: str = ""


@dataclass(frozen=True)
class RubricSpec:
    """How examiners score a certification's portfolio interview: each criterion gets 0 to
    ``scale`` points (``[certifications.rubric]``)."""

    scale: int
    criteria: tuple[CriterionSpec, ...]

    def as_json(self) -> dict[str, Any]:
        """As the catalog stores it (``Certification.rubric``)."""
        return {
            "scale": self.scale,
            "criteria": [
                {"code": c.code, "name": c.name, "weight": c.weight, "description": c.description}
                for c in self.criteria
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RubricSpec:
        return cls(
            scale=data["scale"],
            criteria=tuple(CriterionSpec(**c) for c in data["criteria"]),
        )


@dataclass(frozen=True)
class BlueprintSpec:
    """How a certification's knowledge-test form is drawn (``[certifications.blueprint]``):
    items per topic, in the file's order (the draw follows it), and the time limit (R11)."""

    time_limit_minutes: int
    items_per_topic: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    release: str = "staff"  # or "automatic"

    def as_json(self) -> dict[str, Any]:
        """As the catalog stores it (``Certification.blueprint``): the items per topic as a
        list of pairs, because PostgreSQL's jsonb does not keep the keys of an object in
        order, and the draw follows that order."""
        return {
            "time_limit_minutes": self.time_limit_minutes,
            "release": self.release,
            "items_per_topic": [[topic, count] for topic, count in self.items_per_topic.items()],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BlueprintSpec:
        return cls(
            time_limit_minutes=data["time_limit_minutes"],
            items_per_topic=MappingProxyType(dict(data["items_per_topic"])),
            release=data["release"],
        )


@dataclass(frozen=True)
class CertificationSpec:
    code: str
    name: str
    kind: str  # Kind.REQUIRED or Kind.ELECTIVE
    topics: tuple[str, ...] = ()
    # pass mark per evaluation code, percent 0-100 (R4)
    pass_marks: Mapping[str, Decimal] = field(default_factory=lambda: MappingProxyType({}))
    description: str = ""
    # what holding the certificate proves and does not prove, shown to verifiers
    proves: tuple[str, ...] = ()
    does_not_prove: tuple[str, ...] = ()
    rubric: RubricSpec | None = None  # the portfolio interview's (portfolios app)
    blueprint: BlueprintSpec | None = None  # the knowledge test's form (items app)


@dataclass(frozen=True)
class CompositeSpec:
    code: str
    name: str
    required: tuple[str, ...]
    electives: tuple[str, ...]
    min_electives: int


@dataclass(frozen=True)
class CohortSpec:
    """Candidates who register inside the window (both days included) get ``subsidy_share``
    of each fee paid by the subsidy fund while it can cover it (R8)."""

    code: str
    name: str
    registered_from: date
    registered_until: date
    subsidy_share: Decimal  # 0..1

    def includes(self, day: date) -> bool:
        return self.registered_from <= day <= self.registered_until


@dataclass(frozen=True)
class WaiverSpec:
    certification: str
    evaluation: str


@dataclass(frozen=True)
class RecognitionSpec:
    """An external certification and the evaluations an approved claim for it may waive (R10).
    Staff decide each claim; this is a suggestion, not an entitlement."""

    code: str
    name: str
    provider: str
    signal_guide: str  # the signal guide entry's name; "" when the guide does not rate it
    may_waive: tuple[WaiverSpec, ...] = ()


@dataclass(frozen=True)
class IssuerSpec:
    """Who issues the program's invoices, credit notes and refund statements (``[issuer]``):
    what a German invoice must name (section 14 UStG) and where candidates pay."""

    legal_name: str
    address: tuple[str, ...]  # lines, as printed under the name
    tax_number: str  # Steuernummer, or the tax office's number where the issuer is seated
    iban: str  # normalised: capitals, no spaces
    bic: str
    bank_name: str
    vat_id: str = ""  # USt-IdNr., when the issuer has one
    note: str = ""  # printed under the issuer block, e.g. that the demo's values are fictitious

    @property
    def iban_grouped(self) -> str:
        """The IBAN as people read and type it: groups of four."""
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))

    def as_json(self) -> dict[str, Any]:
        """As the catalog stores it (``Program.issuer``)."""
        return {
            "legal_name": self.legal_name,
            "address": list(self.address),
            "tax_number": self.tax_number,
            "vat_id": self.vat_id,
            "iban": self.iban,
            "bic": self.bic,
            "bank_name": self.bank_name,
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> IssuerSpec:
        return cls(**{**data, "address": tuple(data["address"])})


def iban_checksum_ok(iban: str) -> bool:
    """ISO 13616: the IBAN with its first four characters moved to the end and letters as
    numbers (A = 10 ... Z = 35) leaves remainder 1 when divided by 97. ``iban`` is normalised
    (capitals and digits only)."""
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


@dataclass(frozen=True)
class ProgramRules:
    code: str
    name: str
    time_zone: str
    currency: str
    evaluations: tuple[EvaluationSpec, ...]
    certifications: tuple[CertificationSpec, ...]
    composite: CompositeSpec
    fee_per_evaluation: Decimal = Decimal("200.00")  # R7
    wait_after_failure_months: int = 1  # R2
    max_attempts: int = 3  # R3
    validity_years: int = 5  # R5, R6
    refund_threshold: Decimal = Decimal("90")  # R9, strictly over
    recertification_window_months: int = 6  # R12
    reminder_days: tuple[int, ...] = (180, 90, 30)  # R12
    appeal_window_days: int = 30  # A1: days after a result's release to appeal it
    challenge_window_days: int = 14  # C1: days after submitting a test to challenge an item
    default_pass_mark: Decimal = Decimal("70")  # R4, when a certification sets none
    provider: str = ""
    contact_email: str = ""
    cohorts: tuple[CohortSpec, ...] = ()  # R8
    recognitions: tuple[RecognitionSpec, ...] = ()  # R10
    topics: tuple[TopicSpec, ...] = ()  # in the file's order
    # patterns the portfolio evidence report adds to its own bot patterns ([portfolio] bots)
    portfolio_bots: tuple[str, ...] = ()
    issuer: IssuerSpec | None = None  # [issuer]: on invoices, credit notes, refund statements

    def certification(self, code: str) -> CertificationSpec:
        for spec in self.certifications:
            if spec.code == code:
                return spec
        raise KeyError(code)

    def topics_of(self, certification: str) -> tuple[TopicSpec, ...]:
        """The certification's topics with their names, in the program's topic order."""
        by_code = {t.code: t for t in self.topics}
        return tuple(by_code[code] for code in self.certification(certification).topics)

    def evaluations_in_order(self) -> tuple[EvaluationSpec, ...]:
        return tuple(sorted(self.evaluations, key=lambda e: e.order))

    def evaluation(self, code: str) -> EvaluationSpec:
        for spec in self.evaluations:
            if spec.code == code:
                return spec
        raise KeyError(code)

    def earlier_evaluations(self, code: str) -> tuple[EvaluationSpec, ...]:
        order = self.evaluation(code).order
        return tuple(e for e in self.evaluations_in_order() if e.order < order)

    def pass_mark(self, certification: str, evaluation: str) -> Decimal:
        marks = self.certification(certification).pass_marks
        return marks.get(evaluation, self.default_pass_mark)

    def cohort_for(self, registered_on: date) -> CohortSpec | None:
        """R8: the cohort a candidate belongs to by registration day, or None (no subsidy)."""
        for cohort in self.cohorts:
            if cohort.includes(registered_on):
                return cohort
        return None

    def waivable_by(self, external: str) -> tuple[WaiverSpec, ...]:
        """R10: what the recognition table suggests an external certification may waive."""
        for recognition in self.recognitions:
            if recognition.code == external:
                return recognition.may_waive
        return ()


def topic_overlaps(program: ProgramRules) -> dict[tuple[str, str], tuple[str, ...]]:
    """Topics shared by each pair of electives (seed 000: CV and NLP both meet Generative AI)."""
    electives = [program.certification(code) for code in program.composite.electives]
    overlaps: dict[tuple[str, str], tuple[str, ...]] = {}
    for first, second in combinations(electives, 2):
        shared = tuple(sorted(set(first.topics) & set(second.topics)))
        if shared:
            overlaps[(first.code, second.code)] = shared
    return overlaps

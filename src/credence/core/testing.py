"""Plain-data fixtures for rule tests: the AI Engineer program's rules without a database."""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType

from credence.catalog.policy import (
    CertificationSpec,
    CompositeSpec,
    EvaluationSpec,
    Kind,
    ProgramRules,
)

REQUIRED = ("ml-expert", "mlops", "responsible-ai")
ELECTIVES = ("computer-vision", "nlp", "multimodal-ml", "generative-ai")
TEST = "knowledge-test"
PORTFOLIO = "portfolio"


def ai_engineer_rules(**overrides: object) -> ProgramRules:
    marks = MappingProxyType({TEST: Decimal(70), PORTFOLIO: Decimal(70)})
    certifications = tuple(
        CertificationSpec(code=code, name=code, kind=kind, pass_marks=marks)
        for codes, kind in ((REQUIRED, Kind.REQUIRED), (ELECTIVES, Kind.ELECTIVE))
        for code in codes
    )
    values: dict[str, object] = {
        "code": "ai-engineer",
        "name": "AI Engineer Certification",
        "time_zone": "Europe/Berlin",
        "currency": "EUR",
        "evaluations": (
            EvaluationSpec(TEST, "knowledge test", 1),
            EvaluationSpec(PORTFOLIO, "portfolio interview", 2),
        ),
        "certifications": certifications,
        "composite": CompositeSpec("ai-engineer", "AI Engineer", REQUIRED, ELECTIVES, 3),
    }
    values.update(overrides)
    return ProgramRules(**values)  # type: ignore[arg-type]

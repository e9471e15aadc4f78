"""Helpers for every app's tests, kept out of the installed package: plain-data fixtures for
rule tests (the AI Engineer program's rules without a database) and the suite's cheap
password hasher."""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType

from django.contrib.auth.hashers import Argon2PasswordHasher

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


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2, as in production, at its smallest cost: the suite hashes a password for nearly
    every user it makes, and the production cost (about 0.1 s of CPU each) was minutes of CI.
    Hashes still start with ``argon2`` and are checked the same way."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1

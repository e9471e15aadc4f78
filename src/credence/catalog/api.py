"""What other apps call: the program's rules as plain data, and its certifications.

For example ``program_rules().pass_mark("nlp", "portfolio")``: ``program_rules()`` without a
code is the only program loaded.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from credence.catalog.policy import BlueprintSpec, ProgramRules, RubricSpec
from credence.catalog.programfile import ProgramFileError, check_program_file
from credence.catalog.selectors import (
    ProgramNotLoaded,
    TopicOverlap,
    certification_model,
    certifications_for,
    criterion_names,
    evaluation_model,
    program_contact_email,
    program_get,
    program_model,
    program_rules,
    rules_cached,
    rules_for,
    topic_overlaps_for,
)
from credence.catalog.services import (
    LoadResult,
    ProgramLoadError,
    pass_mark_set,
    program_load_file,
)

__all__ = [
    "BlueprintSpec",
    "LoadResult",
    "ProgramFileError",
    "ProgramLoadError",
    "ProgramNotLoaded",
    "ProgramRules",
    "RubricSpec",
    "TopicOverlap",
    "certification_model",
    "certifications_for",
    "criterion_names",
    "evaluation_model",
    "pass_mark_set",
    "program_contact_email",
    "program_get",
    "program_load_file",
    "program_model",
    "program_rules",
    "rules_cached",
    "rules_for",
    "rules_from_file",
    "topic_overlaps_for",
]


def rules_from_file(path: str | Path | None = None) -> ProgramRules:
    """The rules of a program file without the database (default: the AI Engineer program),
    for pure policy tests and tools; never the program in force, which is the one loaded in
    the catalog (``program_rules``). Raises ``ProgramFileError`` if the file has problems."""
    return check_program_file(path or settings.CREDENCE_DEFAULT_PROGRAM).to_rules()

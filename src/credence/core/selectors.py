"""Reads for the public pages: the program as a candidate first meets it."""

from __future__ import annotations

from dataclasses import dataclass

from credence.catalog import api as catalog_api
from credence.catalog.policy import CertificationSpec, Kind, ProgramRules


@dataclass(frozen=True)
class CertificationRow:
    spec: CertificationSpec
    required: bool
    topic_names: tuple[str, ...]


@dataclass(frozen=True)
class Overlap:
    """Two electives that share topics, by name, for the page."""

    first: str
    second: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class ProgramOverview:
    rules: ProgramRules
    certifications: tuple[CertificationRow, ...]
    overlaps: tuple[Overlap, ...]

    @property
    def required_count(self) -> int:
        return len(self.rules.composite.required)

    @property
    def elective_count(self) -> int:
        return len(self.rules.composite.electives)


def program_overview() -> ProgramOverview | None:
    """The loaded program for the home page, or None before `credence program load` ran."""
    try:
        program = catalog_api.program_get()
    except catalog_api.ProgramNotLoaded:
        return None
    # the rules kept by their version: the home page is the most visited page of all
    rules = catalog_api.rules_cached(program)
    names = {topic.code: topic.name for topic in rules.topics}
    return ProgramOverview(
        rules=rules,
        certifications=tuple(
            CertificationRow(
                spec, spec.kind == Kind.REQUIRED, tuple(names[code] for code in spec.topics)
            )
            for spec in rules.certifications
        ),
        overlaps=tuple(
            Overlap(
                rules.certification(o.first).name,
                rules.certification(o.second).name,
                o.topic_names,
            )
            for o in catalog_api.topic_overlaps_for(program)
        ),
    )


def program_contact() -> str:
    """The program office's address for every page's footer; "" before a program is loaded
    (and while several are, as ``program_get`` refuses to choose)."""
    return catalog_api.program_contact_email()

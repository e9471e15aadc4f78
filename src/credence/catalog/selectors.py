"""Reads of the catalog. Other apps go through ``catalog.api``, which re-exports these."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from uuid import UUID

from django.db import connection
from django.db.models import Prefetch, QuerySet

from credence.catalog.models import (
    Certification,
    CertificationKind,
    Evaluation,
    ExternalCertification,
    Program,
    RecognitionRule,
    Topic,
)
from credence.catalog.policy import (
    BlueprintSpec,
    CertificationSpec,
    CohortSpec,
    CompositeSpec,
    EvaluationSpec,
    IssuerSpec,
    Kind,
    ProgramRules,
    RecognitionSpec,
    RubricSpec,
    TopicSpec,
    WaiverSpec,
    topic_overlaps,
)
from credence.core.compiled import CompiledRead
from credence.core.translated import active_language, translated


class ProgramNotLoaded(LookupError):
    """No program (or, without a code, more than one) is in the catalog."""


# Nearly every request reads the program row (its rules version says whether the kept rules
# still hold): compiled once (decision 0047, issue 14).
_PROGRAM_COLUMNS = tuple(f.attname for f in Program._meta.concrete_fields)
_FIRST_TWO_PROGRAMS = CompiledRead(lambda: Program.objects.values_list(*_PROGRAM_COLUMNS)[:2])


def program_get(code: str | None = None) -> Program:
    """The program with ``code``; without a code, the only program there is."""
    if code is not None:
        try:
            return Program.objects.get(code=code)
        except Program.DoesNotExist:
            raise ProgramNotLoaded(
                f'No program "{code}" is loaded; run `credence program load FILE`.'
            ) from None
    programs = [
        Program.from_db(connection.alias, _PROGRAM_COLUMNS, row)
        for row in _FIRST_TWO_PROGRAMS.rows()
    ]
    if not programs:
        raise ProgramNotLoaded("No program is loaded; run `credence program load`.")
    if len(programs) > 1:
        raise ProgramNotLoaded("Several programs are loaded; name the one you mean by its code.")
    return programs[0]


def program_contact_email() -> str:
    """The office address of the only program there is; "" when none or several are loaded.
    For every page's footer, so it reads that one column only."""
    emails = list(Program.objects.values_list("contact_email", flat=True)[:2])
    return emails[0] if len(emails) == 1 else ""


def program_model(code: str | None = None) -> Program:
    """The program row, for other apps' foreign keys (same lookup as ``program_get``)."""
    return program_get(code)


def certification_model(code: str, *, program: Program | None = None) -> Certification | None:
    """The certification row with ``code``, for foreign keys; None for the composite award's
    code, which has no row of its own. An unknown code raises ``Certification.DoesNotExist``."""
    program = program or program_get()
    if code == program.composite_code:
        return None
    kept = _rows_cached(program)[0].get(code)
    if kept is not None:
        return kept
    try:
        return program.certifications.get(code=code)
    except Certification.DoesNotExist:
        raise Certification.DoesNotExist(
            f'Program "{program.code}" has no certification "{code}".'
        ) from None


def evaluation_model(code: str, *, program: Program | None = None) -> Evaluation:
    """The evaluation row with ``code``; an unknown code raises ``Evaluation.DoesNotExist``."""
    program = program or program_get()
    kept = _rows_cached(program)[1].get(code)
    if kept is not None:
        return kept
    try:
        return program.evaluations.get(code=code)
    except Evaluation.DoesNotExist:
        raise Evaluation.DoesNotExist(
            f'Program "{program.code}" has no evaluation "{code}".'
        ) from None


def criterion_names(certification: Certification) -> dict[str, str]:
    """The certification's rubric criteria's names in the active language, by code; empty
    when they read as the rubric has them (decision 0037)."""
    names = translated(certification.translations, "criteria", {})
    return dict(names) if isinstance(names, dict) else {}


def program_rules(code: str | None = None) -> ProgramRules:
    """The rules of a program as plain data, for the pure rules of the other apps: one query
    for the program's row, the rest kept by its rules version (``rules_cached``)."""
    return rules_cached(program_get(code))


def certifications_for(program: Program) -> QuerySet[Certification]:
    """The program's certifications in the file's order, with their topics (in order)."""
    return program.certifications.order_by("position").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("position")),
        "pass_marks__evaluation",
    )


def rules_for(program: Program) -> ProgramRules:
    evaluations = tuple(
        EvaluationSpec(code=e.code, name=e.name, order=e.order)
        for e in program.evaluations.order_by("order")
    )
    certifications = list(certifications_for(program))
    specs = tuple(
        CertificationSpec(
            code=c.code,
            name=c.name,
            kind=c.kind,
            topics=tuple(t.code for t in c.topics.all()),
            pass_marks=MappingProxyType(
                {e.code: program.default_pass_mark for e in evaluations}
                | {m.evaluation.code: m.mark for m in c.pass_marks.all()}
            ),
            description=c.description,
            proves=tuple(c.proves),
            does_not_prove=tuple(c.does_not_prove),
            rubric=RubricSpec.from_json(c.rubric) if c.rubric else None,
            blueprint=BlueprintSpec.from_json(c.blueprint) if c.blueprint else None,
        )
        for c in certifications
    )
    externals = program.external_certifications.order_by("position").prefetch_related(
        Prefetch(
            "rules",
            queryset=RecognitionRule.objects.select_related("certification", "evaluation").order_by(
                "certification__position", "evaluation__order"
            ),
        )
    )
    return ProgramRules(
        code=program.code,
        name=program.name,
        time_zone=program.time_zone,
        currency=program.currency,
        evaluations=evaluations,
        certifications=specs,
        composite=CompositeSpec(
            code=program.composite_code,
            name=program.composite_name,
            required=tuple(c.code for c in certifications if c.kind == CertificationKind.REQUIRED),
            electives=tuple(c.code for c in certifications if c.kind == CertificationKind.ELECTIVE),
            min_electives=program.composite_min_electives,
        ),
        fee_per_evaluation=program.fee_per_evaluation,
        wait_after_failure_months=program.wait_after_failure_months,
        max_attempts=program.max_attempts,
        validity_years=program.validity_years,
        refund_threshold=program.refund_threshold,
        recertification_window_months=program.recertification_window_months,
        reminder_days=tuple(program.reminder_days),
        appeal_window_days=program.appeal_window_days,
        challenge_window_days=program.challenge_window_days,
        default_pass_mark=program.default_pass_mark,
        provider=program.provider,
        contact_email=program.contact_email,
        cohorts=tuple(
            CohortSpec(
                code=c.code,
                name=c.name,
                registered_from=c.registered_from,
                registered_until=c.registered_until,
                subsidy_share=c.subsidy_share,
            )
            for c in program.cohorts.order_by("registered_from")
        ),
        recognitions=tuple(_recognition(e) for e in externals),
        topics=tuple(
            TopicSpec(code=t.code, name=t.name) for t in program.topics.order_by("position")
        ),
        portfolio_bots=tuple(program.portfolio_bots),
        issuer=IssuerSpec.from_json(program.issuer) if program.issuer else None,
    )


# The rules by program and version (catalog.signals writes a new ``rules_version`` with every
# change to a program or its rows), for pages that many people read: a change is read again on
# the next request, in every process. Names and texts are those of the active language
# (decision 0037), so the rules are kept per language too.
_RULES: dict[tuple[int, UUID, str | None], ProgramRules] = {}
_RULES_MAX = 64


def rules_cached(program: Program) -> ProgramRules:
    """The rules of ``program`` at the version of the row passed in, read from the catalog
    only the first time this process meets that version. Pass a row read in this request;
    one read with some columns only (``only()``) is read whole then. Names and texts are in
    the active language, English where the program file gives none."""
    key = (program.pk, program.rules_version, active_language())
    rules = _RULES.get(key)
    if rules is None:
        if program.get_deferred_fields():
            # one query rather than one per column the rules use
            program = Program.objects.get(pk=program.pk)
        rules = rules_for(program)
        if len(_RULES) >= _RULES_MAX:
            _RULES.clear()
        _RULES[key] = rules
    return rules


# The certification and evaluation rows by program and version, kept like the rules: a booking
# needs them for its foreign keys and its invoice line, and reads them on every request
# otherwise (issue 14). Callers only read these rows; a changed row has a new version.
_ROWS: dict[tuple[int, UUID], tuple[dict[str, Certification], dict[str, Evaluation]]] = {}


def _rows_cached(program: Program) -> tuple[dict[str, Certification], dict[str, Evaluation]]:
    key = (program.pk, program.rules_version)
    rows = _ROWS.get(key)
    if rows is None:
        rows = (
            {c.code: c for c in program.certifications.all()},
            {e.code: e for e in program.evaluations.all()},
        )
        if len(_ROWS) >= _RULES_MAX:
            _ROWS.clear()
        _ROWS[key] = rows
    return rows


def _recognition(external: ExternalCertification) -> RecognitionSpec:
    return RecognitionSpec(
        code=external.code,
        name=external.name,
        provider=external.provider,
        signal_guide=external.signal_guide,
        may_waive=tuple(
            WaiverSpec(r.certification.code, r.evaluation.code) for r in external.rules.all()
        ),
    )


@dataclass(frozen=True)
class TopicOverlap:
    """Two electives that share topics (seed 000: CV and NLP meet Generative AI)."""

    first: str  # certification codes
    second: str
    topics: tuple[str, ...]  # topic codes
    topic_names: tuple[str, ...]


def topic_overlaps_for(program: Program) -> list[TopicOverlap]:
    # from the kept rules: the home page and the planner read this on every request
    rules = rules_cached(program)
    names = {t.code: t.name for t in rules.topics}
    return [
        TopicOverlap(first, second, shared, tuple(names[code] for code in shared))
        for (first, second), shared in topic_overlaps(rules).items()
    ]


# The program for the public home page, as a candidate first meets it.


@dataclass(frozen=True)
class CertificationRow:
    spec: CertificationSpec
    required: bool
    topic_names: tuple[str, ...]


@dataclass(frozen=True)
class OverlapNames:
    """Two electives that share topics, by name, for the page."""

    first: str
    second: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class ProgramOverview:
    rules: ProgramRules
    certifications: tuple[CertificationRow, ...]
    overlaps: tuple[OverlapNames, ...]

    @property
    def required_count(self) -> int:
        return len(self.rules.composite.required)

    @property
    def elective_count(self) -> int:
        return len(self.rules.composite.electives)


def program_overview() -> ProgramOverview | None:
    """The loaded program for the home page, or None before `credence program load` ran."""
    try:
        program = program_get()
    except ProgramNotLoaded:
        return None
    # the rules kept by their version: the home page is the most visited page of all
    rules = rules_cached(program)
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
            OverlapNames(
                rules.certification(o.first).name,
                rules.certification(o.second).name,
                o.topic_names,
            )
            for o in topic_overlaps_for(program)
        ),
    )

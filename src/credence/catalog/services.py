"""Writes to the catalog. Loading a program file makes the catalog rows match it.

``program_load`` is idempotent: the same file loaded twice changes nothing the second time
(rows are saved only when a value differs, so ``updated_at`` stays put) and reports
"unchanged". Rows the file no longer holds are removed, but only while no other app refers
to them: a certification someone has booked or been awarded cannot silently disappear.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from django.conf import settings
from django.db import models, router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError

from credence.accounts.models import User
from credence.audit.api import record
from credence.catalog import signals
from credence.catalog.models import (
    Certification,
    Cohort,
    Evaluation,
    ExternalCertification,
    PassMark,
    Program,
    RecognitionRule,
    Topic,
)
from credence.catalog.policy import TRANSLATION_LANGUAGES
from credence.catalog.programfile import check_program_file

if TYPE_CHECKING:
    from pydantic import BaseModel

    from credence.catalog.programschema import ProgramFile

M = TypeVar("M", bound=models.Model)
K = TypeVar("K", bound=Hashable)


def stored_translations(translations: BaseModel | None, **renamed: str) -> dict[str, Any]:
    """``{"de": {field: text}}`` as the catalog stores it (``core.translated``), without the
    fields a language leaves out; ``renamed`` maps a file key to the column it translates.
    Here, not beside the schema: the catalog's api imports this module, and ``programschema``
    (pydantic) is loaded only when a file is checked (issue 14: every ``--help`` under 0.5 s)."""
    stored: dict[str, Any] = {}
    for language in TRANSLATION_LANGUAGES:
        texts = getattr(translations, language, None) if translations else None
        if texts is None:
            continue
        values = {renamed.get(k, k): v for k, v in texts.model_dump(exclude_none=True).items()}
        if values:
            stored[language] = values
    return stored


class ProgramLoadError(Exception):
    """The file is valid but cannot be applied to the catalog as it stands."""


@dataclass(frozen=True)
class LoadResult:
    program: Program
    status: Literal["created", "updated", "unchanged"]
    changes: tuple[str, ...]  # one line per row created, updated or removed


def program_load_file(
    path: str | Path | None = None, *, acting_user: User | None = None
) -> LoadResult:
    """Check and load a program file (default: settings.CREDENCE_DEFAULT_PROGRAM).
    Raises ``ProgramFileError`` if the file has problems."""
    path = Path(path or settings.CREDENCE_DEFAULT_PROGRAM)
    program_file = check_program_file(path)
    return program_load(
        program_file=program_file,
        source_text=path.read_text(encoding="utf-8"),
        acting_user=acting_user,
    )


@transaction.atomic
def program_load(
    *, program_file: ProgramFile, source_text: str, acting_user: User | None = None
) -> LoadResult:
    with signals.one_new_version(program_file.program.code):
        return _load(program_file, source_text, acting_user)


def _load(program_file: ProgramFile, source_text: str, acting_user: User | None) -> LoadResult:
    """Make the program's rows match the file, step by step in the order their references
    need (a pass mark names a certification and an evaluation, so those come first); each
    step returns what later steps refer to and the rows the file no longer holds."""
    sha256 = hashlib.sha256(source_text.encode("utf-8")).hexdigest()
    changes: list[str] = []
    existing = Program.objects.select_for_update().filter(code=program_file.program.code).first()
    # read before the program's row takes the new hash
    old_sha256 = existing.source_sha256 if existing else None
    program = _load_program(program_file, existing, sha256, changes)
    evaluations, stale_evaluations = _load_evaluations(program_file, program, changes)
    topics, stale_topics = _load_topics(program_file, program, changes)
    certifications, stale_certifications = _load_certifications(
        program_file, program, topics, changes
    )
    stale_marks = _load_pass_marks(program_file, program, certifications, evaluations, changes)
    stale_cohorts = _load_cohorts(program_file, program, changes)
    externals, stale_externals = _load_external_certifications(program_file, program, changes)
    stale_rules = _load_recognition_rules(
        program_file, program, externals, certifications, evaluations, changes
    )
    # Dependent rows go first, so that what remains to remove is referenced only from
    # outside the catalog, if at all.
    for label, stale in (
        ("recognition rule", stale_rules),
        ("pass mark", stale_marks),
        ("external certification", stale_externals),
        ("cohort", stale_cohorts),
        ("certification", stale_certifications),
        ("topic", stale_topics),
        ("evaluation", stale_evaluations),
    ):
        _remove(label, stale, program.code, changes)
    status = _record_load(program, existing, old_sha256, sha256, changes, acting_user)
    return LoadResult(program=program, status=status, changes=tuple(changes))


def _load_program(
    program_file: ProgramFile, existing: Program | None, sha256: str, changes: list[str]
) -> Program:
    """The program's own row: ``[program]``, ``[rules]``, ``[composite]``, the portfolio's
    bots and the issuer, and the file's hash (the audit event's before and after)."""
    spec = program_file.program
    rules = program_file.rules
    composite = program_file.composite
    programs, _ = _sync(
        "program",
        Program,
        {spec.code: existing} if existing else {},
        {
            spec.code: {
                "name": spec.name,
                "provider": spec.provider,
                "contact_email": spec.contact_email,
                "time_zone": spec.time_zone,
                "currency": spec.currency,
                "fee_per_evaluation": rules.fee_per_evaluation,
                "wait_after_failure_months": rules.wait_after_failure_months,
                "max_attempts": rules.max_attempts,
                "validity_years": rules.validity_years,
                "refund_threshold": rules.refund_threshold,
                "default_pass_mark": rules.default_pass_mark,
                "recertification_window_months": rules.recertification_window_months,
                "reminder_days": list(rules.reminder_days),
                "appeal_window_days": rules.appeal_window_days,
                "challenge_window_days": rules.challenge_window_days,
                "composite_code": composite.code,
                "composite_name": composite.name,
                "composite_min_electives": composite.min_electives,
                "portfolio_bots": list(program_file.portfolio.bots),
                "issuer": program_file.issuer.to_spec().as_json() if program_file.issuer else None,
                "source_sha256": sha256,
                "translations": _merged(
                    stored_translations(spec.translations),
                    stored_translations(composite.translations, name="composite_name"),
                ),
            }
        },
        lambda code: {"code": code},
        changes,
    )
    return programs[spec.code]


def _load_evaluations(
    program_file: ProgramFile, program: Program, changes: list[str]
) -> tuple[dict[str, Evaluation], list[Evaluation]]:
    """The evaluations in the file's order; returns them by code, and those it no longer holds."""
    return _sync(
        "evaluation",
        Evaluation,
        {e.code: e for e in program.evaluations.all()},
        {
            e.code: {
                "name": e.name,
                "description": e.description,
                "order": order,
                "translations": stored_translations(e.translations),
            }
            for order, e in enumerate(program_file.evaluations, start=1)
        },
        lambda code: {"program": program, "code": code},
        changes,
    )


def _load_topics(
    program_file: ProgramFile, program: Program, changes: list[str]
) -> tuple[dict[str, Topic], list[Topic]]:
    """The topics in the file's order; returns them by code, and those it no longer holds."""
    return _sync(
        "topic",
        Topic,
        {t.code: t for t in program.topics.all()},
        {
            t.code: {
                "name": t.name,
                "position": i,
                "translations": stored_translations(t.translations),
            }
            for i, t in enumerate(program_file.topics)
        },
        lambda code: {"program": program, "code": code},
        changes,
    )


def _load_certifications(
    program_file: ProgramFile,
    program: Program,
    topics: dict[str, Topic],
    changes: list[str],
) -> tuple[dict[str, Certification], list[Certification]]:
    """The certifications with their texts, rubric and blueprint, then the topics each
    covers; returns them by code, and those the file no longer holds."""
    known = {c.code: c for c in program.certifications.prefetch_related("topics")}
    certifications, stale = _sync(
        "certification",
        Certification,
        known,
        {
            c.code: {
                "name": c.name,
                "kind": c.kind,
                "description": c.description,
                "proves": list(c.proves),
                "does_not_prove": list(c.does_not_prove),
                "suggested_projects": list(c.suggested_projects),
                "rubric": c.rubric.to_spec().as_json() if c.rubric else None,
                "blueprint": c.blueprint.to_spec().as_json() if c.blueprint else None,
                "position": i,
                "translations": stored_translations(c.translations),
            }
            for i, c in enumerate(program_file.certifications)
        },
        lambda code: {"program": program, "code": code},
        changes,
    )
    for entry in program_file.certifications:
        certification = certifications[entry.code]
        wanted = {topics[code].pk for code in entry.topics}
        if entry.code not in known:
            # a new certification's topics are part of its "created" line
            certification.topics.add(*wanted)
        elif {t.pk for t in certification.topics.all()} != wanted:
            certification.topics.set(wanted)
            changes.append(f"updated certification {entry.code}: topics")
    return certifications, stale


def _load_pass_marks(
    program_file: ProgramFile,
    program: Program,
    certifications: dict[str, Certification],
    evaluations: dict[str, Evaluation],
    changes: list[str],
) -> list[PassMark]:
    """R4's pass mark of each evaluation of each certification; returns the marks the file
    no longer holds."""
    marks = {
        (m.certification.code, m.evaluation.code): m
        for m in PassMark.objects.filter(certification__program=program).select_related(
            "certification", "evaluation"
        )
    }
    # An adopted standard's mark outranks the file's (R4, decision 0018): the file neither
    # resets nor removes it.
    adopted = {key for key, m in marks.items() if m.from_standard_setting}
    _, stale = _sync(
        "pass mark",
        PassMark,
        {key: m for key, m in marks.items() if key not in adopted},
        {
            (c.code, evaluation): {"mark": mark}
            for c in program_file.certifications
            for evaluation, mark in c.pass_marks.items()
            if (c.code, evaluation) not in adopted
        },
        lambda key: {"certification": certifications[key[0]], "evaluation": evaluations[key[1]]},
        changes,
    )
    return stale


def _load_cohorts(program_file: ProgramFile, program: Program, changes: list[str]) -> list[Cohort]:
    """The cohorts with their registration windows and subsidy shares; returns those the
    file no longer holds."""
    _, stale = _sync(
        "cohort",
        Cohort,
        {c.code: c for c in program.cohorts.all()},
        {
            c.code: {
                "name": c.name,
                "registered_from": c.registered_from,
                "registered_until": c.registered_until,
                "subsidy_share": c.subsidy_share,
                "translations": stored_translations(c.translations),
            }
            for c in program_file.cohorts
        },
        lambda code: {"program": program, "code": code},
        changes,
    )
    return stale


def _load_external_certifications(
    program_file: ProgramFile, program: Program, changes: list[str]
) -> tuple[dict[str, ExternalCertification], list[ExternalCertification]]:
    """The external certifications of ``[[recognition]]`` in the file's order; returns them
    by code, and those the file no longer holds."""
    return _sync(
        "external certification",
        ExternalCertification,
        {e.code: e for e in program.external_certifications.all()},
        {
            r.code: {
                "name": r.name,
                "provider": r.provider,
                "signal_guide": r.signal_guide,
                "position": i,
            }
            for i, r in enumerate(program_file.recognition)
        },
        lambda code: {"program": program, "code": code},
        changes,
    )


def _load_recognition_rules(
    program_file: ProgramFile,
    program: Program,
    externals: dict[str, ExternalCertification],
    certifications: dict[str, Certification],
    evaluations: dict[str, Evaluation],
    changes: list[str],
) -> list[RecognitionRule]:
    """Which evaluation of which certification each external certification may waive (a
    rule has no values but its key); returns the rules the file no longer holds."""
    _, stale = _sync(
        "recognition rule",
        RecognitionRule,
        {
            (r.external.code, r.certification.code, r.evaluation.code): r
            for r in RecognitionRule.objects.filter(external__program=program).select_related(
                "external", "certification", "evaluation"
            )
        },
        {
            (r.code, w.certification, w.evaluation): {}
            for r in program_file.recognition
            for w in r.may_waive
        },
        lambda key: {
            "external": externals[key[0]],
            "certification": certifications[key[1]],
            "evaluation": evaluations[key[2]],
        },
        changes,
    )
    return stale


def _record_load(
    program: Program,
    existing: Program | None,
    old_sha256: str | None,
    sha256: str,
    changes: list[str],
    acting_user: User | None,
) -> Literal["created", "updated", "unchanged"]:
    """The load's status, and its audit event unless nothing changed (loading the same
    file again writes no event). ``existing`` is the program's row before the load, if any,
    ``old_sha256`` the hash of the file it was loaded from."""
    if existing is None:
        status: Literal["created", "updated", "unchanged"] = "created"
    elif changes:
        status = "updated"
    else:
        status = "unchanged"
    if status != "unchanged":
        record(
            action=f"catalog.program_{status}",
            subject=program,
            actor=acting_user,
            reason="program file loaded",
            before={"source_sha256": old_sha256} if existing else None,
            after={"source_sha256": sha256, "changes": changes},
        )
    return status


def _merged(*translations: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """One row's translations from several sections of the file (``[program]`` and
    ``[composite]`` both translate the program's row)."""
    merged: dict[str, dict[str, Any]] = {}
    for each in translations:
        for language, texts in each.items():
            merged.setdefault(language, {}).update(texts)
    return merged


def _sync(
    label: str,
    model: type[M],
    existing: dict[K, M],
    desired: dict[K, dict[str, Any]],
    identity: Callable[[K], dict[str, Any]],
    changes: list[str],
) -> tuple[dict[K, M], list[M]]:
    """Create the desired rows that are missing and save those whose values differ.
    Returns the rows by key, and the existing rows the file no longer holds."""
    rows: dict[K, M] = {}
    for key, values in desired.items():
        row = existing.get(key)
        if row is None:
            # the catalog's models keep Django's one manager, ``objects``
            row = model._default_manager.create(**identity(key), **values)
            changes.append(f"created {label} {_key_text(key)}")
        else:
            # the stored values, not a translation the active language would read
            changed = [
                name
                for name, value in values.items()
                if cast(models.Field[Any, Any], row._meta.get_field(name)).value_from_object(row)
                != value
            ]
            if changed:
                for name in changed:
                    setattr(row, name, values[name])
                # auto_now fields are saved only when named in update_fields
                stamp = ["updated_at"] if hasattr(row, "updated_at") else []
                row.save(update_fields=[*changed, *stamp])
                changes.append(f"updated {label} {_key_text(key)}: {', '.join(changed)}")
        rows[key] = row
    stale = [row for key, row in existing.items() if key not in desired]
    return rows, stale


def _key_text(key: Hashable) -> str:
    return "/".join(map(str, key)) if isinstance(key, tuple) else str(key)


def _remove(
    label: str, rows: Sequence[models.Model], program_code: str, changes: list[str]
) -> None:
    for row in rows:
        name = getattr(row, "code", None) or str(row)
        users = _references_outside_catalog(row)
        if users:
            raise ProgramLoadError(
                f'The file no longer holds the {label} "{name}" of program "{program_code}", '
                f"but {', '.join(users)} refer to it; keep it in the file (its name and "
                "texts may change, its code may not)."
            )
        row.delete()
        changes.append(f"removed {label} {name}")


def _references_outside_catalog(row: models.Model) -> list[str]:
    """What deleting ``row`` would delete, protect against or modify in other apps' tables."""
    collector = Collector(using=router.db_for_write(type(row)))
    try:
        collector.collect([row])
    except (ProtectedError, RestrictedError) as exc:
        blocked = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", [])
        return sorted({f"{obj._meta.verbose_name_plural}" for obj in blocked})
    found: set[str] = set()
    for model, instances in collector.data.items():
        if model._meta.app_label != "catalog" and instances:
            found.add(str(model._meta.verbose_name_plural))
    for queryset in collector.fast_deletes:
        if queryset.model._meta.app_label != "catalog" and queryset.exists():
            found.add(str(queryset.model._meta.verbose_name_plural))
    for (field, _value), batches in collector.field_updates.items():
        model = field.model
        if model._meta.app_label == "catalog":
            continue
        # django-stubs still types a batch as model instances (Django < 4.2); Django 5.2's are
        # querysets
        if any(b.exists() if hasattr(b, "exists") else len(b) for b in batches):  # type: ignore[arg-type]
            found.add(str(model._meta.verbose_name_plural))
    return sorted(found)


@transaction.atomic
def pass_mark_set(
    *, certification: str, evaluation: str, mark: Any, reason: str, acting_user: User
) -> tuple[Any, Any]:
    """Set R4's pass mark of one evaluation of one certification from an adopted standard
    (decision 0018): reloading the program file keeps it. Returns (mark before, mark after)
    and writes the audit event."""
    program = Program.objects.select_for_update().get(
        pk=Certification.objects.get(code=certification).program_id
    )
    certification_row = program.certifications.get(code=certification)
    evaluation_row = program.evaluations.get(code=evaluation)
    row = PassMark.objects.filter(
        certification=certification_row, evaluation=evaluation_row
    ).first()
    before = row.mark if row else program.default_pass_mark
    if row is None:
        row = PassMark.objects.create(
            certification=certification_row,
            evaluation=evaluation_row,
            mark=mark,
            from_standard_setting=True,
        )
    else:
        row.mark = mark
        row.from_standard_setting = True
        row.save(update_fields=["mark", "from_standard_setting"])
    record(
        action="catalog.pass_mark_set",
        subject=row,
        actor=acting_user,
        reason=reason,
        before={"mark": str(before)},
        after={"mark": str(mark)},
    )
    return before, row.mark

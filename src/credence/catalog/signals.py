"""Every change to a program or one of its rows writes a new ``Program.rules_version``, so
that it versions the program's rules as a whole: ``selectors.rules_cached`` keeps the rules by
it and reads them again when it moves, in every process.

Receivers rather than calls in the services, because the rules change on more paths than the
services: the office edits every one of these rows in the admin, inlines included. The new
version is written after the row and in its transaction, so a reader that sees the new
version also sees the new rows. Writes that send no signals (``QuerySet.update``,
``bulk_create``) must therefore not be used on these rows; nothing in Credence does. The
program file's loader writes dozens of rows at once: inside ``one_new_version`` the receivers
only note a change, and the program gets one new version when the block ends.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models import Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

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

_PARTS = (
    Evaluation,
    Certification,
    Topic,
    PassMark,
    Cohort,
    ExternalCertification,
    RecognitionRule,
)


# Inside ``one_new_version``: whether a row of the program changed. None outside it.
_changed: ContextVar[list[bool] | None] = ContextVar("catalog_rows_changed", default=None)


@contextmanager
def one_new_version(program_code: str) -> Iterator[None]:
    """Rows of program ``program_code`` written in the block give it one new version at the
    end (in the caller's transaction), instead of one per row: loading the default program
    wrote 47. Only for writes to that program's rows."""
    changed: list[bool] = []
    token = _changed.set(changed)
    try:
        yield
    finally:
        _changed.reset(token)
    if changed:
        Program.objects.filter(code=program_code).update(rules_version=uuid.uuid4())


def _programs_of(row: Model) -> QuerySet[Program]:
    if isinstance(row, PassMark):
        certification = Certification.objects.filter(pk=row.certification_id)
        return Program.objects.filter(pk__in=certification.values("program_id"))
    if isinstance(row, RecognitionRule):
        external = ExternalCertification.objects.filter(pk=row.external_id)
        return Program.objects.filter(pk__in=external.values("program_id"))
    return Program.objects.filter(pk=row.program_id)  # type: ignore[attr-defined]


def _new_version(instance: Model, raw: bool = False, **_: Any) -> None:
    # fixtures (raw) bring the program row's own version
    if raw:
        return
    changed = _changed.get()
    if changed is None:
        _programs_of(instance).update(rules_version=uuid.uuid4())
    else:
        changed.append(True)


def _new_version_for_topics(instance: Model, action: str, **_: Any) -> None:
    # instance: the certification, or the topic when changed from the topic's side
    if action in ("post_add", "post_remove", "post_clear"):
        _new_version(instance)


def _program_saving(instance: Program, raw: bool = False, **_: Any) -> None:
    # a save of the whole row (the admin's, or of a copy read earlier) writes a new version
    if not raw:
        instance.rules_version = uuid.uuid4()


def _program_saved(
    instance: Program, raw: bool = False, update_fields: Any = None, **_: Any
) -> None:
    # a save of some fields only (the program file's loader) writes the new version after them
    if not raw and update_fields is not None and "rules_version" not in update_fields:
        Program.objects.filter(pk=instance.pk).update(rules_version=instance.rules_version)


def connect() -> None:
    pre_save.connect(_program_saving, sender=Program, dispatch_uid="catalog-version-program")
    post_save.connect(_program_saved, sender=Program, dispatch_uid="catalog-version-program")
    for model in _PARTS:
        uid = f"catalog-version-{model.__name__}"
        post_save.connect(_new_version, sender=model, dispatch_uid=uid)
        post_delete.connect(_new_version, sender=model, dispatch_uid=uid)
    m2m_changed.connect(
        _new_version_for_topics,
        sender=Certification.topics.through,
        dispatch_uid="catalog-version-topics",
    )

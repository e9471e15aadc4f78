from __future__ import annotations

from decimal import Decimal

import pytest

from credence.audit.models import AuditEvent
from credence.catalog import services
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
from credence.catalog.programfile import check_program_text
from credence.catalog.services import ProgramLoadError, program_load, program_load_file

pytestmark = pytest.mark.django_db

CATALOG_MODELS = [
    Program,
    Topic,
    Certification,
    Evaluation,
    PassMark,
    Cohort,
    ExternalCertification,
    RecognitionRule,
]


def load(text: str):
    return program_load(program_file=check_program_text(text, source="test.toml"), source_text=text)


def without_cohorts(text: str) -> str:
    before, after = text.split("[[cohorts]]")
    return before + "[[recognition]]" + after.split("[[recognition]]")[1]


def snapshot() -> dict[str, list[dict]]:
    """Every catalog row with all its values, to compare before and after a load."""
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in CATALOG_MODELS}
    rows["topics"] = sorted(
        Certification.topics.through.objects.values_list("certification_id", "topic_id")
    )
    return rows


def test_loading_the_default_program_creates_the_catalog():
    result = program_load_file()

    assert result.status == "created"
    program = Program.objects.get(code="ai-engineer")
    assert program.fee_per_evaluation == Decimal("200.00")
    assert program.contact_email == "kisz@hpi.de"
    assert program.reminder_days == [180, 90, 30]
    assert len(program.source_sha256) == 64
    assert Certification.objects.count() == 7
    assert Evaluation.objects.count() == 2
    assert Cohort.objects.count() == 2
    assert ExternalCertification.objects.count() == 3
    assert RecognitionRule.objects.count() == 4
    assert PassMark.objects.count() == 0  # the default file sets no overrides
    assert list(
        Certification.objects.get(code="nlp")
        .topics.order_by("position")
        .values_list("code", flat=True)
    ) == ["text-classification", "language-models", "text-generation"]
    event = AuditEvent.objects.get()
    assert event.action == "catalog.program_created"
    assert event.subject_id == str(program.pk)


def test_loading_the_same_file_twice_changes_nothing():
    program_load_file()
    before = snapshot()

    result = program_load_file()

    assert result.status == "unchanged"
    assert result.changes == ()
    assert snapshot() == before  # includes every updated_at
    assert AuditEvent.objects.count() == 1  # only the creation


def test_an_edited_file_updates_only_what_changed(minimal_text):
    load(minimal_text)
    vision_before = Certification.objects.get(code="vision")
    core_before = Certification.objects.get(code="core")

    edited = minimal_text.replace('name = "Vision"', 'name = "Computer vision"').replace(
        'fee_per_evaluation = "200.00"', 'fee_per_evaluation = "180.00"'
    )
    result = load(edited)

    assert result.status == "updated"
    assert "updated certification vision: name" in result.changes
    assert any(c.startswith("updated program mini: fee_per_evaluation") for c in result.changes)
    vision = Certification.objects.get(code="vision")
    assert vision.name == "Computer vision"
    assert vision.updated_at > vision_before.updated_at
    assert Certification.objects.get(code="core").updated_at == core_before.updated_at
    assert Program.objects.get().fee_per_evaluation == Decimal("180.00")
    event = AuditEvent.objects.order_by("id").last()
    assert event.action == "catalog.program_updated"
    assert "updated certification vision: name" in event.after["changes"]


def test_pass_marks_topics_and_waivers_follow_the_file(minimal_text):
    load(minimal_text)
    assert PassMark.objects.get().mark == Decimal("75")

    edited = (
        minimal_text.replace(
            'pass_marks = { portfolio = "75" }', 'pass_marks = { portfolio = "80" }'
        )
        .replace(
            'topics = ["image-generation"]', 'topics = ["image-generation", "text-generation"]'
        )
        .replace(
            '{ certification = "core", evaluation = "knowledge-test" },',
            '{ certification = "vision", evaluation = "knowledge-test" },',
        )
    )
    result = load(edited)

    assert PassMark.objects.get().mark == Decimal("80")
    assert set(Certification.objects.get(code="vision").topics.values_list("code", flat=True)) == {
        "image-generation",
        "text-generation",
    }
    rule = RecognitionRule.objects.get()
    assert (rule.certification.code, rule.evaluation.code) == ("vision", "knowledge-test")
    assert "removed recognition rule other-cert → core / knowledge-test" in result.changes


def test_rows_no_longer_in_the_file_are_removed(minimal_text):
    load(minimal_text)

    result = load(without_cohorts(minimal_text))

    assert "removed cohort first" in result.changes
    assert not Cohort.objects.exists()


def test_a_referenced_row_is_not_removed(minimal_text, monkeypatch):
    load(minimal_text)
    before = snapshot()
    # Stand-in for another app's booking that refers to the cohort.
    monkeypatch.setattr(services, "_references_outside_catalog", lambda row: ["bookings"])
    edited = minimal_text.replace('name = "Vision"', 'name = "Computer vision"')

    with pytest.raises(ProgramLoadError, match='cohort "first" of program "mini", but bookings'):
        load(without_cohorts(edited))

    assert snapshot() == before  # the whole load was rolled back, the rename too


def test_catalog_only_references_do_not_block_removal(minimal_text):
    load(minimal_text)

    assert services._references_outside_catalog(Certification.objects.get(code="language")) == []
    assert services._references_outside_catalog(Evaluation.objects.get(code="portfolio")) == []


def test_a_certification_with_attempts_is_not_removed(minimal_text):
    # A real reference from another app: an exam attempt protects its certification.
    from django.contrib.auth import get_user_model

    from credence.exams.models import Attempt

    load(minimal_text)
    candidate = get_user_model().objects.create_user(email="candidate@example.org")
    Attempt.objects.create(
        candidate=candidate,
        certification=Certification.objects.get(code="language"),
        evaluation=Evaluation.objects.get(code="knowledge-test"),
        held_on="2026-03-02",
    )
    without_language = minimal_text.split('[[certifications]]\ncode = "language"')[0] + (
        "[composite]" + minimal_text.split("[composite]")[1]
    ).replace('electives = ["vision", "language"]', 'electives = ["vision"]')

    with pytest.raises(ProgramLoadError, match=r'certification "language" .* refer to it'):
        load(without_language)

    assert Certification.objects.filter(code="language").exists()

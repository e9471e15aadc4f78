"""``rules_cached``: the program's rules kept by its rules version, which every change to the
program or one of its rows replaces (catalog.signals), whichever path made the change: the
program file's loader, a service, the admin's saves of single rows and inlines."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from credence.catalog import api
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
from credence.catalog.services import pass_mark_set, program_load_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def program():
    program_load_file()


def cached():
    # the program row read afresh, as each request of the verification page reads it
    return api.rules_cached(Program.objects.get())


def test_the_rules_are_read_once_per_version(django_assert_num_queries):
    first = cached()
    assert first == api.program_rules()
    with django_assert_num_queries(1):  # the program row; the rules are kept
        assert cached() is first


def rename_certification() -> None:
    certification = Certification.objects.get(code="ml-expert")
    certification.name = "Renamed"
    certification.save()


def load_a_rule() -> None:
    # the loader saves only the fields that differ
    program = Program.objects.get()
    program.max_attempts += 1
    program.save(update_fields=["max_attempts", "updated_at"])


def set_a_pass_mark() -> None:
    pass_mark_set(
        certification="ml-expert",
        evaluation="portfolio",
        mark=Decimal("77"),
        reason="adopted standard",
        acting_user=None,
    )


def remove_a_topic() -> None:
    certification = Certification.objects.get(code="ml-expert")
    certification.topics.remove(certification.topics.first())


def recode_a_topic() -> None:
    topic = Topic.objects.filter(certifications__code="ml-expert").first()
    assert topic is not None
    topic.code = "renamed"
    topic.save()


def rename_an_evaluation() -> None:
    evaluation = Evaluation.objects.get(code="portfolio")
    evaluation.name = "Portfolio review"
    evaluation.save()


def delete_a_cohort() -> None:
    Cohort.objects.first().delete()  # type: ignore[union-attr]


def delete_a_recognition_rule() -> None:
    RecognitionRule.objects.first().delete()  # type: ignore[union-attr]


def rename_an_external_certification() -> None:
    external = ExternalCertification.objects.first()
    assert external is not None
    external.name = "Renamed external"
    external.save()


@pytest.mark.parametrize(
    "change",
    [
        rename_certification,
        load_a_rule,
        set_a_pass_mark,
        remove_a_topic,
        recode_a_topic,
        rename_an_evaluation,
        delete_a_cohort,
        delete_a_recognition_rule,
        rename_an_external_certification,
    ],
)
def test_every_change_is_read_on_the_next_call(change: Callable[[], None]):
    before = cached()
    change()
    after = cached()
    assert after != before
    assert after == api.program_rules()


def test_saving_a_stale_copy_of_the_program_never_brings_back_a_version():
    stale = Program.objects.get()
    seen = {stale.rules_version}
    load_a_rule()
    seen.add(Program.objects.get().rules_version)
    cached()
    stale.save()  # the admin's save of a form read before the change: the old values again
    assert Program.objects.get().rules_version not in seen
    assert cached() == api.program_rules()


def test_a_deleted_pass_mark_is_read_on_the_next_call():
    set_a_pass_mark()
    before = cached()
    PassMark.objects.filter(mark=Decimal("77")).delete()
    after = cached()
    assert after != before
    assert after == api.program_rules()


def test_the_rows_for_foreign_keys_are_kept_by_version_too(django_assert_num_queries):
    program = Program.objects.get()
    first = api.certification_model("ml-expert", program=program)
    evaluation = api.evaluation_model("knowledge-test", program=program)
    with django_assert_num_queries(0):  # a booking's keys and invoice line read nothing
        assert api.certification_model("ml-expert", program=program) is first
        assert api.evaluation_model("knowledge-test", program=program) is evaluation
    rename_certification()
    renamed = api.certification_model("ml-expert", program=Program.objects.get())
    assert renamed.name == "Renamed"
    assert renamed is not first
    with pytest.raises(Certification.DoesNotExist, match='no certification "nope"'):
        api.certification_model("nope", program=program)

"""The item bank against a real database: versions, topics, all-or-nothing imports."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credence.audit.models import AuditEvent
from credence.catalog.models import Certification
from credence.catalog.programfile import check_program_file
from credence.items.content import ItemFileError
from credence.items.gift import parse_gift
from credence.items.models import Item, ItemVersion
from credence.items.policy import Blueprint, draw_form
from credence.items.selectors import bank_contents, bank_for_drawing, current_versions
from credence.items.services import SaveStatus, item_save, item_version_mark_used, items_import

BANK = (
    "$CATEGORY: ML Expert/basics\n\n"
    "// [tag:model-evaluation]\n"
    "::overfit:: A model that fits noise in its training data is {~underfit =overfit}.\n\n"
    "// [tag:supervised-learning]\n"
    "::labels:: Supervised learning needs labelled examples. {T}\n"
)


@pytest.fixture
def ml_expert(db):
    call_command("program", "load", verbosity=0)
    return Certification.objects.get(code="ml-expert")


def test_import_creates_items_with_their_topics(ml_expert):
    results = items_import(certification=ml_expert, items=parse_gift(BANK), acting_user=None)

    assert [r.status for r in results] == [SaveStatus.CREATED, SaveStatus.CREATED]
    overfit = Item.objects.get(name="overfit").current
    assert overfit.number == 1
    assert [t.code for t in overfit.topics.all()] == ["model-evaluation"]
    assert overfit.item_content.category == "ML Expert/basics"
    assert AuditEvent.objects.filter(action="item.created").count() == 2


def test_importing_the_same_file_again_changes_nothing(ml_expert):
    items_import(certification=ml_expert, items=parse_gift(BANK), acting_user=None)

    again = items_import(certification=ml_expert, items=parse_gift(BANK), acting_user=None)

    assert {r.status for r in again} == {SaveStatus.UNCHANGED}
    assert ItemVersion.objects.count() == 2


def test_editing_an_unused_version_corrects_it_in_place(ml_expert):
    items_import(certification=ml_expert, items=parse_gift(BANK), acting_user=None)
    edited = BANK.replace("=overfit", "=overfitted")

    results = items_import(certification=ml_expert, items=parse_gift(edited), acting_user=None)

    assert results[0].status == SaveStatus.UPDATED
    assert Item.objects.get(name="overfit").versions.count() == 1
    assert Item.objects.get(name="overfit").current.item_content.choices[1].text == "overfitted"


def test_editing_a_used_version_keeps_it_and_adds_a_new_one(ml_expert):
    (first, _) = items_import(certification=ml_expert, items=parse_gift(BANK), acting_user=None)
    item_version_mark_used(version=first.version, now=datetime(2026, 3, 2, 9, tzinfo=UTC))
    old_content = first.version.content

    result = item_save(
        certification=ml_expert,
        content=replace(first.version.item_content, stem="Fitting noise is called _____."),
        acting_user=None,
    )

    assert result.status == SaveStatus.NEW_VERSION
    assert result.version.number == 2
    first.version.refresh_from_db()
    assert first.version.content == old_content  # what the attempt saw is still there
    assert first.version.first_used_at == datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert [v.number for v in current_versions(ml_expert)] == [1, 2]  # labels v1, overfit v2
    assert AuditEvent.objects.filter(action="item.new_version").count() == 1


def test_an_import_of_every_kind_keeps_each_versions_topics_and_its_order(ml_expert):
    (used, _) = items_import(certification=ml_expert, items=parse_gift(BANK), acting_user=None)
    item_version_mark_used(version=used.version, now=datetime(2026, 3, 2, 9, tzinfo=UTC))
    edited = (
        BANK.replace("=overfit", "=overfitted")  # used: a new version
        .replace("[tag:supervised-learning]", "[tag:model-evaluation]")  # unused: corrected
        .replace("::labels::", "// [tag:supervised-learning]\n::labels::")
        + "\n// [tag:supervised-learning]\n::fresh:: Labels cost money. {T}\n"
    )

    results = items_import(certification=ml_expert, items=parse_gift(edited), acting_user=None)

    assert [(r.item.name, r.status, r.version.number) for r in results] == [
        ("overfit", SaveStatus.NEW_VERSION, 2),
        ("labels", SaveStatus.UPDATED, 1),
        ("fresh", SaveStatus.CREATED, 1),
    ]
    topics = {
        (v.item.name, v.number): sorted(t.code for t in v.topics.all())
        for v in ItemVersion.objects.all()
    }
    assert topics == {
        ("overfit", 1): ["model-evaluation"],
        ("overfit", 2): ["model-evaluation"],
        ("labels", 1): ["model-evaluation", "supervised-learning"],
        ("fresh", 1): ["supervised-learning"],
    }
    assert Counter(
        AuditEvent.objects.filter(action__startswith="item.").values_list("action", flat=True)
    ) == {
        "item.created": 3,
        "item.new_version": 1,
        "item.updated": 1,
    }


def test_an_import_takes_as_many_statements_for_sixty_items_as_for_two(
    ml_expert, django_assert_max_num_queries
):
    sixty = "".join(
        f"// [tag:model-evaluation]\n::item-{n}:: Item {n} is true. {{T}}\n\n" for n in range(60)
    )
    with CaptureQueriesContext(connection) as two:
        items_import(certification=ml_expert, items=parse_gift(BANK), acting_user=None)

    with django_assert_max_num_queries(len(two)):
        items_import(certification=ml_expert, items=parse_gift(sixty), acting_user=None)

    assert Item.objects.count() == 62


def test_first_use_is_kept(ml_expert):
    (first, _) = items_import(certification=ml_expert, items=parse_gift(BANK), acting_user=None)
    item_version_mark_used(version=first.version, now=datetime(2026, 3, 2, tzinfo=UTC))
    item_version_mark_used(version=first.version, now=datetime(2026, 4, 2, tzinfo=UTC))

    first.version.refresh_from_db()
    assert first.version.first_used_at == datetime(2026, 3, 2, tzinfo=UTC)


def test_a_tag_that_is_not_a_topic_of_the_certification_imports_nothing(ml_expert):
    bad = BANK + "\n// [tag:fairness]\n::fair:: Fairness matters. {T}\n"

    with pytest.raises(ItemFileError) as caught:
        items_import(certification=ml_expert, items=parse_gift(bad), acting_user=None)

    ((line, message),) = [(p.line, p.message) for p in caught.value.problems]
    assert line == 10
    assert message.startswith("“fairness” is not a topic of ml-expert")
    assert not Item.objects.exists()


def test_two_items_with_one_name_import_nothing(ml_expert):
    twice = BANK + "\n::labels:: Again. {F}\n"

    with pytest.raises(ItemFileError) as caught:
        items_import(certification=ml_expert, items=parse_gift(twice), acting_user=None)

    assert [p.line for p in caught.value.problems] == [7, 9]
    assert not Item.objects.exists()


def test_export_gives_the_current_items(ml_expert):
    items_import(certification=ml_expert, items=parse_gift(BANK), acting_user=None)

    assert bank_contents(ml_expert) == sorted(
        (p.content for p in parse_gift(BANK)), key=lambda c: c.label
    )


def test_a_form_is_drawn_from_the_bank_by_the_default_programs_blueprint(ml_expert):
    lines = []
    for topic in ("supervised-learning", "model-evaluation", "model-deployment"):
        for n in range(21):
            lines.append(f"// [tag:{topic}]\n::{topic}-{n}:: Pick {n}. {{=right ~wrong ~other}}\n")
    items_import(certification=ml_expert, items=parse_gift("\n".join(lines)), acting_user=None)
    section = check_program_file(settings.CREDENCE_DEFAULT_PROGRAM).certification("ml-expert")

    form = draw_form(
        Blueprint.of(section.blueprint),
        bank_for_drawing(ml_expert),
        seen_items=frozenset(),
        seed="attempt-1",
    )

    assert len(form.items) == 60
    assert Counter(f.topic for f in form.items) == {
        "supervised-learning": 20,
        "model-evaluation": 20,
        "model-deployment": 20,
    }
    assert all(sorted(f.option_order) == [0, 1, 2] for f in form.items)

"""Retiring and reinstating items, counting their uses, and the import's dry run, against a
real database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from credence.audit.models import AuditEvent
from credence.catalog.models import Certification
from credence.items.content import ItemFileError
from credence.items.gift import parse_gift, write_gift
from credence.items.models import Item, ItemVersion
from credence.items.policy import Blueprint, draw_form, may_reinstate, may_retire
from credence.items.selectors import bank_contents, bank_for_drawing, bank_rows, items_plan
from credence.items.services import (
    BankRefused,
    SaveStatus,
    item_reinstate,
    item_retire,
    item_version_mark_used,
    items_import,
)

BANK = (
    "// [tag:model-evaluation]\n"
    "::overfit:: A model that fits noise in its training data is {~underfit =overfit}.\n\n"
    "// [tag:supervised-learning]\n"
    "::labels:: Supervised learning needs labelled examples. {T}\n\n"
    "// [tag:supervised-learning]\n"
    "::bias:: Which error does a model too simple for its data make? {=bias ~variance}\n"
)
NOW = datetime(2026, 12, 5, 9, tzinfo=UTC)


@pytest.fixture
def ml_expert(db):
    call_command("program", "load", verbosity=0)
    certification = Certification.objects.get(code="ml-expert")
    items_import(certification=certification, items=parse_gift(BANK), acting_user=None)
    return certification


def test_the_rules_refuse_retiring_twice_and_reinstating_an_item_in_use():
    assert may_retire(retired=False).allowed
    assert not may_retire(retired=True).allowed
    assert may_reinstate(retired=True).allowed
    assert not may_reinstate(retired=False).allowed


def test_a_retired_item_is_never_drawn_into_a_new_form(ml_expert, django_user_model):
    author = django_user_model.objects.create_user("a@example.invalid", "x" * 12, full_name="A")
    labels = Item.objects.get(name="labels")

    item_retire(item=labels, acting_user=author, now=NOW)

    assert labels.pk not in {b.item_id for b in bank_for_drawing(ml_expert)}
    # whatever the seed, a form asking for every supervised-learning item gets only "bias"
    blueprint = Blueprint(time_limit_minutes=10, items_per_topic={"supervised-learning": 1})
    for seed in range(20):
        form = draw_form(
            blueprint, bank_for_drawing(ml_expert), seen_items=frozenset(), seed=str(seed)
        )
        assert [f.item_id for f in form.items] == [Item.objects.get(name="bias").pk]
    event = AuditEvent.objects.get(action="item.retired")
    assert event.actor == author and event.subject_id == str(labels.pk)
    assert event.after == {"retired_at": NOW.isoformat()}


def test_a_retired_item_keeps_its_versions_for_the_attempts_that_saw_them(ml_expert):
    labels = Item.objects.get(name="labels")
    item_version_mark_used(version=labels.current, now=NOW)

    item_retire(item=labels, acting_user=None, now=NOW)

    assert ItemVersion.objects.filter(item=labels).count() == 1
    row = next(r for r in bank_rows(certification=ml_expert) if r.item == labels)
    assert row.item.retired and row.uses == 1


def test_reinstating_puts_it_back_into_the_draw_with_an_audit_event(ml_expert):
    labels = Item.objects.get(name="labels")
    item_retire(item=labels, acting_user=None, now=NOW)

    item_reinstate(item=labels, acting_user=None)

    labels.refresh_from_db()
    assert not labels.retired
    assert labels.pk in {b.item_id for b in bank_for_drawing(ml_expert)}
    assert AuditEvent.objects.get(action="item.reinstated").before == {
        "retired_at": NOW.isoformat()
    }


def test_retiring_twice_is_refused_and_keeps_the_first_date(ml_expert):
    labels = Item.objects.get(name="labels")
    item_retire(item=labels, acting_user=None, now=NOW)

    with pytest.raises(BankRefused) as refused:
        item_retire(item=labels, acting_user=None, now=datetime(2026, 12, 6, tzinfo=UTC))

    assert refused.value.decision.rule == "bank"
    labels.refresh_from_db()
    assert labels.retired_at == NOW
    assert AuditEvent.objects.filter(action="item.retired").count() == 1
    with pytest.raises(BankRefused):
        item_reinstate(item=Item.objects.get(name="bias"), acting_user=None)


def test_an_export_leaves_retired_items_out_and_imports_back_unchanged(ml_expert):
    item_retire(item=Item.objects.get(name="labels"), acting_user=None, now=NOW)

    exported = write_gift(bank_contents(ml_expert))

    assert "::labels::" not in exported and "::overfit::" in exported
    again = items_import(certification=ml_expert, items=parse_gift(exported), acting_user=None)
    assert {r.status for r in again} == {SaveStatus.UNCHANGED}


def test_every_form_drawn_counts_a_use_and_the_first_freezes_the_version(ml_expert):
    version = Item.objects.get(name="bias").current

    item_version_mark_used(version=version, now=NOW)
    item_version_mark_used(version=version, now=datetime(2026, 12, 6, tzinfo=UTC))

    version.refresh_from_db()
    assert version.use_count == 2 and version.first_used_at == NOW


def test_the_dry_run_says_what_each_item_would_become_and_changes_nothing(ml_expert):
    item_version_mark_used(version=Item.objects.get(name="bias").current, now=NOW)
    item_retire(item=Item.objects.get(name="labels"), acting_user=None, now=NOW)
    events = AuditEvent.objects.count()
    edited = (
        BANK.replace("=overfit}", "=overfitting}")
        .replace("=bias ~variance", "=bias ~variance ~noise")
        .replace("{T}", "{F}")
        + "\n// [tag:model-evaluation]\n::auc:: AUC is a ranking measure. {T}\n"
    )

    plans = items_plan(certification=ml_expert, items=parse_gift(edited))

    assert [(p.parsed.content.label, p.status, p.retired) for p in plans] == [
        ("overfit", SaveStatus.UPDATED, False),
        ("labels", SaveStatus.UPDATED, True),
        ("bias", SaveStatus.NEW_VERSION, False),
        ("auc", SaveStatus.CREATED, False),
    ]
    assert AuditEvent.objects.count() == events
    assert not Item.objects.filter(name="auc").exists()
    assert ItemVersion.objects.count() == 3


def test_the_dry_run_reports_every_problem_with_its_line(ml_expert):
    text = BANK + "\n// [tag:no-such-topic]\n::stray:: Which? {=a ~b}\n"

    with pytest.raises(ItemFileError) as problems:
        items_plan(certification=ml_expert, items=parse_gift(text))

    assert [p.line for p in problems.value.problems] == [11]  # the question, after its tags
    assert "no-such-topic" in problems.value.problems[0].message


def test_the_bank_list_searches_by_certification_topic_and_words(ml_expert):
    mlops = Certification.objects.get(code="mlops")
    topic = mlops.topics.order_by("position").first()
    items_import(
        certification=mlops,
        items=parse_gift(
            f"// [tag:{topic.code}]\n::drift:: Data drift is noticed by monitoring. {{T}}\n"
        ),
        acting_user=None,
    )

    def names(**search: object) -> list[str]:
        return [row.item.name for row in bank_rows(**search)]

    assert names() == ["bias", "labels", "overfit", "drift"]  # by certification, then name
    assert names(certification=mlops) == ["drift"]
    assert names(topic="supervised-learning") == ["bias", "labels"]
    assert names(text="NOISE training") == ["overfit"]  # every word, any case, in the text
    assert names(text="lab") == ["labels"]  # or the name
    assert names(certification=mlops, text="bias") == []

"""``credence items load [DIR]``: a program's shipped item bank, one file per certification,
each file all or nothing, loading twice changes nothing; and the AI Engineer program's own
shipped bank, which must be big enough to draw forms from."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from credence.audit.models import AuditEvent
from credence.catalog import api as catalog_api
from credence.catalog.models import Certification
from credence.items.management.commands.items import shipped_items_dir
from credence.items.models import Item, ItemVersion
from credence.items.selectors import blueprint_for, drawable_per_topic
from credence.items.tests.test_services import BANK

NLP_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="truefalse">
    <name><text>tokens</text></name>
    <questiontext format="plain_text">
      <text>A tokenizer splits text into tokens.</text>
    </questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
    <tags><tag><text>text-classification</text></tag></tags>
  </question>
</quiz>
"""


@pytest.fixture
def program(db):
    call_command("program", "load", verbosity=0)


def load(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("items", "load", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def bank(code: str) -> set[str]:
    return set(Item.objects.filter(certification__code=code).values_list("name", flat=True))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "ml-expert.gift").write_text(BANK, encoding="utf-8")
    (tmp_path / "nlp.xml").write_text(NLP_XML, encoding="utf-8")
    (tmp_path / "README.md").write_text("not an item file\n", encoding="utf-8")
    return tmp_path


def test_each_file_goes_into_the_bank_its_name_gives_audited(program, folder):
    out, err = load(str(folder))

    assert out.splitlines() == [
        f"OK: {folder / 'ml-expert.gift'}: 2 items in ml-expert (2 created)",
        f"OK: {folder / 'nlp.xml'}: 1 items in nlp (1 created)",
    ]
    assert err == ""
    assert bank("ml-expert") == {"overfit", "labels"}
    assert bank("nlp") == {"tokens"}
    assert AuditEvent.objects.filter(action="item.created").count() == 3


def test_loading_twice_changes_nothing_and_says_so(program, folder):
    load(str(folder))
    events, versions = AuditEvent.objects.count(), ItemVersion.objects.count()

    out, _ = load(str(folder))

    assert out.splitlines()[-1] == (
        "Nothing changed: every item of these files is already in its bank."
    )
    assert "2 unchanged" in out.splitlines()[0]
    assert (AuditEvent.objects.count(), ItemVersion.objects.count()) == (events, versions)


def test_an_edited_file_updates_its_items(program, folder):
    load(str(folder))
    path = folder / "ml-expert.gift"
    path.write_text(BANK.replace("labelled examples", "labeled examples"), encoding="utf-8")

    out, _ = load(str(folder))

    assert f"OK: {path}: 2 items in ml-expert (1 updated (version not used yet), 1 unchanged)" in (
        out.splitlines()
    )
    assert "Nothing changed" not in out


def test_a_bad_file_imports_nothing_names_its_lines_and_exits_2_the_others_load(program, folder):
    (folder / "mlops.gift").write_text(
        "// [tag:ml-pipelines]\n::fine:: Pipelines are code. {T}\n\n"
        "// [tag:fairness]\n::wrong topic:: Fairness is an MLOps topic. {F}\n\n"
        "::broken:: Unclosed {=a\n",
        encoding="utf-8",
    )
    (folder / "data-science.gift").write_text("::q:: 1+1=2 {T}\n", encoding="utf-8")

    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("items", "load", str(folder), stdout=out, stderr=err)

    assert caught.value.returncode == 2
    assert err.getvalue().splitlines() == [
        f"{folder / 'data-science.gift'}:1: “data-science” is not a certification of the loaded "
        "program; an item file is named <certification code>.gift.",
        f"{folder / 'mlops.gift'}:7: The answer block opened here is not closed with }}.",
    ]
    assert str(caught.value) == (
        f"2 of 4 files had problems and imported nothing: {folder / 'data-science.gift'}, "
        f"{folder / 'mlops.gift'}"
    )
    assert bank("mlops") == set()
    assert bank("ml-expert") == {"overfit", "labels"}
    assert bank("nlp") == {"tokens"}


def test_a_tag_that_is_not_a_topic_of_the_certification_is_a_problem_of_its_file(program, tmp_path):
    (tmp_path / "mlops.gift").write_text(
        "// [tag:ml-pipelines]\n::fine:: Pipelines are code. {T}\n\n"
        "// [tag:fairness]\n::wrong topic:: Fairness is an MLOps topic. {F}\n",
        encoding="utf-8",
    )

    err = StringIO()
    with pytest.raises(CommandError):
        call_command("items", "load", str(tmp_path), stdout=StringIO(), stderr=err)

    assert err.getvalue().startswith(f"{tmp_path / 'mlops.gift'}:5: “fairness” is not a topic")
    assert bank("mlops") == set()


def test_without_a_program_it_says_load_one_first(db, folder):
    with pytest.raises(CommandError, match="No program is loaded"):
        load(str(folder))


def test_a_folder_without_item_files_is_refused(program, tmp_path):
    with pytest.raises(CommandError, match=r"no <certification>\.gift"):
        load(str(tmp_path))


def test_the_default_folder_is_next_to_the_default_program_file():
    program = Path(settings.CREDENCE_DEFAULT_PROGRAM)

    assert shipped_items_dir() == program.parent / "ai-engineer-items"
    assert shipped_items_dir(Path("/x/other.toml")) == Path("/x/other-items")


# --- the AI Engineer program's shipped bank -------------------------------------------------

# a required certification's bank holds three forms' worth of every topic (forms for three
# attempts, R3, without repeating an item); an elective's at least one form
FORMS_WORTH = {"required": 3, "elective": 1}


def test_the_shipped_bank_loads_without_problems_and_can_fill_its_forms(program):
    _, err = load()

    assert err == ""
    files = sorted(p.stem for p in shipped_items_dir().iterdir() if p.suffix in (".gift", ".xml"))
    certifications = catalog_api.certifications_for(catalog_api.program_get())
    assert files == sorted(c.code for c in certifications)
    short = []
    for certification in certifications:
        blueprint = blueprint_for(certification.code)
        drawable = drawable_per_topic(certification)
        forms = FORMS_WORTH[certification.kind]
        short.extend(
            f"{certification.code}/{topic}: {drawable.get(topic, 0)} of {forms * wanted}"
            for topic, wanted in blueprint.items_per_topic.items()
            if drawable.get(topic, 0) < forms * wanted
        )
    assert short == []
    assert Item.objects.count() > 0
    assert Certification.objects.filter(kind="required").count() == 3

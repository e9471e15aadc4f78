"""``credence items import|export``."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from credence.items.models import Item
from credence.items.moodlexml import parse_moodle_xml
from credence.items.tests.test_moodlexml import EXAMPLES
from credence.items.tests.test_services import BANK


@pytest.fixture
def program(db):
    call_command("program", "load", verbosity=0)


@pytest.fixture
def bank_file(tmp_path):
    path = tmp_path / "bank.gift"
    path.write_text(BANK, encoding="utf-8")
    return path


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("items", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_reports_each_item(program, bank_file):
    out, _ = run("import", str(bank_file), "--format", "gift", "--certification", "ml-expert")

    assert out.splitlines() == [
        f"OK: {bank_file}: 2 items imported into ml-expert",
        "  created: overfit",
        "  created: labels",
    ]
    assert Item.objects.count() == 2


def test_dry_run_checks_topics_and_imports_nothing(program, bank_file):
    out, _ = run(
        "import", str(bank_file), "--format", "gift", "--certification", "ml-expert", "--dry-run"
    )

    assert out.strip() == f"OK: {bank_file}: 2 items, nothing imported (dry run)"
    assert not Item.objects.exists()
    with pytest.raises(CommandError):
        run("import", str(bank_file), "--format", "gift", "--certification", "nlp", "--dry-run")


def test_json_prints_what_was_understood(program):
    out, err = run("import", str(EXAMPLES), "--format", "moodle-xml", "--dry-run", "--json")

    items = json.loads(out)
    assert [i["type"] for i in items][:3] == ["single_choice", "multiple_choice", "true_false"]
    assert items[0]["choices"][0] == {
        "text": "The correct answer",
        "fraction": "1",
        "correct": True,
        "feedback": "Correct!",
    }
    assert items[0]["category"] == "$course$/top/Default for ML Expert"
    assert "nothing imported" in err


def test_import_without_a_certification_must_be_a_dry_run(program, bank_file):
    with pytest.raises(CommandError, match="--certification"):
        run("import", str(bank_file), "--format", "gift")


def test_a_bad_file_prints_every_problem_with_its_line_and_exits_2(tmp_path):
    path = tmp_path / "bad.gift"
    path.write_text("::a:: Pick {~x ~y}\n\n::b:: Unclosed {=a\n", encoding="utf-8")

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "credence",
            "items",
            "import",
            str(path),
            "--format",
            "gift",
            "--dry-run",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 2
    assert done.stderr.splitlines()[:3] == [
        f"{path}:1: No answer earns any credit.",
        f"{path}:1: The positive weights of a multiple-choice item must add up to 100%.",
        f"{path}:3: The answer block opened here is not closed with }}.",
    ]
    assert "3 problems; nothing imported" in done.stderr


def test_export_reads_back_into_the_same_items(program, tmp_path):
    run("import", str(EXAMPLES), "--format", "moodle-xml", "--certification", "ml-expert")
    target = tmp_path / "out.xml"

    run("export", "--certification", "ml-expert", "--format", "moodle-xml", "--output", str(target))
    gift, _ = run("export", "--certification", "ml-expert", "--format", "gift")

    exported = {p.content for p in parse_moodle_xml(target.read_bytes())}
    assert exported == {p.content for p in parse_moodle_xml(EXAMPLES.read_bytes())}
    assert "::Name of question::" in gift


def test_an_unknown_certification_is_named_not_a_traceback(program, bank_file):
    with pytest.raises(CommandError, match="There is no certification “nope”"):
        run("import", str(bank_file), "--format", "gift", "--certification", "nope")

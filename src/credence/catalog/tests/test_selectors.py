from __future__ import annotations

from decimal import Decimal

import pytest

from credence.catalog import api
from credence.catalog.models import Certification, Evaluation, PassMark, Program
from credence.catalog.programfile import check_program_file, check_program_text
from credence.catalog.services import program_load, program_load_file

pytestmark = pytest.mark.django_db


def test_rules_from_the_database_equal_the_rules_of_the_file(default_path):
    program_load_file()

    assert api.program_rules() == check_program_file(default_path).to_rules()
    assert api.program_rules("ai-engineer") == api.rules_from_file()


def test_a_pass_mark_override_reaches_the_rules(minimal_text):
    program_load(
        program_file=check_program_text(minimal_text, source="m.toml"), source_text=minimal_text
    )

    rules = api.program_rules()

    assert rules.pass_mark("language", "portfolio") == Decimal("75")
    assert rules.pass_mark("language", "knowledge-test") == Decimal("70")
    assert PassMark.objects.count() == 1


def test_no_program_loaded_is_a_clear_error():
    with pytest.raises(api.ProgramNotLoaded, match="No program is loaded"):
        api.program_rules()
    with pytest.raises(api.ProgramNotLoaded, match='No program "other"'):
        api.program_rules("other")


def test_without_a_code_the_program_must_be_the_only_one(minimal_text):
    program_load_file()
    program_load(
        program_file=check_program_text(minimal_text, source="m.toml"), source_text=minimal_text
    )

    with pytest.raises(api.ProgramNotLoaded, match="Several programs"):
        api.program_rules()
    assert api.program_rules("mini").name == "Mini program"


def test_certifications_come_in_the_files_order():
    program_load_file()

    codes = [c.code for c in api.certifications_for(Program.objects.get())]

    assert codes == [
        "ml-expert",
        "mlops",
        "responsible-ai",
        "computer-vision",
        "nlp",
        "multimodal-ml",
        "generative-ai",
    ]


def test_topic_overlaps_name_the_shared_topics():
    program_load_file()

    overlaps = {(o.first, o.second): o for o in api.topic_overlaps_for(Program.objects.get())}

    assert overlaps[("computer-vision", "generative-ai")].topic_names == ("Image generation",)
    assert "Text generation" in overlaps[("nlp", "generative-ai")].topic_names


def test_rows_for_other_apps_foreign_keys():
    program_load_file()

    assert api.program_model() == Program.objects.get(code="ai-engineer")
    assert api.certification_model("nlp").name == "Natural Language Processing"
    assert api.certification_model("ai-engineer") is None  # the composite has no row
    assert api.evaluation_model("portfolio").order == 2
    with pytest.raises(Certification.DoesNotExist, match='no certification "robotics"'):
        api.certification_model("robotics")
    with pytest.raises(Evaluation.DoesNotExist, match='no evaluation "oral-exam"'):
        api.evaluation_model("oral-exam")

"""The program in the catalog is the program in force (issue 17): ``program load`` stores the
rubrics, blueprints, topics and bot patterns, and the catalog's api reads them from there;
the optional ``[portfolio]`` table and its bot patterns (issue 15)."""

from __future__ import annotations

from io import StringIO
from types import MappingProxyType

import pytest
from django.core.management import CommandError, call_command

from credence.catalog import api
from credence.catalog.models import Certification, Program
from credence.catalog.policy import BlueprintSpec, CriterionSpec, RubricSpec
from credence.catalog.programfile import ProgramFileError, check_program_text
from credence.catalog.services import program_load_file
from credence.catalog.tests.programs import (
    OTHER_BLUEPRINT,
    OTHER_BOTS,
    OTHER_TOPICS,
    default_text,
    load_text,
    other_program_text,
)
from credence.catalog.tests.test_services import snapshot


@pytest.mark.django_db
def test_load_stores_the_rubric_the_blueprint_the_topics_and_the_bots():
    program_load_file()
    rules = api.program_rules()

    ml = rules.certification("ml-expert")
    assert ml.rubric == RubricSpec(
        scale=4,
        criteria=(
            CriterionSpec("problem-framing", "Problem framing", 15),
            CriterionSpec("technical-depth", "Technical depth", 25),
            CriterionSpec("engineering-quality", "Engineering quality", 15),
            CriterionSpec("evaluation-rigour", "Evaluation rigour", 25),
            CriterionSpec("communication", "Communication", 10),
            CriterionSpec("relevance", "Relevance to the certification", 10),
        ),
    )
    assert ml.blueprint == BlueprintSpec(
        time_limit_minutes=90,
        items_per_topic=MappingProxyType(
            {"supervised-learning": 20, "model-evaluation": 20, "model-deployment": 20}
        ),
        release="staff",
    )
    assert [(t.code, t.name) for t in rules.topics_of("ml-expert")] == [
        ("supervised-learning", "Supervised learning"),
        ("model-evaluation", "Model evaluation and validation"),
        ("model-deployment", "Model deployment and serving"),
    ]
    assert rules.portfolio_bots == ()
    # every certification's, as the file has them
    assert rules == api.rules_from_file()


@pytest.mark.django_db
def test_loading_another_version_changes_what_is_read_and_the_rules_version():
    program_load_file()
    version = Program.objects.get().rules_version

    result = load_text(other_program_text())

    assert result.status == "updated"
    # translations: the German names of the other rubric's criteria
    assert "updated certification ml-expert: rubric, blueprint, translations" in result.changes
    assert "updated certification ml-expert: topics" in result.changes
    assert any(c.startswith("updated program ai-engineer: portfolio_bots") for c in result.changes)
    assert Program.objects.get().rules_version != version
    rules = api.program_rules()
    ml = rules.certification("ml-expert")
    assert (ml.rubric.scale, [c.code for c in ml.rubric.criteria]) == (5, ["design", "delivery"])
    # the blueprint's own order, which is not the topics' and survives PostgreSQL's jsonb
    assert list(ml.blueprint.items_per_topic.items()) == list(OTHER_BLUEPRINT.items())
    assert ml.blueprint.time_limit_minutes == 30
    assert [t.code for t in rules.topics_of("ml-expert")] == OTHER_TOPICS
    assert rules.portfolio_bots == OTHER_BOTS
    assert rules == check_program_text(other_program_text(), source="other").to_rules()
    # the other certifications are untouched
    assert rules.certification("mlops") == api.rules_from_file().certification("mlops")


@pytest.mark.django_db
def test_loading_a_version_twice_changes_nothing_the_second_time():
    load_text(other_program_text())
    before = snapshot()

    assert load_text(other_program_text()).status == "unchanged"
    assert snapshot() == before


@pytest.mark.django_db
def test_the_rules_in_force_are_kept_by_version(django_assert_num_queries):
    program_load_file()
    first = api.program_rules()
    with django_assert_num_queries(1):
        assert api.program_rules() is first
    load_text(other_program_text())
    assert api.program_rules() is not first


@pytest.mark.django_db
def test_a_certification_without_a_rubric_or_blueprint_stores_none(minimal_text):
    load_text(minimal_text)
    assert set(Certification.objects.values_list("rubric", "blueprint")) == {(None, None)}
    assert Program.objects.get().portfolio_bots == []


# -- [portfolio] bots ------------------------------------------------------------------------


def with_bots(value: str) -> str:
    return default_text().replace("[portfolio]\nbots = []\n", f"[portfolio]\n{value}\n")


def test_bot_patterns_are_optional(minimal_text):
    assert check_program_text(minimal_text, source="t.toml").portfolio.bots == []


@pytest.mark.parametrize(
    ("value", "path", "phrase"),
    [
        ('bots = "nightly runner"', "portfolio.bots", "must be a list"),
        ("bots = [1]", "portfolio.bots[0]", "text in quotes"),
        ('bots = ["*"]', "portfolio.bots[0]", "would match nearly anyone"),
        ('bots = ["*ab*"]', "portfolio.bots[0]", "at least 3 characters"),
        ('bots = [" runner"]', "portfolio.bots[0]", "spaces at its start or end"),
        ('bots = ["run\\tner"]', "portfolio.bots[0]", "control character"),
        ('bots = ["ci-runner", "CI-Runner"]', "portfolio.bots", "more than once"),
        ('bot = ["ci-runner"]', "portfolio.bot", 'did you mean "bots"'),
    ],
)
def test_a_bad_bot_pattern_is_reported_at_its_key(value, path, phrase):
    with pytest.raises(ProgramFileError) as caught:
        check_program_text(with_bots(value), source="t.toml")
    problems = caught.value.problems
    assert [(p.path, phrase in p.message) for p in problems] == [(path, True)], problems
    assert problems[0].line  # the line of [portfolio] or of the key


@pytest.mark.django_db
def test_a_bad_bot_pattern_is_refused_at_load_and_nothing_is_stored(tmp_path):
    program_load_file()
    before = snapshot()
    path = tmp_path / "bad-bots.toml"
    path.write_text(other_program_text().replace('"*@ci.example.org"', '"*@*"'), encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        call_command("program", "load", str(path), stderr=(err := StringIO()))

    assert caught.value.returncode == 2
    assert 'portfolio.bots[1]: The bot pattern "*@*" would match nearly anyone' in err.getvalue()
    assert snapshot() == before

"""The optional ``[certifications.blueprint]`` table: how a knowledge-test form is drawn
(items per topic) and its time limit (issue 3)."""

from __future__ import annotations

import pytest

from credence.catalog.programfile import (
    ProgramFileError,
    check_program_file,
    check_program_text,
)

BLUEPRINT = """
[certifications.blueprint]
time_limit_minutes = 45
items_per_topic = { text-generation = 12 }
"""


def with_blueprint(minimal_text: str, blueprint: str) -> str:
    # it belongs to the last [[certifications]] entry ("language"), written before [composite]
    return minimal_text.replace("\n[composite]", blueprint + "\n[composite]", 1)


def test_the_blueprint_is_optional(minimal_text):
    parsed = check_program_text(minimal_text, source="t.toml")

    assert all(c.blueprint is None for c in parsed.certifications)


def test_a_blueprint_is_read(minimal_text):
    parsed = check_program_text(with_blueprint(minimal_text, BLUEPRINT), source="t.toml")

    blueprint = parsed.certifications[-1].blueprint
    assert blueprint is not None
    assert blueprint.time_limit_minutes == 45
    assert blueprint.items_per_topic == {"text-generation": 12}
    assert blueprint.release == "staff"
    automatic = BLUEPRINT.replace("= 45\n", '= 45\nrelease = "automatic"\n')
    parsed = check_program_text(with_blueprint(minimal_text, automatic), source="t.toml")
    assert parsed.certifications[-1].blueprint.release == "automatic"


@pytest.mark.parametrize(
    ("old", "new", "path", "phrase"),
    [
        ("= 45", "= 0", "time_limit_minutes", "greater than 0"),
        ("text-generation = 12", "text-generation = 0", "text-generation", "greater than 0"),
        ("text-generation = 12", 'text-generation = "12"', "text-generation", "whole number"),
        ("{ text-generation = 12 }", "{}", "items_per_topic", "at least one"),
        (
            "text-generation = 12",
            "image-generation = 3",
            "image-generation",
            "not one of this certification's topics",
        ),
        ("time_limit_minutes", "time_limit", "time_limit", "time_limit_minutes"),
        ("= 45\n", '= 45\nrelease = "never"\n', "release", '"staff" or "automatic"'),
    ],
)
def test_a_bad_blueprint_is_reported_at_its_key(minimal_text, old, new, path, phrase):
    text = with_blueprint(minimal_text, BLUEPRINT.replace(old, new))

    with pytest.raises(ProgramFileError) as caught:
        check_program_text(text, source="t.toml")

    (problem,) = [
        p
        for p in caught.value.problems
        if p.path.endswith(f"blueprint.{path}") or (p.path.endswith(f"items_per_topic.{path}"))
    ]
    assert phrase in problem.message
    assert problem.line is not None


def test_every_certification_of_the_default_program_has_a_blueprint_of_sixty_items(
    default_path,
):
    program = check_program_file(default_path)

    for certification in program.certifications:
        blueprint = certification.blueprint
        assert blueprint is not None, certification.code
        assert sum(blueprint.items_per_topic.values()) == 60
        assert set(blueprint.items_per_topic) == set(certification.topics)

"""The optional ``[certifications.rubric]`` table: the portfolio interview's rubric (issue 4)."""

from __future__ import annotations

import pytest

from credence.catalog.programfile import (
    ProgramFileError,
    check_program_file,
    check_program_text,
)

RUBRIC = """
[certifications.rubric]
scale = 5
criteria = [
    { code = "depth", name = "Technical depth", weight = 3 },
    { code = "communication", name = "Communication", weight = 1 },
]
"""


def with_rubric(minimal_text: str, rubric: str) -> str:
    # the rubric belongs to the last [[certifications]] entry, written just before [composite]
    return minimal_text.replace("\n[composite]", rubric + "\n[composite]", 1)


def test_the_rubric_is_optional(minimal_text):
    parsed = check_program_text(minimal_text, source="t.toml")
    assert all(c.rubric is None for c in parsed.certifications)


def test_a_rubric_is_read_with_its_scale_and_weights(minimal_text):
    parsed = check_program_text(with_rubric(minimal_text, RUBRIC), source="t.toml")
    rubric = parsed.certifications[-1].rubric
    assert rubric is not None
    assert rubric.scale == 5
    assert [(c.code, c.weight) for c in rubric.criteria] == [("depth", 3), ("communication", 1)]


def test_the_scale_defaults_to_four(minimal_text):
    text = with_rubric(minimal_text, RUBRIC.replace("scale = 5\n", ""))
    assert check_program_text(text, source="t.toml").certifications[-1].rubric.scale == 4


@pytest.mark.parametrize(
    ("old", "new", "path", "phrase"),
    [
        ("weight = 3", "weight = 0", "criteria[0].weight", "greater than 0"),
        ("weight = 3", 'weight = "3"', "criteria[0].weight", "whole number"),
        ('code = "communication"', 'code = "depth"', "criteria", "more than once"),
        ("scale = 5", "scale = 11", "scale", "at most 10"),
        ("criteria = [", "criterias = [", "criterias", "criterias"),
    ],
)
def test_a_bad_rubric_is_reported_at_its_key(minimal_text, old, new, path, phrase):
    text = with_rubric(minimal_text, RUBRIC.replace(old, new))
    with pytest.raises(ProgramFileError) as caught:
        check_program_text(text, source="t.toml")
    problems = [p for p in caught.value.problems if ".rubric" in p.path]
    assert problems, caught.value.problems
    assert any(
        p.path.endswith(f"rubric.{path}") and phrase in p.message and p.line for p in problems
    ), problems


def test_an_empty_rubric_is_refused(minimal_text):
    text = with_rubric(minimal_text, "\n[certifications.rubric]\ncriteria = []\n")
    with pytest.raises(ProgramFileError, match="at least one entry"):
        check_program_text(text, source="t.toml")


def test_every_default_certification_has_a_rubric(default_path):
    parsed = check_program_file(default_path)
    for certification in parsed.certifications:
        rubric = certification.rubric
        assert rubric is not None, certification.code
        assert sum(c.weight for c in rubric.criteria) == 100
        assert {c.code for c in rubric.criteria} >= {"technical-depth", "relevance"}

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import ftfy
import pytest
from hypothesis import given
from hypothesis import strategies as st

from credence.catalog.policy import Kind, topic_overlaps
from credence.catalog.programfile import (
    Problem,
    ProgramFileError,
    check_program_file,
    check_program_text,
)
from credence.catalog.tests.conftest import FIXTURES

BAD = FIXTURES / "bad"
MINIMAL = (FIXTURES / "minimal.toml").read_text(encoding="utf-8")


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ProgramFileError) as caught:
        check_program_file(path)
    return caught.value.problems


def problems_in(text: str) -> list[Problem]:
    with pytest.raises(ProgramFileError) as caught:
        check_program_text(text, source="test.toml")
    return caught.value.problems


# -- the default program ----------------------------------------------------------------------


def test_default_program_holds_seed_000(default_path):
    program = check_program_file(default_path)
    rules = program.to_rules()

    assert program.program.code == "ai-engineer"
    assert program.program.provider == "AI Service Centre Berlin Brandenburg @ HPI"
    assert program.program.contact_email == "kisz@hpi.de"
    assert (rules.time_zone, rules.currency) == ("Europe/Berlin", "EUR")
    assert rules.fee_per_evaluation == Decimal("200.00")
    assert str(rules.fee_per_evaluation) == "200.00"
    assert rules.wait_after_failure_months == 1
    assert rules.max_attempts == 3
    assert rules.validity_years == 5
    assert rules.refund_threshold == Decimal("90")
    assert rules.default_pass_mark == Decimal("70")
    assert rules.recertification_window_months == 6
    assert rules.reminder_days == (180, 90, 30)

    assert [e.code for e in rules.evaluations_in_order()] == ["knowledge-test", "portfolio"]
    assert rules.evaluation("portfolio").name == "Interview based on a portfolio project"
    assert [e.code for e in rules.earlier_evaluations("portfolio")] == ["knowledge-test"]


def test_default_program_certifications_and_composite(default_path):
    rules = check_program_file(default_path).to_rules()

    assert len(rules.certifications) == 7
    kinds = {c.code: c.kind for c in rules.certifications}
    assert kinds == {
        "ml-expert": Kind.REQUIRED,
        "mlops": Kind.REQUIRED,
        "responsible-ai": Kind.REQUIRED,
        "computer-vision": Kind.ELECTIVE,
        "nlp": Kind.ELECTIVE,
        "multimodal-ml": Kind.ELECTIVE,
        "generative-ai": Kind.ELECTIVE,
    }
    assert rules.certification("ml-expert").name == (
        "Training, Evaluating, and Deploying Machine Learning Models (ML Expert)"
    )
    assert rules.certification("nlp").name == "Natural Language Processing"
    assert rules.composite.name == "AI Engineer"
    assert rules.composite.required == ("ml-expert", "mlops", "responsible-ai")
    assert set(rules.composite.electives) == {
        "computer-vision",
        "nlp",
        "multimodal-ml",
        "generative-ai",
    }
    assert rules.composite.min_electives == 3
    for certification in rules.certifications:
        assert certification.proves and certification.does_not_prove
        assert certification.pass_marks == {"knowledge-test": 70, "portfolio": 70}


def test_default_program_overlaps_follow_seed_000(default_path):
    overlaps = topic_overlaps(check_program_file(default_path).to_rules())

    assert "image-generation" in overlaps[("computer-vision", "generative-ai")]
    assert "text-generation" in overlaps[("nlp", "generative-ai")]


def test_default_program_cohorts_and_recognition(default_path):
    rules = check_program_file(default_path).to_rules()

    assert [(c.code, c.subsidy_share) for c in rules.cohorts] == [
        ("2026-first", Decimal("0.50")),
        ("2026-second", Decimal("0.25")),
    ]
    recognitions = {r.code: r for r in rules.recognitions}
    assert {r.name for r in recognitions.values()} == {
        "Fraunhofer Data Science Certification",
        "Microsoft Azure AI Engineer Associate",
        "Google Professional Machine Learning Engineer",
    }
    assert recognitions["fraunhofer-data-science"].signal_guide == ""
    assert recognitions["google-ml-engineer"].signal_guide == (
        "Google Professional Machine Learning Engineer"
    )
    waived = {(w.certification, w.evaluation) for r in rules.recognitions for w in r.may_waive}
    assert ("mlops", "knowledge-test") in waived
    # a portfolio interview is never waived by default
    assert all(evaluation == "knowledge-test" for _, evaluation in waived)


def test_default_program_text_is_free_of_mojibake(default_path):
    text = default_path.read_text(encoding="utf-8")

    for broken in ("â€", "ðŸ", "Ã", "\ufffd"):
        assert broken not in text
    assert ftfy.fix_encoding(text) == text


def test_minimal_fixture_is_valid(minimal_text):
    program = check_program_text(minimal_text, source="minimal.toml")

    assert program.to_rules().pass_mark("language", "portfolio") == Decimal("75")
    assert program.to_rules().pass_mark("language", "knowledge-test") == Decimal("70")


# -- bad files --------------------------------------------------------------------------------

# fixture, key path, line, a phrase of the message
BAD_FILES = [
    ("composite-too-many-electives", "composite.min_electives", 66, "at least 3 electives"),
    ("negative-fee", "rules.fee_per_evaluation", 12, "cannot be negative"),
    ("float-fee", "rules.fee_per_evaluation", 12, "TOML float, which cannot hold money exactly"),
    ("fee-three-decimals", "rules.fee_per_evaluation", 12, "more than 2 decimal places"),
    ("unknown-key", "certifications[1].descripton", 47, 'did you mean "description"'),
    ("duplicate-certification-code", "certifications[2].code", 53, '"vision" is already used'),
    ("undefined-certification", "composite.electives[2]", 65, '"robotics" is not defined'),
    ("undefined-evaluation", "certifications[2].pass_marks.oral-exam", 57, '"oral-exam" is not'),
    ("impossible-date", "cohorts[0].registered_until", 72, "2026-02-30 is not a date that exists"),
    ("impossible-validity", "rules.validity_years", 15, "greater than 0; got 0"),
    ("cohort-window-backwards", "cohorts[0].registered_until", 72, "ends (2025-12-31) before"),
    ("subsidy-share-too-large", "cohorts[0].subsidy_share", 73, "from 0 to 1; got 1.5"),
    ("malformed", "rules.max_attempts", 14, "not valid TOML: invalid value at column 16"),
    ("kind-mismatch", "composite.required[0]", 64, 'gives its kind as "elective"'),
    ("undefined-topic", "certifications[1].topics[1]", 48, 'topic "robotics" is not defined'),
    ("mojibake", "recognition[0].name", 77, 'probably means "Microsoft\u2019s AI Engineer"'),
]


@pytest.mark.parametrize(("name", "path", "line", "phrase"), BAD_FILES)
def test_bad_file_reports_its_problem(name, path, line, phrase):
    problems = problems_of(BAD / f"{name}.toml")

    assert [(p.path, p.line) for p in problems][:1] == [(path, line)]
    assert phrase in problems[0].message
    assert problems[0].message.endswith((".", "?"))


def test_every_bad_fixture_is_tested():
    assert {p.stem for p in BAD.glob("*.toml")} == {n for n, *_ in BAD_FILES} | {
        "several-problems",
        "undefined-in-recognition",
    }


def test_kind_mismatch_reports_both_misplaced_certifications():
    problems = problems_of(BAD / "kind-mismatch.toml")

    assert [(p.path, p.line) for p in problems] == [
        ("composite.required[0]", 64),
        ("composite.electives[0]", 65),
    ]


def test_recognition_waiver_reports_undefined_certification_and_evaluation():
    problems = problems_of(BAD / "undefined-in-recognition.toml")

    assert [(p.path, p.line, p.message) for p in problems] == [
        (
            "recognition[0].may_waive[1].certification",
            81,
            'The certification "robotics" is not defined in [[certifications]].',
        ),
        (
            "recognition[0].may_waive[1].evaluation",
            81,
            'The evaluation "oral-exam" is not defined in [[evaluations]].',
        ),
    ]


def test_malformed_toml_keeps_tomllibs_column():
    (problem,) = problems_of(BAD / "malformed.toml")

    assert (problem.line, problem.column) == (14, 16)


def test_all_problems_of_a_file_are_reported_in_line_order():
    problems = problems_of(BAD / "several-problems.toml")

    assert [(p.path, p.line) for p in problems] == [
        ("rules.fee_per_evaluation", 12),
        ("rules.validity_years", 15),
        ("certifications[1].descripton", 47),
        ("certifications[2].topics[1]", 57),
    ]


def test_a_missing_key_points_at_its_table(minimal_text):
    text = minimal_text.replace('provider = "Test provider"\n', "")

    (problem,) = problems_in(text)

    assert (problem.path, problem.line) == ("program.provider", 3)
    assert problem.message == 'The key "provider" is required here but missing.'


def test_an_unknown_table_is_named(minimal_text):
    (problem,) = problems_in(minimal_text + "\n[rulez]\nfee = 1\n")

    assert problem.path == "rulez"
    assert problem.line == minimal_text.count("\n") + 2
    assert problem.message.startswith('Unknown key "rulez" at the top level; did you mean')


def test_a_certification_missing_from_the_composite_is_reported(minimal_text):
    text = minimal_text.replace('electives = ["vision", "language"]', 'electives = ["vision"]')

    (problem,) = problems_in(text)

    assert problem.path == "certifications[2].kind"
    assert "composite.electives does not list it" in problem.message


def test_a_string_where_a_number_belongs(minimal_text):
    (problem,) = problems_in(minimal_text.replace("max_attempts = 3", 'max_attempts = "3"'))

    assert (problem.path, problem.line) == ("rules.max_attempts", 14)
    assert problem.message == "This must be a whole number."


def test_unreadable_file_is_a_problem_not_a_crash(tmp_path):
    (problem,) = problems_of(tmp_path / "missing.toml")

    assert problem.line is None
    assert problem.message.startswith("The file cannot be read")


def test_problem_format_is_editor_friendly():
    assert Problem("rules.fee", 12, "Bad.").format("p.toml") == "p.toml:12: rules.fee: Bad."
    assert Problem("", None, "Unreadable.").format("p.toml") == "p.toml: Unreadable."


# -- properties -------------------------------------------------------------------------------


def with_fee(text: str, fee: str) -> str:
    return text.replace('fee_per_evaluation = "200.00"', f'fee_per_evaluation = "{fee}"')


@given(
    whole=st.integers(min_value=0, max_value=10**6),
    fraction=st.text(alphabet="0123456789", min_size=3, max_size=8),
)
def test_a_fee_with_more_than_two_decimals_is_refused(whole, fraction):
    (problem,) = problems_in(with_fee(MINIMAL, f"{whole}.{fraction}"))

    assert (problem.path, problem.line) == ("rules.fee_per_evaluation", 12)
    assert "more than 2 decimal places" in problem.message


@given(fee=st.decimals(max_value=Decimal("-0.01"), min_value=-(10**9), places=2))
def test_a_negative_fee_is_refused(fee):
    (problem,) = problems_in(with_fee(MINIMAL, str(fee)))

    assert problem.path == "rules.fee_per_evaluation"
    assert "cannot be negative" in problem.message


@given(fee=st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2))
def test_a_fee_with_two_decimals_is_kept_exactly(fee):
    written = f"{fee:.2f}"

    program = check_program_text(with_fee(MINIMAL, written), source="test.toml")

    assert program.rules.fee_per_evaluation == Decimal(written)


def with_electives(text: str, count: int, minimum: int) -> str:
    codes = [f"elective-{i}" for i in range(count)]
    text = text.replace('electives = ["vision", "language"]', f"electives = {codes!r}")
    text = text.replace("min_electives = 1", f"min_electives = {minimum}")
    text = text.replace('"vision"', '"vision-old"').replace('"language"', '"language-old"')
    text = text.replace('kind = "elective"', 'kind = "required"')
    text = text.replace('required = ["core"]', 'required = ["core", "vision-old", "language-old"]')
    for code in codes:
        text += (
            f'\n[[certifications]]\ncode = "{code}"\nname = "{code}"\nkind = "elective"\n'
            'proves = ["x"]\ndoes_not_prove = ["y"]\n'
        )
    return text.replace("'", '"')


@given(data=st.data(), count=st.integers(min_value=0, max_value=6))
def test_min_electives_up_to_the_number_listed_passes(data, count):
    minimum = data.draw(st.integers(min_value=0, max_value=count))

    program = check_program_text(with_electives(MINIMAL, count, minimum), source="t.toml")

    assert program.to_rules().composite.min_electives == minimum
    assert len(program.composite.electives) == count


@given(data=st.data(), count=st.integers(min_value=0, max_value=6))
def test_min_electives_over_the_number_listed_fails(data, count):
    minimum = data.draw(st.integers(min_value=count + 1, max_value=count + 10))

    (problem,) = problems_in(with_electives(MINIMAL, count, minimum))

    assert problem.path == "composite.min_electives"
    assert f"lists only {count}" in problem.message


def test_missing_sections_are_named(minimal_text):
    problems = problems_in(minimal_text.split("[[evaluations]]")[0])

    assert [(p.path, p.line, p.message) for p in problems][:2] == [
        ("certifications", None, "There is no [[certifications]] entry; at least one is needed."),
        ("composite", None, "The [composite] table is missing."),
    ]


def test_a_bad_key_of_a_table_is_reported_at_the_key(minimal_text):
    text = minimal_text.replace('pass_marks = { portfolio = "75" }', 'pass_marks = { Oral = "75" }')

    problems = problems_in(text)

    assert [(p.path, p.line) for p in problems] == [("certifications[2].pass_marks.Oral", 57)]
    assert '"Oral" is not one' in problems[0].message

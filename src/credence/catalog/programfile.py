"""The program file: a TOML description of a certification program, and its checker.

A program file is written by people, so the checker reports *every* problem it finds, each
with the key path as written in the file (``certifications[2].kind``; indexes count from 0),
the line, and a plain sentence. Three passes:

1. ``tomllib`` parses the text; malformed TOML (including impossible dates such as
   2026-02-30) stops here with tomllib's own line and column.
2. pydantic checks the shape and each value (``extra="forbid"`` and strict types everywhere,
   so a typo in a key or a float where money belongs is an error, not a silent default).
3. Cross-references are checked on the parsed data even when pass 2 failed, so that one bad
   value does not hide an undefined reference elsewhere.

Top-level tables: ``[program]``, ``[rules]``, ``[[evaluations]]``, ``[[topics]]``,
``[[certifications]]`` (each with an optional ``[certifications.rubric]`` for the portfolio
interview and an optional ``[certifications.blueprint]`` for the knowledge test's form),
``[composite]``, ``[[cohorts]]``, ``[[recognition]]``; the default file
``programs/ai-engineer.toml`` shows every key.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType, UnionType
from typing import Annotated, Any, Literal, get_args, get_origin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import ftfy
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from credence.catalog.policy import (
    CertificationSpec,
    CohortSpec,
    CompositeSpec,
    EvaluationSpec,
    Kind,
    ProgramRules,
    RecognitionSpec,
    WaiverSpec,
)
from credence.catalog.tomllocate import Loc, TomlLocator

# -- problems ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    path: str  # key path as written, e.g. "certifications[2].kind"; "" for the whole file
    line: int | None
    message: str
    column: int | None = None

    def format(self, source: str) -> str:
        """``source:line: key.path: message``, the form compilers and editors understand."""
        where = f"{source}:{self.line}" if self.line else source
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ProgramFileError(Exception):
    def __init__(self, problems: list[Problem], *, source: str = "") -> None:
        self.problems = problems
        self.source = source
        super().__init__("\n".join(p.format(source or "<program>") for p in problems))


def format_path(loc: Loc) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            key = part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else f'"{part}"'
            text += f".{key}" if text else key
    return text


# -- value types ------------------------------------------------------------------------------

_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _code(value: str) -> str:
    if not _CODE.fullmatch(value) or len(value) > 50:
        raise PydanticCustomError(
            "code",
            "Codes are lower-case letters, digits and single hyphens, at most 50 characters "
            '(like "ml-expert"); "{value}" is not one.',
            {"value": value},
        )
    return value


def _text(value: str) -> str:
    # The seeds carry mojibake ("Microsoftâ€™s"); a program file must not pass it on.
    repaired = ftfy.fix_encoding(value)
    if repaired != value:
        raise PydanticCustomError(
            "mojibake",
            'This text looks wrongly decoded (mojibake); it probably means "{repaired}".',
            {"repaired": repaired},
        )
    return value


def _name(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "This must not be empty.")
    return _text(value)


def _decimal(value: object, *, places: int, low: Decimal, high: Decimal, what: str) -> Decimal:
    """An exact decimal written as a string ("200.00") or a whole number; never a float."""
    if isinstance(value, float):
        written = repr(value)
        decimals = len(written.partition(".")[2])
        suggestion = f"{Decimal(written):.{places}f}" if 0 < decimals <= places else written
        raise PydanticCustomError(
            "decimal_float",
            "{value} is a TOML float, which cannot hold {what} exactly; write it as a "
            'string such as "{suggestion}" or as a whole number.',
            {"value": written, "what": what, "suggestion": suggestion},
        )
    if (
        isinstance(value, bool)
        or not isinstance(value, int | str)
        or (isinstance(value, str) and not _DECIMAL.fullmatch(value))
    ):
        raise PydanticCustomError(
            "decimal_type",
            '{value} is not a decimal number; write {what} as a string such as "200.00" or '
            "as a whole number.",
            {"value": _as_toml(value), "what": what},
        )
    number = Decimal(value)
    if isinstance(value, str) and "." in value and len(value.split(".")[1]) > places:
        raise PydanticCustomError(
            "decimal_places",
            '"{value}" has more than {places} decimal places.',
            {"value": value, "places": places},
        )
    if not low <= number <= high:
        reason = "cannot be negative" if number < 0 <= low else f"must be from {low} to {high}"
        raise PydanticCustomError(
            "decimal_range",
            "{What} {reason}; got {value}.",
            {"What": what[0].upper() + what[1:], "reason": reason, "value": str(value)},
        )
    return number


def _as_toml(value: object) -> str:
    """A value as it was written in the file, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def _money(value: object) -> Decimal:
    return _decimal(value, places=2, low=Decimal(0), high=Decimal("99999999.99"), what="money")


def _percent(value: object) -> Decimal:
    return _decimal(value, places=2, low=Decimal(0), high=Decimal(100), what="a percentage")


def _share(value: object) -> Decimal:
    return _decimal(value, places=3, low=Decimal(0), high=Decimal(1), what="a share of the fee")


def _time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise PydanticCustomError(
            "time_zone",
            '"{value}" is not a time zone name from the IANA database (like "Europe/Berlin").',
            {"value": value},
        ) from None
    return value


def _currency(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise PydanticCustomError(
            "currency",
            'A currency is a three-letter ISO 4217 code in capitals (like "EUR"); got "{value}".',
            {"value": value},
        )
    return value


def _email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise PydanticCustomError("email", '"{value}" is not an e-mail address.', {"value": value})
    return value


Code = Annotated[str, AfterValidator(_code)]
Text = Annotated[str, AfterValidator(_text)]
Name = Annotated[str, AfterValidator(_name)]
Money = Annotated[Decimal, PlainValidator(_money)]
Percent = Annotated[Decimal, PlainValidator(_percent)]
Share = Annotated[Decimal, PlainValidator(_share)]
Months = Annotated[int, Field(gt=0, le=120)]


# -- the schema -------------------------------------------------------------------------------


class _Table(BaseModel):
    # strict: TOML already has types, so "3" is not 3 and 200.5 is not money.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ProgramSection(_Table):
    code: Code
    name: Name
    provider: Name
    contact_email: Annotated[str, AfterValidator(_email)]
    time_zone: Annotated[str, AfterValidator(_time_zone)]
    currency: Annotated[str, AfterValidator(_currency)]


class RulesSection(_Table):
    fee_per_evaluation: Money  # R7
    wait_after_failure_months: Months  # R2
    max_attempts: Annotated[int, Field(gt=0, le=100)]  # R3
    validity_years: Annotated[int, Field(gt=0, le=100)]  # R5, R6
    refund_threshold: Percent  # R9, a score strictly over it earns the refund
    default_pass_mark: Percent  # R4
    recertification_window_months: Months  # R12
    reminder_days: list[Annotated[int, Field(gt=0, le=3660)]]  # R12


class EvaluationEntry(_Table):
    """Evaluations are taken in the order they are written (R1)."""

    code: Code
    name: Name
    description: Text = ""


class TopicEntry(_Table):
    code: Code
    name: Name


class RubricCriterion(_Table):
    code: Code
    name: Name
    weight: Annotated[int, Field(gt=0, le=100)]  # relative; weights need not add up to 100
    description: Text = ""


def _unique_criteria(criteria: list[RubricCriterion]) -> list[RubricCriterion]:
    codes = [c.code for c in criteria]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise PydanticCustomError(
            "duplicate",
            'Each criterion needs its own code; "{codes}" is used more than once.',
            {"codes": ", ".join(repeated)},
        )
    return criteria


class RubricSection(_Table):
    """How examiners score a certification's portfolio interview (issue 4): each criterion
    gets 0 to ``scale`` points; an examiner's score is the weighted percent."""

    scale: Annotated[int, Field(ge=1, le=10)] = 4
    criteria: Annotated[
        list[RubricCriterion], Field(min_length=1), AfterValidator(_unique_criteria)
    ]


class BlueprintSection(_Table):
    """How a certification's knowledge-test form is drawn from its item bank (items app):
    how many items of each of its topics, and the time limit the server enforces (R11)."""

    time_limit_minutes: Annotated[int, Field(gt=0, le=600)]
    # "automatic": results are released when a test without essays is submitted; "staff": the
    # program office releases them
    release: Literal["staff", "automatic"] = "staff"
    items_per_topic: Annotated[dict[Code, Annotated[int, Field(gt=0, le=500)]], Field(min_length=1)]


class CertificationEntry(_Table):
    code: Code
    name: Name
    kind: Literal["required", "elective"]
    description: Text = ""
    topics: list[Code] = []
    pass_marks: dict[Code, Percent] = {}  # evaluation code -> mark, overriding the default
    suggested_projects: list[Name] = []
    proves: list[Name] = Field(min_length=1)
    does_not_prove: list[Name] = Field(min_length=1)
    rubric: RubricSection | None = None  # the portfolio interview's rubric (portfolios app)
    blueprint: BlueprintSection | None = None  # the knowledge test's form (items app)


class CompositeSection(_Table):
    code: Code
    name: Name
    required: list[Code]
    electives: list[Code]
    min_electives: Annotated[int, Field(ge=0)]


class CohortEntry(_Table):
    code: Code
    name: Name
    registered_from: date
    registered_until: date  # inclusive
    subsidy_share: Share  # R8, the part of each fee the fund covers


class WaiverEntry(_Table):
    certification: Code
    evaluation: Code


class RecognitionEntry(_Table):
    code: Code
    name: Name
    provider: Name
    signal_guide: Text = ""  # the signal guide's entry name; empty when it is not rated
    may_waive: list[WaiverEntry] = []


class ProgramFile(_Table):
    program: ProgramSection
    rules: RulesSection
    evaluations: list[EvaluationEntry] = Field(min_length=1)
    topics: list[TopicEntry] = []
    certifications: list[CertificationEntry] = Field(min_length=1)
    composite: CompositeSection
    cohorts: list[CohortEntry] = []
    recognition: list[RecognitionEntry] = []

    def certification(self, code: str) -> CertificationEntry:
        return next(c for c in self.certifications if c.code == code)

    def to_rules(self) -> ProgramRules:
        rules = self.rules
        # a certification's topics in the order [[topics]] defines them, as the catalog has them
        topic_order = {t.code: i for i, t in enumerate(self.topics)}
        evaluations = tuple(
            EvaluationSpec(code=e.code, name=e.name, order=position)
            for position, e in enumerate(self.evaluations, start=1)
        )
        certifications = tuple(
            CertificationSpec(
                code=c.code,
                name=c.name,
                kind=c.kind,
                topics=tuple(sorted(c.topics, key=topic_order.__getitem__)),
                # every evaluation gets its mark, so readers never need the default
                pass_marks=MappingProxyType(
                    {e.code: c.pass_marks.get(e.code, rules.default_pass_mark) for e in evaluations}
                ),
                description=c.description,
                proves=tuple(c.proves),
                does_not_prove=tuple(c.does_not_prove),
            )
            for c in self.certifications
        )
        return ProgramRules(
            code=self.program.code,
            name=self.program.name,
            time_zone=self.program.time_zone,
            currency=self.program.currency,
            evaluations=evaluations,
            certifications=certifications,
            composite=CompositeSpec(
                code=self.composite.code,
                name=self.composite.name,
                # in the order of [[certifications]], as the catalog keeps them
                required=tuple(c.code for c in certifications if c.kind == Kind.REQUIRED),
                electives=tuple(c.code for c in certifications if c.kind == Kind.ELECTIVE),
                min_electives=self.composite.min_electives,
            ),
            fee_per_evaluation=rules.fee_per_evaluation,
            wait_after_failure_months=rules.wait_after_failure_months,
            max_attempts=rules.max_attempts,
            validity_years=rules.validity_years,
            refund_threshold=rules.refund_threshold,
            recertification_window_months=rules.recertification_window_months,
            reminder_days=tuple(rules.reminder_days),
            default_pass_mark=rules.default_pass_mark,
            provider=self.program.provider,
            contact_email=self.program.contact_email,
            cohorts=tuple(
                CohortSpec(
                    code=c.code,
                    name=c.name,
                    registered_from=c.registered_from,
                    registered_until=c.registered_until,
                    subsidy_share=c.subsidy_share,
                )
                for c in self.cohorts
            ),
            recognitions=tuple(
                RecognitionSpec(
                    code=r.code,
                    name=r.name,
                    provider=r.provider,
                    signal_guide=r.signal_guide,
                    may_waive=tuple(WaiverSpec(w.certification, w.evaluation) for w in r.may_waive),
                )
                for r in self.recognition
            ),
        )


# -- checking ---------------------------------------------------------------------------------


def check_program_file(path: str | Path) -> ProgramFile:
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")  # an editor's BOM is no problem
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ProgramFileError(
            [Problem("", None, f"The file cannot be read: {reason}.")], source=source
        ) from None
    return check_program_text(text, source=source)


def check_program_text(text: str, *, source: str) -> ProgramFile:
    """The validated program, or ``ProgramFileError`` listing every problem found."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProgramFileError([_toml_problem(text, exc)], source=source) from None

    found: dict[Loc, list[str]] = {}
    program: ProgramFile | None = None
    try:
        program = ProgramFile.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            if loc[-1:] == ("[key]",):  # a bad key of a table: point at the key itself
                loc = loc[:-1]
            found.setdefault(loc, []).append(_message(error, data))
    for loc, message in _cross_check(data):
        if loc not in found:  # a bad value already reported there says enough
            found.setdefault(loc, []).append(message)

    if found or program is None:
        locator = TomlLocator(text)
        problems = [
            Problem(format_path(loc), locator.line_for(loc), message)
            for loc, messages in found.items()
            for message in messages
        ]
        problems.sort(key=lambda p: (p.line or 0, p.path))
        raise ProgramFileError(problems, source=source)
    return program


_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def _toml_problem(text: str, exc: tomllib.TOMLDecodeError) -> Problem:
    reason = str(exc)
    match = _TOML_POSITION.search(reason)
    line = column = None
    if match:
        reason = reason[: match.start()]
        if match.group(1):
            line, column = int(match.group(1)), int(match.group(2))
        else:
            line = text.count("\n") + (0 if text.endswith("\n") else 1)
    where = f" at column {column}" if column else ""
    message = f"This is not valid TOML: {reason[0].lower()}{reason[1:]}{where}."
    if reason.startswith("Invalid date") and line and column:
        written = re.split(r"[\s,#\]}]", text.splitlines()[line - 1][column - 1 :])[0]
        message = (
            f"{written} is not a date that exists, or is not written as YYYY-MM-DD "
            f"(tomllib: {reason.lower()}{where})."
        )
    path = format_path(TomlLocator(text).loc_at_line(line)) if line else ""
    return Problem(path, line, message, column)


def _message(error: Any, data: dict[str, Any]) -> str:
    """A plain sentence for one pydantic error."""
    kind, loc, value = error["type"], tuple(error["loc"]), error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return _unknown_key(loc, data)
    if kind == "missing":
        if len(loc) == 1:  # a whole section
            if get_origin(ProgramFile.model_fields[str(loc[0])].annotation) is list:
                return f"There is no [[{loc[0]}]] entry; at least one is needed."
            return f"The [{loc[0]}] table is missing."
        return f'The key "{loc[-1]}" is required here but missing.'
    if kind == "list_type" and len(loc) == 1:
        return f"Write each entry under its own [[{loc[0]}]] header."
    if kind in ("model_type", "dict_type"):
        return "This must be a table (a [header] or { key = value, ... })."
    simple = {
        "string_type": "This must be text in quotes.",
        "int_type": "This must be a whole number.",
        "list_type": "This must be a list, like [...].",
        "date_type": "This must be a date written as YYYY-MM-DD, without quotes.",
        "literal_error": (
            f"This must be {str(ctx.get('expected', '')).replace(chr(39), chr(34))}; "
            f"got {_as_toml(value)}."
        ),
        "greater_than": f"This must be greater than {ctx.get('gt')}; got {_as_toml(value)}.",
        "greater_than_equal": f"This must be at least {ctx.get('ge')}; got {_as_toml(value)}.",
        "less_than_equal": f"This must be at most {ctx.get('le')}; got {_as_toml(value)}.",
        "too_short": "This list must have at least one entry.",
    }
    if kind in simple:
        return simple[kind]
    message: str = error["msg"]
    return message if message.endswith(".") else f"{message}."


def _unknown_key(loc: Loc, data: dict[str, Any]) -> str:
    key = str(loc[-1])
    where = f"in {format_path(loc[:-1])}" if loc[:-1] else "at the top level"
    if len(loc) == 3 and isinstance(loc[1], int):  # name the entry by its code, if it has one
        entry = data[loc[0]][loc[1]]
        if isinstance(entry.get("code"), str):
            where += f' (code "{entry["code"]}")'
    allowed = _keys_at(loc[:-1])
    guess = difflib.get_close_matches(key, allowed, n=1)
    if guess:
        return f'Unknown key "{key}" {where}; did you mean "{guess[0]}"?'
    if allowed:
        return f'Unknown key "{key}" {where}. Allowed keys: {", ".join(allowed)}.'
    return f'Unknown key "{key}" {where}.'


def _keys_at(loc: Loc) -> list[str]:
    """The keys the schema allows at ``loc`` (empty if ``loc`` is not a table)."""
    node: Any = ProgramFile
    for part in loc:
        node = _without_none(node)
        if isinstance(part, int) and get_origin(node) is list:
            node = get_args(node)[0]
        elif isinstance(part, str) and isinstance(node, type) and issubclass(node, BaseModel):
            field = node.model_fields.get(part)
            if field is None:
                return []
            node = field.annotation
        else:
            return []
    node = _without_none(node)
    if isinstance(node, type) and issubclass(node, BaseModel):
        return list(node.model_fields)
    return []


def _without_none(node: Any) -> Any:
    """``X`` for an optional table ``X | None``, so that its keys can be suggested."""
    args = [arg for arg in get_args(node) if arg is not type(None)]
    if get_origin(node) is UnionType and len(args) == 1:
        return args[0]
    return node


# -- cross-references -------------------------------------------------------------------------


def _entries(data: dict[str, Any], key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    items = data.get(key)
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield index, item


def _strings(value: object) -> Iterator[tuple[int, str]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield index, item


def _defined(
    data: dict[str, Any], key: str, noun: str, found: list[tuple[Loc, str]]
) -> dict[str, int]:
    """Each code of a ``[[key]]`` array mapped to its first index; repeats are problems."""
    first: dict[str, int] = {}
    for index, entry in _entries(data, key):
        code = entry.get("code")
        if not isinstance(code, str):
            continue
        if code in first:
            found.append(
                (
                    (key, index, "code"),
                    f'The {noun} code "{code}" is already used by {key}[{first[code]}]; '
                    "codes must be unique.",
                )
            )
        else:
            first[code] = index
    return first


def _cross_check(data: dict[str, Any]) -> list[tuple[Loc, str]]:
    """References between sections, checked on the parsed TOML so that they are reported
    alongside value errors. Only values of the right type are looked at; wrong types are
    pydantic's to report."""
    found: list[tuple[Loc, str]] = []
    evaluations = _defined(data, "evaluations", "evaluation", found)
    topics = _defined(data, "topics", "topic", found)
    certifications = _defined(data, "certifications", "certification", found)
    _defined(data, "cohorts", "cohort", found)
    _defined(data, "recognition", "recognition", found)
    kinds = {code: data["certifications"][i].get("kind") for code, i in certifications.items()}

    def undefined_certification(loc: Loc, code: str) -> None:
        found.append((loc, f'The certification "{code}" is not defined in [[certifications]].'))

    def undefined_evaluation(loc: Loc, code: str) -> None:
        found.append((loc, f'The evaluation "{code}" is not defined in [[evaluations]].'))

    for index, cert in _entries(data, "certifications"):
        for position, topic in _strings(cert.get("topics")):
            if topic not in topics:
                found.append(
                    (
                        ("certifications", index, "topics", position),
                        f'The topic "{topic}" is not defined in [[topics]].',
                    )
                )
        blueprint = cert.get("blueprint")
        per_topic = blueprint.get("items_per_topic") if isinstance(blueprint, dict) else None
        own = set(t for _, t in _strings(cert.get("topics")))
        for topic in per_topic if isinstance(per_topic, dict) else ():
            if topic not in own:
                found.append(
                    (
                        ("certifications", index, "blueprint", "items_per_topic", topic),
                        f'The topic "{topic}" is not one of this certification\'s topics.',
                    )
                )
        marks = cert.get("pass_marks")
        if isinstance(marks, dict):
            for evaluation in marks:
                if evaluation not in evaluations:
                    undefined_evaluation(
                        ("certifications", index, "pass_marks", evaluation), evaluation
                    )

    composite = data.get("composite")
    if isinstance(composite, dict):
        found.extend(_check_composite(composite, certifications, kinds, undefined_certification))

    _check_cohorts(data, found)

    for index, recognition in _entries(data, "recognition"):
        for position, waiver in _entries(recognition, "may_waive"):
            loc = ("recognition", index, "may_waive", position)
            certification, evaluation = waiver.get("certification"), waiver.get("evaluation")
            if isinstance(certification, str) and certification not in certifications:
                undefined_certification((*loc, "certification"), certification)
            if isinstance(evaluation, str) and evaluation not in evaluations:
                undefined_evaluation((*loc, "evaluation"), evaluation)
    return found


def _check_composite(
    composite: dict[str, Any],
    certifications: dict[str, int],
    kinds: dict[str, object],
    undefined_certification: Callable[[Loc, str], None],
) -> list[tuple[Loc, str]]:
    found: list[tuple[Loc, str]] = []
    listed: dict[str, str] = {}  # certification code -> the composite list naming it
    for key, kind in (("required", Kind.REQUIRED), ("electives", Kind.ELECTIVE)):
        for position, code in _strings(composite.get(key)):
            loc = ("composite", key, position)
            if code in listed:
                found.append((loc, f'"{code}" is already listed in composite.{listed[code]}.'))
                continue
            listed[code] = key
            if code not in certifications:
                undefined_certification(loc, code)
            elif kinds[code] in (Kind.REQUIRED, Kind.ELECTIVE) and kinds[code] != kind:
                found.append(
                    (
                        loc,
                        f'"{code}" is listed in composite.{key}, but certifications'
                        f'[{certifications[code]}] gives its kind as "{kinds[code]}".',
                    )
                )
    # kind only means something relative to the composite, so each certification is in it
    for code, index in certifications.items():
        key = {Kind.REQUIRED: "required", Kind.ELECTIVE: "electives"}.get(str(kinds[code]))
        if key and code not in listed:
            found.append(
                (
                    ("certifications", index, "kind"),
                    f'The certification "{code}" is of kind "{kinds[code]}" but composite.{key} '
                    "does not list it.",
                )
            )
    electives = composite.get("electives")
    minimum = composite.get("min_electives")
    if isinstance(electives, list) and type(minimum) is int and minimum > len(electives):
        found.append(
            (
                ("composite", "min_electives"),
                f"The composite asks for at least {minimum} electives, but composite.electives "
                f"lists only {len(electives)}.",
            )
        )
    code = composite.get("code")
    if isinstance(code, str) and code in certifications:
        found.append(
            (
                ("composite", "code"),
                f'The composite code "{code}" is also a certification code; awards share one '
                "set of codes, so it must differ.",
            )
        )
    return found


def _check_cohorts(data: dict[str, Any], found: list[tuple[Loc, str]]) -> None:
    windows: list[tuple[date, date, int]] = []
    for index, cohort in _entries(data, "cohorts"):
        start, end = cohort.get("registered_from"), cohort.get("registered_until")
        if type(start) is not date or type(end) is not date:
            continue
        if end < start:
            found.append(
                (
                    ("cohorts", index, "registered_until"),
                    f"The registration window ends ({end}) before it starts ({start}).",
                )
            )
            continue
        for other_start, other_end, other in windows:
            if start <= other_end and other_start <= end:
                # a registration day must decide one subsidy share, not two (R8)
                found.append(
                    (
                        ("cohorts", index, "registered_from"),
                        f"This registration window overlaps the one of cohorts[{other}].",
                    )
                )
        windows.append((start, end, index))

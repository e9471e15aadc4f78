"""The program file: a TOML description of a certification program, and its checker.

A program file is written by people, so the checker reports *every* problem it finds, each
with the key path as written in the file (``certifications[2].kind``; indexes count from 0),
the line, and a plain sentence. Three passes:

1. ``tomllib`` parses the text; malformed TOML (including impossible dates such as
   2026-02-30) stops here with tomllib's own line and column.
2. pydantic checks the shape and each value (``extra="forbid"`` and strict types everywhere,
   so a typo in a key or a float where money belongs is an error, not a silent default);
   the schema is in ``programschema``.
3. Cross-references are checked on the parsed data even when pass 2 failed, so that one bad
   value does not hide an undefined reference elsewhere.

Top-level tables: ``[program]``, ``[rules]``, ``[[evaluations]]``, ``[[topics]]``,
``[[certifications]]`` (each with an optional ``[certifications.rubric]`` for the portfolio
interview and an optional ``[certifications.blueprint]`` for the knowledge test's form),
``[composite]``, ``[[cohorts]]``, ``[[recognition]]``, ``[portfolio]`` (``bots``: patterns the
portfolio evidence report sets aside as bots besides its own), ``[issuer]`` (who issues the
invoices, with address, tax number and bank account; decision 0034); the default file
``programs/ai-engineer.toml`` shows every key. The texts people read may be given in other
languages under ``translations.<language>`` of their table or entry, with the same keys
(``[certifications.translations.de]``, ``translations.de.name = ...``; decision 0037).
``credence program load`` stores all of it in the catalog, which is then the program in
force: nothing reads the file again at run time.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from credence.catalog.policy import Kind
from credence.catalog.tomllocate import Loc, TomlLocator, format_path

if TYPE_CHECKING:
    from credence.catalog.programschema import ProgramFile

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

    # the schema is imported when a file is checked: see programschema's docstring
    from credence.catalog import programschema

    program, found = programschema.validate(data)
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
        found.append(_undefined(loc, "certification", code))

    for index, cert in _entries(data, "certifications"):
        loc: Loc = ("certifications", index)
        found.extend(_check_certification_topics(loc, cert, topics))
        found.extend(_check_criteria_translations(loc, cert))
        marks = cert.get("pass_marks")
        for evaluation in marks if isinstance(marks, dict) else ():
            if evaluation not in evaluations:
                found.append(_undefined((*loc, "pass_marks", evaluation), "evaluation", evaluation))

    composite = data.get("composite")
    if isinstance(composite, dict):
        found.extend(_check_composite(composite, certifications, kinds, undefined_certification))

    _check_cohorts(data, found)
    found.extend(_check_waivers(data, certifications, evaluations))
    return found


def _undefined(loc: Loc, noun: str, code: str) -> tuple[Loc, str]:
    return (loc, f'The {noun} "{code}" is not defined in [[{noun}s]].')


def _check_certification_topics(
    loc: Loc, cert: dict[str, Any], topics: dict[str, int]
) -> list[tuple[Loc, str]]:
    """A certification's topics are defined, and its blueprint counts items of those only."""
    found = [
        _undefined((*loc, "topics", position), "topic", topic)
        for position, topic in _strings(cert.get("topics"))
        if topic not in topics
    ]
    blueprint = cert.get("blueprint")
    per_topic = blueprint.get("items_per_topic") if isinstance(blueprint, dict) else None
    own = set(t for _, t in _strings(cert.get("topics")))
    for topic in per_topic if isinstance(per_topic, dict) else ():
        if topic not in own:
            found.append(
                (
                    (*loc, "blueprint", "items_per_topic", topic),
                    f'The topic "{topic}" is not one of this certification\'s topics.',
                )
            )
    return found


def _check_criteria_translations(loc: Loc, cert: dict[str, Any]) -> list[tuple[Loc, str]]:
    """The criteria a translation names are the certification's rubric criteria."""
    rubric = cert.get("rubric")
    criteria = rubric.get("criteria") if isinstance(rubric, dict) else None
    codes = {c.get("code") for _, c in _entries({"c": criteria}, "c")}
    translations = cert.get("translations")
    found: list[tuple[Loc, str]] = []
    for language, texts in translations.items() if isinstance(translations, dict) else ():
        named = texts.get("criteria") if isinstance(texts, dict) else None
        for code in named if isinstance(named, dict) else ():
            if code not in codes:
                found.append(
                    (
                        (*loc, "translations", language, "criteria", code),
                        f'The criterion "{code}" is not one of this certification\'s rubric '
                        "criteria.",
                    )
                )
    return found


def _check_waivers(
    data: dict[str, Any], certifications: dict[str, int], evaluations: dict[str, int]
) -> list[tuple[Loc, str]]:
    """What each recognition may waive is defined."""
    found: list[tuple[Loc, str]] = []
    for index, recognition in _entries(data, "recognition"):
        for position, waiver in _entries(recognition, "may_waive"):
            loc = ("recognition", index, "may_waive", position)
            certification, evaluation = waiver.get("certification"), waiver.get("evaluation")
            if isinstance(certification, str) and certification not in certifications:
                found.append(_undefined((*loc, "certification"), "certification", certification))
            if isinstance(evaluation, str) and evaluation not in evaluations:
                found.append(_undefined((*loc, "evaluation"), "evaluation", evaluation))
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
        its_list = {Kind.REQUIRED: "required", Kind.ELECTIVE: "electives"}.get(str(kinds[code]))
        if its_list and code not in listed:
            found.append(
                (
                    ("certifications", index, "kind"),
                    f'The certification "{code}" is of kind "{kinds[code]}" but '
                    f"composite.{its_list} does not list it.",
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
    composite_code = composite.get("code")
    if isinstance(composite_code, str) and composite_code in certifications:
        found.append(
            (
                ("composite", "code"),
                f'The composite code "{composite_code}" is also a certification code; awards '
                "share one set of codes, so it must differ.",
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

"""Pass 2 of the program file checker (``programfile``): the pydantic schema, its value types,
and the plain sentence for each pydantic error.

A module of its own because pydantic (with ftfy for the mojibake check) and building this
schema take about a fifth of a second of CPU: ``programfile`` imports it when a file is
checked, so that the many modules importing ``programfile`` (the catalog's api among them)
start without it, and so does every ``credence ... --help`` (issue 14).
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from decimal import Decimal
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
    create_model,
)
from pydantic_core import PydanticCustomError

from credence.catalog.policy import (
    TRANSLATION_LANGUAGES,
    BlueprintSpec,
    CertificationSpec,
    CohortSpec,
    CompositeSpec,
    CriterionSpec,
    EvaluationSpec,
    IssuerSpec,
    Kind,
    ProgramRules,
    RecognitionSpec,
    RubricSpec,
    TopicSpec,
    WaiverSpec,
    iban_checksum_ok,
)
from credence.catalog.tomllocate import Loc, format_path

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


def _translations(texts: type[_Table]) -> Any:
    """The ``translations`` table of an entry: one optional table of ``texts`` per language,
    ``[certifications.translations.de]``; an unknown language or field is an unknown key."""
    fields: Any = {language: (texts | None, None) for language in TRANSLATION_LANGUAGES}
    table = create_model(f"{texts.__name__}Translations", __base__=_Table, **fields)
    return Annotated[table | None, Field(default=None)]


class NameText(_Table):
    name: Name | None = None


class DescribedText(_Table):
    name: Name | None = None
    description: Text | None = None


class CertificationText(_Table):
    name: Name | None = None
    description: Text | None = None
    suggested_projects: list[Name] | None = None
    proves: Annotated[list[Name], Field(min_length=1)] | None = None
    does_not_prove: Annotated[list[Name], Field(min_length=1)] | None = None
    # the rubric's criteria by code: a submission keeps its rubric copy in English, and the
    # pages put these names on it (decision 0037)
    criteria: dict[Code, Name] | None = None


class ProgramSection(_Table):
    code: Code
    name: Name
    provider: Name
    contact_email: Annotated[str, AfterValidator(_email)]
    time_zone: Annotated[str, AfterValidator(_time_zone)]
    currency: Annotated[str, AfterValidator(_currency)]
    translations: _translations(NameText)


class RulesSection(_Table):
    fee_per_evaluation: Money  # R7
    wait_after_failure_months: Months  # R2
    max_attempts: Annotated[int, Field(gt=0, le=100)]  # R3
    validity_years: Annotated[int, Field(gt=0, le=100)]  # R5, R6
    refund_threshold: Percent  # R9, a score strictly over it earns the refund
    default_pass_mark: Percent  # R4
    recertification_window_months: Months  # R12
    reminder_days: list[Annotated[int, Field(gt=0, le=3660)]]  # R12
    # A1: a result may be appealed within this many days of its release (decision 0051)
    appeal_window_days: Annotated[int, Field(gt=0, le=365)] = 30
    # C1: an item may be challenged within this many days of submitting the test (0053)
    challenge_window_days: Annotated[int, Field(gt=0, le=365)] = 14


class EvaluationEntry(_Table):
    """Evaluations are taken in the order they are written (R1)."""

    code: Code
    name: Name
    description: Text = ""
    translations: _translations(DescribedText)


class TopicEntry(_Table):
    code: Code
    name: Name
    translations: _translations(NameText)


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

    def to_spec(self) -> RubricSpec:
        return RubricSpec(
            scale=self.scale,
            criteria=tuple(
                CriterionSpec(code=c.code, name=c.name, weight=c.weight, description=c.description)
                for c in self.criteria
            ),
        )


class BlueprintSection(_Table):
    """How a certification's knowledge-test form is drawn from its item bank (items app):
    how many items of each of its topics, and the time limit the server enforces (R11)."""

    time_limit_minutes: Annotated[int, Field(gt=0, le=600)]
    # "automatic": results are released when a test without essays is submitted; "staff": the
    # program office releases them
    release: Literal["staff", "automatic"] = "staff"
    items_per_topic: Annotated[dict[Code, Annotated[int, Field(gt=0, le=500)]], Field(min_length=1)]

    def to_spec(self) -> BlueprintSpec:
        return BlueprintSpec(
            time_limit_minutes=self.time_limit_minutes,
            items_per_topic=MappingProxyType(dict(self.items_per_topic)),
            release=self.release,
        )


def _bot_pattern(value: str) -> str:
    if value != value.strip() or any(not ch.isprintable() for ch in value):
        raise PydanticCustomError(
            "bot_pattern_space",
            'The bot pattern "{value}" has spaces at its start or end, or a tab, line break or '
            "control character; write it as the name or address it matches.",
            {"value": value.encode("unicode_escape").decode("ascii")},
        )
    if len(value.replace("*", "").strip()) < 3:
        # "*", "*a*" or "" would set aside nearly every author of every repository as a bot
        raise PydanticCustomError(
            "bot_pattern_broad",
            'The bot pattern "{value}" would match nearly anyone: besides "*" it needs at '
            'least 3 characters (like "*@ci.example.org" or "nightly-runner*").',
            {"value": value},
        )
    return value


def _unique_patterns(patterns: list[str]) -> list[str]:
    folded = [p.casefold() for p in patterns]
    repeated = sorted({p for p, f in zip(patterns, folded, strict=True) if folded.count(f) > 1})
    if repeated:
        raise PydanticCustomError(
            "duplicate",
            'Each bot pattern is listed once (case does not matter); "{patterns}" is listed '
            "more than once.",
            {"patterns": ", ".join(repeated)},
        )
    return patterns


BotPattern = Annotated[str, Field(max_length=200), AfterValidator(_bot_pattern)]


class PortfolioSection(_Table):
    """What the portfolio evidence report takes from the program (issue 15): ``bots``, name
    or e-mail patterns (``*`` the only wildcard, case ignored) of identities to set aside
    as bots, in addition to the report's own (``portfolios.history.DEFAULT_BOTS``)."""

    bots: Annotated[list[BotPattern], AfterValidator(_unique_patterns)] = []


_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
_BIC = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")


def _iban(value: str) -> str:
    """An IBAN as written on paper (groups of four, spaces allowed), stored without spaces."""
    compact = value.replace(" ", "")
    if not _IBAN.fullmatch(compact):
        raise PydanticCustomError(
            "iban_format",
            '"{value}" is not written as an IBAN: two capital letters for the country, two check '
            'digits, then 11 to 30 capital letters or digits (like "DE89 3704 0044 0532 0130 00").',
            {"value": value},
        )
    if not iban_checksum_ok(compact):
        # a typo, or a placeholder such as "DE00 0000 ...": candidates would pay into nowhere
        raise PydanticCustomError(
            "iban_checksum",
            '"{value}" fails the IBAN check digits (ISO 13616, modulo 97): a character is wrong '
            "or it is a placeholder; copy the account's IBAN from the bank's statement.",
            {"value": value},
        )
    return compact


def _bic(value: str) -> str:
    if not _BIC.fullmatch(value):
        raise PydanticCustomError(
            "bic",
            '"{value}" is not a BIC: 8 or 11 capital letters and digits, like "COBADEFFXXX".',
            {"value": value},
        )
    return value


class IssuerSection(_Table):
    """Who issues the invoices, credit notes and refund statements, and the account candidates
    pay into (``[issuer]``, decision 0034). Printed on every such PDF."""

    legal_name: Name
    address: Annotated[list[Name], Field(min_length=1, max_length=6)]
    tax_number: Name
    vat_id: Text = ""
    iban: Annotated[str, AfterValidator(_iban)]
    bic: Annotated[str, AfterValidator(_bic)]
    bank_name: Name
    note: Text = ""

    def to_spec(self) -> IssuerSpec:
        return IssuerSpec(
            legal_name=self.legal_name,
            address=tuple(self.address),
            tax_number=self.tax_number,
            vat_id=self.vat_id,
            iban=self.iban,
            bic=self.bic,
            bank_name=self.bank_name,
            note=self.note,
        )


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
    translations: _translations(CertificationText)


class CompositeSection(_Table):
    code: Code
    name: Name
    required: list[Code]
    electives: list[Code]
    min_electives: Annotated[int, Field(ge=0)]
    translations: _translations(NameText)


class CohortEntry(_Table):
    code: Code
    name: Name
    registered_from: date
    registered_until: date  # inclusive
    subsidy_share: Share  # R8, the part of each fee the fund covers
    translations: _translations(NameText)


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
    portfolio: PortfolioSection = PortfolioSection()
    issuer: IssuerSection | None = None

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
                rubric=c.rubric.to_spec() if c.rubric else None,
                blueprint=c.blueprint.to_spec() if c.blueprint else None,
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
            appeal_window_days=rules.appeal_window_days,
            challenge_window_days=rules.challenge_window_days,
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
            topics=tuple(TopicSpec(code=t.code, name=t.name) for t in self.topics),
            portfolio_bots=tuple(self.portfolio.bots),
            issuer=self.issuer.to_spec() if self.issuer else None,
        )


# -- validating -------------------------------------------------------------------------------


def validate(data: dict[str, Any]) -> tuple[ProgramFile | None, dict[Loc, list[str]]]:
    """The program ``data`` describes (None if it does not fit the schema), and a sentence for
    each value that does not fit, by key path."""
    found: dict[Loc, list[str]] = {}
    try:
        return ProgramFile.model_validate(data), found
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            if loc[-1:] == ("[key]",):  # a bad key of a table: point at the key itself
                loc = loc[:-1]
            found.setdefault(loc, []).append(_message(error, data))
    return None, found


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
        "too_long": f"This list may have at most {ctx.get('max_length')} entries.",
    }
    if kind in simple:
        return simple[kind]
    message: str = error["msg"]
    return message if message.endswith(".") else f"{message}."


def _unknown_key(loc: Loc, data: dict[str, Any]) -> str:
    key = str(loc[-1])
    where = f"in {format_path(loc[:-1])}" if loc[:-1] else "at the top level"
    if len(loc) == 3 and isinstance(loc[1], int):  # name the entry by its code, if it has one
        entry = data[str(loc[0])][loc[1]]
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

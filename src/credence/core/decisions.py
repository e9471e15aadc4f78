"""The answer every rule gives: allowed, or refused with its rule number, a reason and a date.

Rules never return a bare boolean (docs/architecture.md, "How the code is shaped"): a candidate
who is refused must learn which rule applies, why, and the earliest date it becomes possible,
or that it never will.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Literal

from django.utils.translation import gettext as _

#: The longest reasons a person writes (an appeal, a challenge, a request, a decision's).
MAX_TEXT = 5000


@dataclass(frozen=True)
class Allowed:
    rule: str | None = None
    reason: str = ""

    # A literal, so that ``if decision.allowed`` tells the type checker which of the two it is.
    allowed: ClassVar[Literal[True]] = True


@dataclass(frozen=True)
class Refused:
    """A refusal. ``earliest`` is the first date it becomes possible when known; ``never`` says
    it cannot become possible without a staff decision (an exception or a waiver)."""

    rule: str
    reason: str
    earliest: date | None = None
    never: bool = False

    allowed: ClassVar[Literal[False]] = False

    def __post_init__(self) -> None:
        if self.never and self.earliest is not None:
            raise ValueError("a refusal that never lifts has no earliest date")
        if not self.reason:
            raise ValueError("a refusal always explains itself")


Decision = Allowed | Refused


class RuleRefused(Exception):
    """A service's refusal: carries the rule's decision, so that the caller (a page, the API)
    says which rule refused and why. Each app raises its own subclass."""

    def __init__(self, decision: Refused) -> None:
        super().__init__(f"{decision.rule}: {decision.reason}")
        self.decision = decision


def reasons_text(value: str, what: str, rule: str, refused: type[RuleRefused]) -> str:
    """Reasons a person must give under ``rule`` (an appeal's, a challenge's, a decision's):
    required and at most ``MAX_TEXT`` characters, else ``refused`` names the rule."""
    text = value.strip()
    if not text:
        raise refused(Refused(rule=rule, reason=_("Say why (%(what)s).") % {"what": what}))
    if len(text) > MAX_TEXT:
        reason = _("At most %(most)s characters, please.") % {"most": MAX_TEXT}
        raise refused(Refused(rule=rule, reason=reason))
    return text

"""The answer every rule gives: allowed, or refused with its rule number, a reason and a date.

Rules never return a bare boolean (DESIGN.md, "How the code is shaped" 2): a candidate who is
refused must learn which rule applies, why, and the earliest date it becomes possible, or that
it never will.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Allowed:
    rule: str | None = None
    reason: str = ""

    allowed = True


@dataclass(frozen=True)
class Refused:
    """A refusal. ``earliest`` is the first date it becomes possible when known; ``never`` says
    it cannot become possible without a staff decision (an exception or a waiver)."""

    rule: str
    reason: str
    earliest: date | None = None
    never: bool = False

    allowed = False

    def __post_init__(self) -> None:
        if self.never and self.earliest is not None:
            raise ValueError("a refusal that never lifts has no earliest date")
        if not self.reason:
            raise ValueError("a refusal always explains itself")


Decision = Allowed | Refused

"""Item banks for tests elsewhere: a knowledge-test session can be created and published only
when its certifications' banks fill their blueprints (R11, ``policy.may_draw_forms``), so a
test that needs a session stocks the banks first, through the real import."""

from __future__ import annotations

from credence.catalog.models import Certification
from credence.items.gift import parse_gift
from credence.items.selectors import blueprint_for
from credence.items.services import items_import


def blueprint_gift(code: str, *, extra: int = 0, prefix: str = "") -> str:
    """A GIFT file with, per topic of ``code``'s blueprint, as many multiple-choice items as
    a form asks for plus ``extra`` (choice 0 is right); item names start with ``prefix``."""
    blocks = []
    for topic, needed in blueprint_for(code).items_per_topic.items():
        for n in range(needed + extra):
            blocks.append(
                f"// [tag:{topic}]\n::{prefix}{code}-{topic}-{n}:: Question {n} on {topic}? "
                "{=right ~wrong ~other}\n"
            )
    return "\n".join(blocks)


def stock_banks(*codes: str, extra: int = 0) -> None:
    """Import into each certification's bank enough items for its blueprint (the program must
    be loaded)."""
    for code in codes:
        items_import(
            certification=Certification.objects.get(code=code),
            items=parse_gift(blueprint_gift(code, extra=extra)),
            acting_user=None,
        )

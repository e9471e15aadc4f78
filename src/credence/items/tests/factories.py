"""Item banks for tests elsewhere: a knowledge-test session can be created and published only
when its certifications' banks fill their blueprints (R11, ``policy.may_draw_forms``), so a
test that needs a session stocks the banks first."""

from __future__ import annotations

from credence.catalog.models import Certification
from credence.items.gift import parse_gift
from credence.items.models import Item, ItemVersion
from credence.items.selectors import blueprint_for


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
    """Fill each certification's bank for its blueprint (the program must be loaded).

    The items are what the GIFT parser makes of ``blueprint_gift``, written in a few bulk
    inserts rather than through ``items_import`` (tested in this app), which saves and audits
    them one by one: the API tests build a world with two banks for every test."""
    for code in codes:
        certification = Certification.objects.get(code=code)
        contents = [parsed.content for parsed in parse_gift(blueprint_gift(code, extra=extra))]
        items = Item.objects.bulk_create(
            Item(certification=certification, name=content.label) for content in contents
        )
        versions = ItemVersion.objects.bulk_create(
            ItemVersion(item=item, number=1, type=content.type, content=content.to_json())
            for item, content in zip(items, contents, strict=True)
        )
        topics = {topic.code: topic.pk for topic in certification.topics.all()}
        ItemVersion.topics.through.objects.bulk_create(
            ItemVersion.topics.through(itemversion_id=version.pk, topic_id=topics[tag])
            for version, content in zip(versions, contents, strict=True)
            for tag in content.tags
        )

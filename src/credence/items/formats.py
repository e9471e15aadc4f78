"""The item file formats by name, as the command line and the pages offer them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.translation import gettext as _

from credence.items.content import ItemContent, ItemFileError, ParsedItem, Problem
from credence.items.gift import parse_gift, write_gift
from credence.items.moodlexml import parse_moodle_xml, write_moodle_xml

GIFT = "gift"
MOODLE_XML = "moodle-xml"
FORMATS = (GIFT, MOODLE_XML)


def parse(data: bytes, file_format: str) -> list[ParsedItem]:
    """Parse an item file; ``ItemFileError`` with every problem. GIFT is read as UTF-8."""
    if file_format == GIFT:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ItemFileError([Problem(line, _("The file is not UTF-8 text."))]) from None
        return parse_gift(text)
    return parse_moodle_xml(data)


WRITERS: dict[str, Callable[[Sequence[ItemContent]], str]] = {
    GIFT: write_gift,
    MOODLE_XML: write_moodle_xml,
}

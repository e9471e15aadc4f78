"""Hypothesis strategies for items both formats can carry, within the limits Moodle's formats
have themselves: a ``->`` inside an answer or a leading ``%`` would be read as syntax."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from credence.items.content import (
    FALSE,
    FULL,
    NONE,
    TRUE,
    Choice,
    ItemContent,
    ItemType,
    NumericAnswer,
    Pair,
    TextFormat,
)
from credence.items.gift import GAP

_CHARS = st.characters(
    exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"), include_characters="\n\\~=#{}:%[]/"
)
texts = (
    st.text(_CHARS, min_size=1, max_size=24)
    .map(str.strip)
    .filter(lambda t: t and "->" not in t and GAP not in t and not t.startswith("%"))
)
optional = st.one_of(st.just(""), texts)
percents = st.sampled_from(["-100", "-50", "-33.33333", "0", "10", "25", "33.33333", "50", "75"])
TOPICS = ("supervised-learning", "model-evaluation", "model-deployment")


def _fraction(percent: str) -> Decimal:
    return Decimal(percent) / 100


@st.composite
def choices_for(draw: st.DrawFn, kind: ItemType) -> tuple[Choice, ...]:
    if kind == ItemType.MULTIPLE_CHOICE:
        split = draw(st.sampled_from([("100",), ("50", "50"), ("25", "75"), ("20", "30", "50")]))
        right = [Choice(draw(texts), _fraction(p), draw(optional)) for p in split]
        wrong_percents = st.sampled_from(["-100", "-50", "0"])
    else:
        right = [Choice(draw(texts), FULL, draw(optional))]
        wrong_percents = percents
    at_least = 0 if kind == ItemType.SHORT_ANSWER else max(0, 2 - len(right))
    others = draw(
        st.lists(st.tuples(texts, wrong_percents, optional), min_size=at_least, max_size=3)
    )
    wrong = [
        Choice(text, _fraction(p), feedback)
        for text, p, feedback in others
        if kind != ItemType.SHORT_ANSWER or Decimal(p) > 0
    ]
    ordered = draw(st.permutations(right + wrong))
    return tuple(ordered)


numbers = st.decimals(
    min_value=-(10**6), max_value=10**6, places=4, allow_nan=False, allow_infinity=False
)
tolerances = st.decimals(min_value=0, max_value=100, places=4)


@st.composite
def items(draw: st.DrawFn, *, gift: bool = False) -> ItemContent:
    kind = draw(st.sampled_from(list(ItemType)))
    content = {
        "type": kind,
        "stem": draw(texts),
        "name": draw(optional),
        "stem_format": draw(st.sampled_from(list(TextFormat))),
        "general_feedback": "" if gift and kind == ItemType.DESCRIPTION else draw(optional),
        "category": draw(st.sampled_from(["", "tom/dick/harry", "Default for ML"])),
        "tags": tuple(draw(st.lists(st.sampled_from(TOPICS), unique=True, max_size=2))),
    }
    if kind in (ItemType.SINGLE_CHOICE, ItemType.MULTIPLE_CHOICE, ItemType.SHORT_ANSWER):
        content["choices"] = draw(choices_for(kind))
    if kind == ItemType.SHORT_ANSWER and not gift:
        content["case_sensitive"] = draw(st.booleans())
    if kind == ItemType.TRUE_FALSE:
        truth = draw(st.booleans())
        content["choices"] = (
            Choice(TRUE, FULL if truth else NONE, draw(optional)),
            Choice(FALSE, NONE if truth else FULL, draw(optional)),
        )
    if kind == ItemType.NUMERIC:
        first = NumericAnswer(draw(numbers), draw(tolerances), FULL, draw(optional))
        partial = st.sampled_from([Decimal("0.5"), Decimal("0.25"), NONE])
        # Moodle's "*": any other response, anywhere in the list
        catch_all = st.builds(NumericAnswer, st.none(), st.just(NONE), partial, optional)
        more = draw(
            st.lists(
                st.one_of(
                    st.builds(NumericAnswer, numbers, tolerances, partial, optional), catch_all
                ),
                max_size=2,
            )
        )
        content["numeric"] = (first, *more)
    if kind == ItemType.MATCHING:
        content["pairs"] = tuple(
            Pair(p, a) for p, a in draw(st.lists(st.tuples(texts, texts), min_size=2, max_size=4))
        )
    return ItemContent(**content)

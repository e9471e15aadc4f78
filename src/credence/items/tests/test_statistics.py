"""Item statistics against values worked out by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credence.items.statistics import Observation, cronbach_alpha, item_statistics

# five candidates, five items all saw; item 5 is answered right by the weakest only
MATRIX = {
    "a": (1, 1, 1, 1, 0),
    "b": (1, 1, 1, 0, 0),
    "c": (1, 1, 0, 0, 0),
    "d": (1, 0, 0, 0, 1),
    "e": (0, 0, 0, 0, 1),
}


def observations(matrix=MATRIX):
    return [
        Observation(candidate, item + 1, float(share), (0 if share else 1,))
        for candidate, row in matrix.items()
        for item, share in enumerate(row)
    ]


def test_facility_discrimination_choices_and_flags():
    stats = {s.item: s for s in item_statistics(observations())}

    assert stats[1].facility == pytest.approx(0.8)
    assert stats[5].facility == pytest.approx(0.4)
    assert stats[5].discrimination < 0
    assert "negative discrimination" in stats[5].flags
    assert stats[1].choices == {0: 4, 1: 1}
    # item 1 against the mean of the other four: .75, .5, .25, .25, .25 → r = .15 / .4
    assert stats[1].discrimination == pytest.approx(0.375)
    assert stats[1].flags == ()


def test_kr20_by_hand():
    # totals 4,3,2,2,1: variance 1.04; item variances .16+.24+.24+.16+.24 = 1.04; k = 5
    assert cronbach_alpha(observations()) == pytest.approx(0.0)
    # without the misbehaving item: totals 4,3,2,1,0 (variance 2), items .8 → 4/3 * .6
    four = {c: row[:4] for c, row in MATRIX.items()}
    assert cronbach_alpha(observations(four)) == pytest.approx(4 / 3 * (1 - 0.8 / 2))


def test_alpha_needs_two_common_items_and_variance():
    assert cronbach_alpha(observations({"a": (1, 1), "b": (1, 1)})) is None
    assert cronbach_alpha([Observation("a", 1, 1.0), Observation("b", 2, 1.0)]) is None


def test_flags_for_items_everyone_gets_right_or_wrong():
    stats = {s.item: s for s in item_statistics(observations({c: (1, 0) for c in "abcd"}))}

    assert stats[1].flags == ("too easy",)
    assert stats[2].flags == ("too hard",)
    assert stats[1].discrimination is None  # no variance


@given(st.lists(st.lists(st.sampled_from([0.0, 0.5, 1.0]), min_size=4, max_size=4), min_size=3))
def test_statistics_stay_in_their_ranges(rows):
    matrix = {str(n): tuple(row) for n, row in enumerate(rows)}

    for s in item_statistics(observations(matrix)):
        assert 0 <= s.facility <= 1
        assert s.discrimination is None or -1 - 1e-9 <= s.discrimination <= 1 + 1e-9
    alpha = cronbach_alpha(observations(matrix))
    assert alpha is None or alpha <= 1 + 1e-9

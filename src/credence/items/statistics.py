"""Classical item statistics for authors, over plain data: facility, corrected point-biserial
discrimination, how often each option was chosen, Cronbach's alpha (KR-20 for items scored 0
or 1), and flags on items that misbehave.

Forms differ per candidate, so each item's statistics use the candidates who saw it, with
their score on the *other* items of their form as the criterion (the "corrected" correlation:
an item does not correlate with itself). Alpha needs the same items for everyone: it is taken
over the items every candidate of the group saw.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

TOO_EASY = 0.95
TOO_HARD = 0.20
WEAK = 0.10


@dataclass(frozen=True)
class Observation:
    candidate: str
    item: int
    share: float  # 0..1 of the item's marks
    choice: tuple[int, ...] = ()  # options chosen (choice items), indexes in the item's list


@dataclass(frozen=True)
class ItemStats:
    item: int
    n: int
    facility: float
    discrimination: float | None  # None when it cannot be computed (no variance, n < 3)
    choices: dict[int, int]
    flags: tuple[str, ...]


def _flags(facility: float, discrimination: float | None) -> tuple[str, ...]:
    flags = []
    if discrimination is not None and discrimination < 0:
        flags.append(_("negative discrimination"))
    elif discrimination is not None and discrimination < WEAK:
        flags.append(_("weak discrimination"))
    if facility > TOO_EASY:
        flags.append(_("too easy"))
    if facility < TOO_HARD:
        flags.append(_("too hard"))
    return tuple(flags)


def item_statistics(observations: Sequence[Observation]) -> list[ItemStats]:
    by_candidate: dict[str, list[Observation]] = defaultdict(list)
    by_item: dict[int, list[Observation]] = defaultdict(list)
    for o in observations:
        by_candidate[o.candidate].append(o)
        by_item[o.item].append(o)
    totals = {c: sum(o.share for o in obs) for c, obs in by_candidate.items()}
    counts = {c: len(obs) for c, obs in by_candidate.items()}
    result = []
    for item, seen in sorted(by_item.items()):
        shares = [o.share for o in seen]
        # the rest score: the mean share on the candidate's other items
        rest = [
            (totals[o.candidate] - o.share) / (counts[o.candidate] - 1)
            if counts[o.candidate] > 1
            else 0.0
            for o in seen
        ]
        discrimination: float | None
        try:
            discrimination = statistics.correlation(shares, rest) if len(seen) >= 3 else None
        except statistics.StatisticsError:  # no variance in one of them
            discrimination = None
        facility = statistics.fmean(shares)
        chosen = Counter(index for o in seen for index in o.choice)
        result.append(
            ItemStats(
                item=item,
                n=len(seen),
                facility=facility,
                discrimination=discrimination,
                choices=dict(sorted(chosen.items())),
                flags=_flags(facility, discrimination),
            )
        )
    return result


def cronbach_alpha(observations: Sequence[Observation]) -> float | None:
    """Alpha over the items every candidate saw; KR-20 when items score 0 or 1. None with
    fewer than two such items or two candidates, or no variance in the totals."""
    by_candidate: dict[str, dict[int, float]] = defaultdict(dict)
    for o in observations:
        by_candidate[o.candidate][o.item] = o.share
    if len(by_candidate) < 2:
        return None
    common = set.intersection(*(set(items) for items in by_candidate.values()))
    k = len(common)
    if k < 2:
        return None
    rows = [[items[i] for i in sorted(common)] for items in by_candidate.values()]
    totals = [sum(row) for row in rows]
    total_variance = statistics.pvariance(totals)
    if total_variance == 0:
        return None
    item_variance = sum(statistics.pvariance(column) for column in zip(*rows, strict=True))
    return k / (k - 1) * (1 - item_variance / total_variance)

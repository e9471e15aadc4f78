"""Standard setting by the modified Angoff method, over plain data (R4; decision 0018).

Each panellist rates every item of the reference form with the probability that a minimally
competent candidate answers it right. A panellist's cut is the sum of their ratings (the raw
score such a candidate is expected to reach); the panel's recommended cut is the mean of the
panellists' cuts (= the sum of the items' mean ratings), with

* its standard error SD(cuts) / √n (the standard error of the mean of the panellists' cuts,
  Hambleton & Pitoniak 2006, "Setting performance standards", p. 461);
* the panel's agreement as the intraclass correlation ICC(2,1) and ICC(2,k) of Shrout &
  Fleiss (1979): two-way random effects, absolute agreement, items as targets and panellists
  as raters. ICC(2,k) is the reliability of the panel's mean rating of an item.

Adopting the recommendation as the pass mark needs a complete, large enough panel and a
calibration that places every rated item on the bank's θ scale (for equated scores, 0019).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.utils.translation import gettext as _

from credence.core.decisions import Allowed, Decision, Refused

#: Fewer panellists give a cut whose standard error says little; 0018 explains the number.
MIN_PANELLISTS = 3
#: The rule a standard-setting refusal names: it decides R4's pass mark.
RULE = "R4"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Panel:
    """Ratings of one round: ``ratings[p][i]`` is panellist ``p``'s rating of item ``i``
    (0..1), ``None`` where it is still missing."""

    panellists: tuple[str, ...]
    items: tuple[str, ...]
    ratings: tuple[tuple[float | None, ...], ...]

    @classmethod
    def of(
        cls,
        panellists: Sequence[str],
        items: Sequence[str],
        ratings: Mapping[tuple[str, str], float],
    ) -> Panel:
        return cls(
            tuple(panellists),
            tuple(items),
            tuple(tuple(ratings.get((p, i)) for i in items) for p in panellists),
        )

    @property
    def missing(self) -> int:
        return sum(1 for row in self.ratings for value in row if value is None)


@dataclass(frozen=True)
class Agreement:
    icc_single: float | None  # ICC(2,1); None where undefined (no variance at all)
    icc_average: float | None  # ICC(2,k)


@dataclass(frozen=True)
class Recommendation:
    items: int
    panellists: int
    cuts: tuple[float, ...]  # each panellist's raw cut, in the panel's order
    raw_cut: float  # mean of the panellists' cuts = sum of the items' mean ratings
    percent_cut: Decimal  # raw cut as a percent of the form, to the cent
    standard_error: float  # SD(cuts) / √n, raw score points
    sd_of_cuts: float
    item_means: tuple[float, ...]
    agreement: Agreement

    @property
    def standard_error_percent(self) -> float:
        return 100.0 * self.standard_error / self.items


def may_recommend(panel: Panel) -> Decision:
    """Whether the panel's ratings can give a recommendation."""
    if not panel.items:
        return Refused(RULE, _("The reference form has no items to rate."), never=True)
    if len(panel.panellists) < MIN_PANELLISTS:
        return Refused(
            RULE,
            _("A recommendation needs at least %(min)d panellists; the panel has %(n)d.")
            % {"min": MIN_PANELLISTS, "n": len(panel.panellists)},
        )
    if panel.missing:
        return Refused(
            RULE,
            _("%(n)d ratings are still missing: every panellist rates every item.")
            % {"n": panel.missing},
        )
    return Allowed(RULE)


def recommend(panel: Panel) -> Recommendation:
    """The recommended cut of a complete panel; ``ValueError`` when ``may_recommend``
    refuses."""
    decision = may_recommend(panel)
    if not decision.allowed:
        raise ValueError(decision.reason)
    ratings = np.array(panel.ratings, dtype=float)  # panellists x items
    if ((ratings < 0) | (ratings > 1)).any():
        raise ValueError(_("A rating is a probability from 0 to 1."))
    cuts = ratings.sum(axis=1)
    n = len(cuts)
    sd = float(cuts.std(ddof=1))
    raw_cut = float(cuts.mean())
    items = ratings.shape[1]
    return Recommendation(
        items=items,
        panellists=n,
        cuts=tuple(float(c) for c in cuts),
        raw_cut=raw_cut,
        percent_cut=percent_of(raw_cut, items),
        standard_error=sd / math.sqrt(n),
        sd_of_cuts=sd,
        item_means=tuple(float(m) for m in ratings.mean(axis=0)),
        agreement=intraclass_correlation(ratings.T),
    )


def percent_of(raw: float, items: int) -> Decimal:
    """A raw score as a percent of a form of ``items`` items, to the cent, within 0..100."""
    percent = Decimal(repr(100.0 * raw / items)).quantize(CENT, ROUND_HALF_UP)
    return min(max(percent, Decimal(0)), Decimal(100))


def intraclass_correlation(table: np.ndarray) -> Agreement:
    """ICC(2,1) and ICC(2,k) of Shrout & Fleiss (1979) for a targets x raters table, from
    the two-way ANOVA mean squares (McGraw & Wong 1996, case 2A, absolute agreement)."""
    targets, raters = table.shape
    if targets < 2 or raters < 2:
        return Agreement(None, None)
    grand = table.mean()
    ss_targets = raters * float(((table.mean(axis=1) - grand) ** 2).sum())
    ss_raters = targets * float(((table.mean(axis=0) - grand) ** 2).sum())
    ss_error = float(((table - grand) ** 2).sum()) - ss_targets - ss_raters
    ms_targets = ss_targets / (targets - 1)
    ms_raters = ss_raters / (raters - 1)
    ms_error = max(ss_error, 0.0) / ((targets - 1) * (raters - 1))
    single_denominator = (
        ms_targets + (raters - 1) * ms_error + raters * (ms_raters - ms_error) / targets
    )
    average_denominator = ms_targets + (ms_raters - ms_error) / targets
    # No variance anywhere (every rating equal): agreement is undefined, not perfect or nil.
    if single_denominator <= 1e-12 or average_denominator <= 1e-12:
        return Agreement(None, None)
    return Agreement(
        icc_single=(ms_targets - ms_error) / single_denominator,
        icc_average=(ms_targets - ms_error) / average_denominator,
    )


@dataclass(frozen=True)
class Adoption:
    """What adoption depends on besides the panel: whether every rated item is calibrated,
    and whether the workshop was adopted before."""

    calibrated: bool
    already_adopted: bool


def may_adopt(adoption: Adoption, panel: Panel) -> Decision:
    """Whether staff may adopt a workshop's recommendation as the pass mark (R4)."""
    if adoption.already_adopted:
        return Refused(RULE, _("This workshop's cut is already the pass mark."), never=True)
    decision = may_recommend(panel)
    if not decision.allowed:
        return decision
    if not adoption.calibrated:
        return Refused(
            RULE,
            _(
                "The workshop needs a finished calibration that covers every rated item: "
                "without it the cut cannot be carried to other forms."
            ),
        )
    return Allowed(RULE)

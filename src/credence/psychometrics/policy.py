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

Below the Angoff rules: whether a calibration may be used at all (converged and identified)
and the screening of its items before they count (decision 0042).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.utils.translation import gettext as _

from credence.core.decisions import Allowed, Decision, Refused
from credence.psychometrics import irt
from credence.psychometrics.irt import A_MAX, A_MIN, B_MAX

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


# -- Equating a sitting's form under the adopted standard (decision 0043) ------------------


@dataclass(frozen=True)
class FormCoverage:
    """What equating one form under the adopted standard needs, as plain data."""

    #: a usable calibration is on the standard's scale (its own, or one linked to it)
    calibrated: bool
    #: the form's items without parameters on that scale, by name: not calibrated yet, or
    #: left out of the calibration (nobody, or everybody, answered them right)
    uncovered: tuple[str, ...]
    #: the form's items left to score once the items the screening excludes are left out
    scored: int


def may_equate(coverage: FormCoverage) -> Decision:
    """Whether a form can be equated to the standard's reference form. A form that cannot is
    not scored on the raw percent instead: its result waits, with this reason (R4: one
    standard for every candidate of a session)."""
    if not coverage.calibrated:
        return Refused(
            RULE,
            _(
                "No usable calibration is on the adopted standard's scale, so the form cannot "
                "be equated and the result is not released. Calibrate again, then release."
            ),
        )
    if coverage.uncovered:
        return Refused(
            RULE,
            _(
                "The form cannot be equated: %(items)s not on the adopted standard's scale "
                "(not calibrated yet, or left out of the calibration). The result is not "
                "released; calibrate again with these sittings, then release."
            )
            % {"items": ", ".join(coverage.uncovered)},
        )
    if coverage.scored == 0:
        return Refused(
            RULE,
            _(
                "The form cannot be equated: the screening excludes every item of it. The "
                "result is not released until a psychometrician accepts its items."
            ),
        )
    return Allowed(RULE)


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
    whether the calibration may be used at all, and whether the
    workshop was adopted before."""

    calibrated: bool
    already_adopted: bool
    #: why the calibration may not be used at all (``calibration_usable``), if it may not
    unusable: Refused | None = None
    #: sessions with results released and others still to release (decision 0043)
    part_released: tuple[str, ...] = ()


def may_adopt(adoption: Adoption, panel: Panel) -> Decision:
    """Whether staff may adopt a workshop's recommendation as the pass mark (R4)."""
    if adoption.already_adopted:
        return Refused(RULE, _("This workshop's cut is already the pass mark."), never=True)
    if adoption.unusable is not None:
        return adoption.unusable
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
    if adoption.part_released:
        # One session, one standard: its first results were decided on the pass mark (and
        # scale) in force then; a new one now would decide the rest differently.
        return Refused(
            RULE,
            _(
                "Some results of %(sessions)s are released and others are not yet: adopting "
                "a new standard now would decide that session's candidates on two "
                "standards. Release the rest first, then adopt."
            )
            % {"sessions": "; ".join(adoption.part_released)},
        )
    return Allowed(RULE)


# -- Whether a calibration may be used: converged and identified (decision 0042) -----------

#: The rule a refusal to use a calibration names.
CONVERGENCE_RULE = "convergence"
#: Fewest items for each model to be identified from the response patterns: k dichotomous
#: items give 2^k - 1 free pattern probabilities; the 2PL has 2k parameters (k = 1, 2 give
#: 1 < 2 and 3 < 4), the Rasch model with its common slope k + 1 (k = 1 gives 1 < 2).
MIN_ITEMS = {"2pl": 3, "rasch": 2}
#: A standard error above this is not an estimate but a singular information matrix
#: (se_a = 2.1e16 for a 2PL on one item): the model is not identified. An item seen by a
#: handful of candidates gets large, finite SEs (se_a 115 for six), which the item screening
#: flags instead.
SINGULAR_SE = 1e6


@dataclass(frozen=True)
class FitReport:
    """What a calibration says about its own fit, from its parameters document."""

    model: str
    converged: bool
    iterations: int
    final_change: float | None
    items: int
    #: every item's standard errors of a and b; None where the fit gave none (not finite)
    standard_errors: tuple[float | None, ...]
    #: persons calibrated on; 0 where the document does not say
    persons: int = 0

    @property
    def parameters(self) -> int:
        """Free parameters: a and b per item (2PL), or one b per item and the common a."""
        return 2 * self.items if self.model == "2pl" else self.items + 1

    @classmethod
    def of(cls, fitted: irt.Calibration) -> FitReport:
        return cls(
            model=fitted.model,
            converged=fitted.converged,
            iterations=fitted.iterations,
            final_change=fitted.final_change if math.isfinite(fitted.final_change) else None,
            items=len(fitted.items),
            standard_errors=tuple(
                se if se is not None and math.isfinite(se) else None
                for item in fitted.items
                for se in (item.se_a, item.se_b)
            ),
            persons=fitted.persons,
        )


def model_identified(report: FitReport) -> Decision:
    """Whether the data identify the model's parameters: enough items for the model, and
    every standard error finite (a singular information matrix means some parameter could
    take any value). EM may well "converge" on an unidentified model."""
    if report.items < MIN_ITEMS.get(report.model, 1):
        return Refused(
            CONVERGENCE_RULE,
            _(
                "The model is not identified: a %(model)s calibration needs at least %(min)d "
                "items, and this one has %(n)d. Its parameters mean nothing."
            )
            % {"model": report.model, "min": MIN_ITEMS[report.model], "n": report.items},
            never=True,
        )
    # The SEs come from the cross-product of the persons' score vectors (irt), whose rank
    # is at most the number of persons: with no more persons than parameters it is singular.
    if 0 < report.persons <= report.parameters:
        return Refused(
            CONVERGENCE_RULE,
            _(
                "Too few candidates for the model: %(persons)d for its %(parameters)d "
                "parameters, so the standard errors cannot be estimated. Calibrate when more "
                "candidates have sat the test."
            )
            % {"persons": report.persons, "parameters": report.parameters},
            never=True,
        )
    singular = [se for se in report.standard_errors if se is None or not se < SINGULAR_SE]
    if singular:
        return Refused(
            CONVERGENCE_RULE,
            _(
                "The model is not identified: %(n)d standard errors are infinite or "
                "astronomically large (the information matrix is singular)."
            )
            % {"n": len(singular)},
            never=True,
        )
    return Allowed(CONVERGENCE_RULE)


def calibration_usable(report: FitReport) -> Decision:
    """A calibration may place items on the scale (standard setting, equating) only when
    the model is identified and its EM iterations converged; otherwise every use is refused
    with the reason."""
    identified = model_identified(report)
    if not identified.allowed:
        return identified
    if not report.converged:
        change = "-" if report.final_change is None else f"{report.final_change:.2e}"
        return Refused(
            CONVERGENCE_RULE,
            _(
                "The calibration did not converge: after %(n)d iterations the parameters "
                "still changed by %(change)s. Calibrate again (more iterations or more "
                "sittings)."
            )
            % {"n": report.iterations, "change": change},
            never=True,
        )
    return Allowed(CONVERGENCE_RULE)


# -- Item screening (decision 0042) --------------------------------------------------------

#: The rule a screening flag names.
SCREENING_RULE = "screening"


@dataclass(frozen=True)
class ScreeningLimits:
    """The limits of the screening; 0042 gives the reason for each number. Only
    ``min_responses`` is a setting (``CREDENCE_ITEM_MIN_RESPONSES``)."""

    min_responses: int = 30
    #: a at most this is "at the lower bound" (A_MIN = 0.05: a miskeyed or pure-noise item
    #: is pinned there); at least ``a_high`` "at the upper bound" (A_MAX = 10)
    a_low: float = 2 * A_MIN
    a_high: float = 0.8 * A_MAX
    b_limit: float = 0.8 * B_MAX
    #: corrected point-biserial (items.statistics): below 0 negative, below this near zero
    weak_discrimination: float = 0.10
    infit: tuple[float, float] = (0.7, 1.3)
    outfit: tuple[float, float] = (0.5, 1.5)
    max_se_a: float = 1.0
    max_se_b: float = 1.0
    #: displacement of b on the previous adopted calibration's scale, in logits
    drift_b: float = 0.5
    #: factor by which a may change (2PL) before it counts as drift
    drift_a: float = 2.0


@dataclass(frozen=True)
class ItemEvidence:
    """One calibrated item with what the screening looks at."""

    id: str
    a: float
    b: float
    se_a: float | None
    se_b: float | None
    infit: float | None
    outfit: float | None
    responses: int
    point_biserial: float | None  # None when it cannot be computed (no variance, n < 3)


@dataclass(frozen=True)
class Flag:
    code: str  # bound, discrimination, responses, fit, standard-error, drift
    reason: str


@dataclass(frozen=True)
class ItemScreen:
    """The screening decision on one item: its flags, each with its reason."""

    item: str
    flags: tuple[Flag, ...]

    @property
    def decision(self) -> Decision:
        """Whether the item may count before anybody has looked at it."""
        if not self.flags:
            return Allowed(SCREENING_RULE)
        return Refused(SCREENING_RULE, " ".join(flag.reason for flag in self.flags))


def _item_flags(item: ItemEvidence, model: str, limits: ScreeningLimits) -> list[Flag]:
    flags: list[Flag] = []
    # The Rasch slope is common to all items: a bound there is the model's, not the item's.
    if model == "2pl" and item.a <= limits.a_low:
        flags.append(
            Flag(
                "bound",
                _(
                    "a = %(a).2f sits at the lower bound %(bound)g: the item does not "
                    "discriminate, or discriminates the wrong way (miskeyed?)."
                )
                % {"a": item.a, "bound": A_MIN},
            )
        )
    if model == "2pl" and item.a >= limits.a_high:
        flags.append(
            Flag(
                "bound",
                _("a = %(a).2f sits at or near the upper bound %(bound)g.")
                % {"a": item.a, "bound": A_MAX},
            )
        )
    if abs(item.b) >= limits.b_limit:
        flags.append(
            Flag(
                "bound",
                _("b = %(b).2f sits at or near the bound ±%(bound)g.")
                % {"b": item.b, "bound": B_MAX},
            )
        )
    if item.point_biserial is not None and item.point_biserial < 0:
        flags.append(
            Flag(
                "discrimination",
                _(
                    "Negative discrimination: point-biserial %(r).2f (abler candidates get "
                    "it wrong more often; check the key)."
                )
                % {"r": item.point_biserial},
            )
        )
    elif item.point_biserial is not None and item.point_biserial < limits.weak_discrimination:
        flags.append(
            Flag(
                "discrimination",
                _("Near-zero discrimination: point-biserial %(r).2f, below %(min).2f.")
                % {"r": item.point_biserial, "min": limits.weak_discrimination},
            )
        )
    if item.responses < limits.min_responses:
        flags.append(
            Flag(
                "responses",
                _("Only %(n)d responses; the screening needs at least %(min)d.")
                % {"n": item.responses, "min": limits.min_responses},
            )
        )
    (in_low, in_high), (out_low, out_high) = limits.infit, limits.outfit
    if not _within(item.infit, in_low, in_high) or not _within(item.outfit, out_low, out_high):
        flags.append(
            Flag(
                "fit",
                _(
                    "Poor fit: infit %(infit)s (%(in_low)g to %(in_high)g), outfit %(outfit)s "
                    "(%(out_low)g to %(out_high)g)."
                )
                % {
                    "infit": _shown(item.infit),
                    "outfit": _shown(item.outfit),
                    "in_low": in_low,
                    "in_high": in_high,
                    "out_low": out_low,
                    "out_high": out_high,
                },
            )
        )
    # the Rasch slope is common: its SE is the model's, not the item's
    slope_ok = model != "2pl" or _within(item.se_a, 0.0, limits.max_se_a)
    if not slope_ok or not _within(item.se_b, 0.0, limits.max_se_b):
        flags.append(
            Flag(
                "standard-error",
                _(
                    "Huge standard errors: SE(a) %(se_a)s, SE(b) %(se_b)s (at most %(max_a)g "
                    "and %(max_b)g): the data say little about this item."
                )
                % {
                    "se_a": _shown(item.se_a),
                    "se_b": _shown(item.se_b),
                    "max_a": limits.max_se_a,
                    "max_b": limits.max_se_b,
                }
                if model == "2pl"
                else _(
                    "Huge standard error: SE(b) %(se_b)s (at most %(max_b)g): the data say "
                    "little about this item."
                )
                % {"se_b": _shown(item.se_b), "max_b": limits.max_se_b},
            )
        )
    return flags


def _within(value: float | None, low: float, high: float) -> bool:
    return value is not None and math.isfinite(value) and low <= value <= high


def _shown(value: float | None) -> str:
    return "-" if value is None or not math.isfinite(value) else f"{value:.2f}"


def _drift_flags(
    items: Sequence[ItemEvidence],
    clean: set[str],
    previous: Mapping[str, tuple[float, float]],
    model: str,
    limits: ScreeningLimits,
) -> dict[str, Flag]:
    """Items whose parameters moved against the previous adopted calibration. The two
    scales are first matched by mean/sigma over the common items that are otherwise clean
    (a flagged item would drag the link), so a shift of the whole group is not drift."""
    common = [item for item in items if item.id in previous]
    anchors = [item for item in common if item.id in clean]
    slope, intercept = 1.0, 0.0
    if len(anchors) >= 2:
        anchors_new_b = np.array([item.b for item in anchors])
        anchors_old_b = np.array([previous[item.id][1] for item in anchors])
        if anchors_new_b.std() > 1e-9:
            slope = float(anchors_old_b.std() / anchors_new_b.std())
            intercept = float(anchors_old_b.mean() - slope * anchors_new_b.mean())
    flags = {}
    for item in common:
        old_a, old_b = previous[item.id]
        b = slope * item.b + intercept
        a = item.a / slope
        moved_b = abs(b - old_b) > limits.drift_b
        moved_a = model == "2pl" and abs(math.log(a / old_a)) > math.log(limits.drift_a)
        if moved_b or moved_a:
            flags[item.id] = Flag(
                "drift",
                _(
                    "Drift from the adopted calibration: b %(old_b).2f → %(b).2f, a "
                    "%(old_a).2f → %(a).2f on its scale (limits ±%(lim_b)g for b, a factor "
                    "of %(lim_a)g for a)."
                )
                % {
                    "old_b": old_b,
                    "b": b,
                    "old_a": old_a,
                    "a": a,
                    "lim_b": limits.drift_b,
                    "lim_a": limits.drift_a,
                },
            )
    return flags


def screen_items(
    items: Sequence[ItemEvidence],
    *,
    model: str,
    limits: ScreeningLimits,
    previous: Mapping[str, tuple[float, float]] | None = None,
) -> list[ItemScreen]:
    """Screen every item of a calibration; ``previous`` maps item ids to (a, b) of the
    previous adopted calibration of the same certification, when there is one."""
    flags = {item.id: _item_flags(item, model, limits) for item in items}
    if previous:
        clean = {item_id for item_id, raised in flags.items() if not raised}
        for item_id, flag in _drift_flags(items, clean, previous, model, limits).items():
            flags[item_id].append(flag)
    return [ItemScreen(item.id, tuple(flags[item.id])) for item in items]


def may_accept_item(*, flagged: bool, accepted: bool, reason: str) -> Decision:
    """Whether a psychometrician may accept a flagged item so that it counts."""
    if not flagged:
        return Refused(SCREENING_RULE, _("The screening raised no flag on this item."), never=True)
    if accepted:
        return Refused(SCREENING_RULE, _("This item is already accepted."), never=True)
    if not reason.strip():
        return Refused(SCREENING_RULE, _("Say why the item may count despite its flags."))
    return Allowed(SCREENING_RULE)

"""The diagnostic score report's figures, over plain data (decision 0044).

Per blueprint domain (a topic of the certification): the candidate's subscore as a percent of
the domain's marks on their form, its uncertainty band, and where it stands against the
standard (R4's pass mark) — "below", "near" or "above" — but only where the domain's subscore
is reliable enough to say so; otherwise the report says it cannot tell.

The measurement model is Lord's binomial error model, which fits how Credence draws forms:
each candidate's items of a domain are a random draw from the domain's part of the bank
(decision 0012), so forms are randomly parallel. Under it

* the band is the Wilson score interval of the share of the domain's marks earned, at
  ``Z`` standard errors (about 68 %, the convention of candidate score reports);
* the domain's reliability is KR-21 over the domain subscores of a reference group (the
  candidates of the same certification whose form had as many items in the domain). KR-21 is
  the reliability of randomly parallel forms and a lower bound to KR-20, which needs the same
  items for everyone and so cannot be taken over drawn forms.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The band's half-width in standard errors: 1.0 is about 68 % confidence.
Z = 1.0
# Below this reliability a domain's subscore is not precise enough to place against the
# standard (the usual floor for reporting a score about a person; decision 0044).
MIN_RELIABILITY = 0.70
# Below this many candidates in the reference group, KR-21 is itself too uncertain.
MIN_GROUP = 30
# How many of the weakest domains get preparation resources.
WEAKEST = 2

TENTH = Decimal("0.1")


class Standing(models.TextChoices):
    """Where a domain's subscore stands against the standard."""

    ABOVE = "above", gettext_lazy("above the standard")
    NEAR = "near", gettext_lazy("near the standard")
    BELOW = "below", gettext_lazy("below the standard")
    CANNOT_TELL = "cannot_tell", gettext_lazy("cannot tell")


@dataclass(frozen=True)
class DomainResult:
    """A candidate's result in one domain, as the released sitting holds it."""

    topic: str  # the topic's code
    items: int  # items of the domain on the candidate's form
    percent: Decimal  # of the domain's marks, 0..100


@dataclass(frozen=True)
class DomainReport:
    topic: str
    items: int
    percent: Decimal
    low: Decimal  # the band, percent
    high: Decimal
    reliability: float | None  # KR-21 over the reference group; None when not estimable
    group: int  # candidates in the reference group
    standing: Standing
    why: str  # one sentence: how the standing was reached, or why it cannot be told


def wilson_band(share: float, items: int, z: float = Z) -> tuple[float, float]:
    """The Wilson score interval (0..1) of ``share`` of the marks earned on ``items`` items.
    Unlike share ± z·SE it stays inside 0..1 and is not zero-wide at 0 % or 100 %."""
    if items < 1:
        raise ValueError("a band needs at least one item")
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"a share of marks is from 0 to 1, not {share}")
    z2n = z * z / items
    centre = (share + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(share * (1 - share) / items + z2n / (4 * items))
    # the interval holds the share in exact arithmetic; min/max keep it so in floats too
    # (at full marks centre + half is 0.9999999999999999, which would fall under a cut of 100)
    return max(0.0, min(share, centre - half)), min(1.0, max(share, centre + half))


def kr21(scores: Sequence[float], items: int) -> float | None:
    """KR-21 of marks earned (0..``items`` each) by a group on ``items`` items: None with fewer
    than two items or two scores, or when every score is the same (no variance to explain)."""
    if items < 2 or len(scores) < 2:
        return None
    variance = statistics.pvariance(scores)
    if variance == 0:
        return None
    mean = statistics.fmean(scores)
    return items / (items - 1) * (1 - mean * (items - mean) / (items * variance))


def _percent(share: float) -> Decimal:
    return (Decimal(share) * 100).quantize(TENTH, ROUND_HALF_UP)


def domain_report(
    result: DomainResult,
    *,
    cut: Decimal,
    group: Sequence[Decimal],
    min_reliability: float = MIN_RELIABILITY,
    min_group: int = MIN_GROUP,
) -> DomainReport:
    """``result`` placed against ``cut`` (percent), with ``group`` the reference group's
    subscores (percent) in this domain on forms with the same number of items."""
    if not Decimal(0) <= result.percent <= Decimal(100):
        raise ValueError(f"a subscore is a percentage from 0 to 100, not {result.percent}")
    share = float(result.percent) / 100
    low, high = wilson_band(share, result.items)
    reliability = (
        kr21([float(p) / 100 * result.items for p in group], result.items)
        if len(group) >= min_group
        else None
    )
    if reliability is not None:
        # KR-21 falls under 0 when the group's differences in the domain are all error (and
        # then some, by chance): no reliability, reported as 0
        reliability = max(0.0, reliability)
    limit = f"{min_reliability:.2f}"
    if len(group) < min_group:
        standing = Standing.CANNOT_TELL
        why = _(
            "Too few candidates (%(group)d of %(needed)d) have taken this domain to know how "
            "reliable its subscore is."
        ) % {"group": len(group), "needed": min_group}
    elif reliability is None:
        standing = Standing.CANNOT_TELL
        why = _(
            "Every candidate of the reference group has the same subscore in this domain, so "
            "its reliability cannot be estimated."
        )
    elif reliability < min_reliability:
        standing = Standing.CANNOT_TELL
        why = _(
            "With %(items)d items this subscore is not reliable enough (reliability %(value)s, "
            "%(limit)s needed) to place it against the standard."
        ) % {"items": result.items, "value": f"{reliability:.2f}", "limit": limit}
    else:
        cut_share = float(cut) / 100
        if low >= cut_share:
            standing = Standing.ABOVE
            why = _("The whole band reaches the pass mark.")
        elif high < cut_share:
            standing = Standing.BELOW
            why = _("The whole band lies under the pass mark.")
        else:
            standing = Standing.NEAR
            why = _("The band includes the pass mark.")
    return DomainReport(
        topic=result.topic,
        items=result.items,
        percent=result.percent,
        low=_percent(low),
        high=_percent(high),
        reliability=reliability,
        group=len(group),
        standing=standing,
        why=why,
    )


def diagnose(
    results: Sequence[DomainResult],
    *,
    cut: Decimal,
    groups: Mapping[str, Sequence[Decimal]],
    min_reliability: float = MIN_RELIABILITY,
    min_group: int = MIN_GROUP,
) -> tuple[DomainReport, ...]:
    """Every domain of the form, in the form's order; ``groups``: topic -> reference group."""
    return tuple(
        domain_report(
            result,
            cut=cut,
            group=groups.get(result.topic, ()),
            min_reliability=min_reliability,
            min_group=min_group,
        )
        for result in results
    )


def weakest(
    domains: Sequence[DomainReport], *, cut: Decimal, limit: int = WEAKEST
) -> tuple[DomainReport, ...]:
    """The domains to prepare first: those under the pass mark, lowest first, at most
    ``limit``; when none is under it, the lowest one unless it is full marks."""
    ordered = sorted(domains, key=lambda d: d.percent)  # stable: ties keep the form's order
    under = [d for d in ordered if d.percent < cut]
    if under:
        return tuple(under[:limit])
    return tuple(ordered[:1]) if ordered and ordered[0].percent < 100 else ()

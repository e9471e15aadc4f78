"""What other apps ask of the psychometrics app: the equated score of a sitting's form under
the adopted standard (decision 0019), and where a certification's public transparency page is
(decision 0045)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.urls import reverse

if TYPE_CHECKING:
    from credence.psychometrics.models import Calibration


def equated_score(
    *, certification: str, items: Sequence[str], shares: Sequence[Decimal]
) -> Decimal | None:
    """The raw score on a form (items = item version ids, shares = marks earned 0..1) as a
    percent of the adopted standard's reference form, or None when no adopted standard's
    calibration covers every item of the form (then the raw percent stands). Items the
    calibration's screening excludes are left out of both forms (decision 0042)."""
    # imported here: the exams app imports this module while it is itself being imported
    from credence.psychometrics import selectors
    from credence.psychometrics.equating import equated_percent

    standard = selectors.adopted_standard(certification)
    if standard is None:
        return None
    # items the screening excludes count for nothing: the form is equated on the rest (0042)
    excluded = selectors.excluded_item_ids(standard.calibration)
    kept = [(i, share) for i, share in zip(items, shares, strict=True) if i not in excluded]
    if not kept:
        return None
    form = selectors.item_parameters(standard.calibration, [i for i, _share in kept])
    reference = selectors.item_parameters(
        standard.calibration, [item for item in standard.items if item not in excluded]
    )
    if form is None or reference is None:
        return None
    raw = float(sum((share for _i, share in kept), Decimal(0)))
    return equated_percent(raw, form, reference)


def excluded_item_ids(calibration: Calibration) -> frozenset[str]:
    """Item version ids of a calibration that its screening flagged and no psychometrician
    has accepted (decision 0042): leave them out of equating, scoring and linking."""
    from credence.psychometrics import selectors

    return selectors.excluded_item_ids(calibration)


def transparency_url(certification: str | None = None) -> str:
    """The path of ``certification``'s public transparency page; without one (the composite
    award, which has no test of its own), the page that lists every certification's."""
    if certification is None:
        return reverse("transparency:index")
    return reverse("transparency:certification", kwargs={"code": certification})

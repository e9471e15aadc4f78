"""What other apps ask of the psychometrics app: the equated score of a sitting's form under
the adopted standard (decision 0019)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from credence.psychometrics.models import Calibration


def equated_score(
    *, certification: str, items: Sequence[str], shares: Sequence[Decimal]
) -> Decimal | None:
    """The raw score on a form (items = item version ids, shares = marks earned 0..1) as a
    percent of the adopted standard's reference form, or None when no adopted standard's
    calibration covers every item of the form (then the raw percent stands)."""
    # imported here: the exams app imports this module while it is itself being imported
    from credence.psychometrics import selectors
    from credence.psychometrics.equating import equated_percent

    standard = selectors.adopted_standard(certification)
    if standard is None:
        return None
    form = selectors.item_parameters(standard.calibration, items)
    reference = selectors.item_parameters(standard.calibration, standard.items)
    if form is None or reference is None:
        return None
    return equated_percent(float(sum(shares, Decimal(0))), form, reference)


def excluded_item_ids(calibration: Calibration) -> frozenset[str]:
    """Item version ids of a calibration that its screening flagged and no psychometrician
    has accepted (decision 0042): leave them out of equating, scoring and linking."""
    from credence.psychometrics import selectors

    return selectors.excluded_item_ids(calibration)

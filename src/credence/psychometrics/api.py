"""What other apps ask of the psychometrics app: the equated score of a sitting's form under
the adopted standard, or why it has none (decisions 0019, 0043), the reliability of the
form a candidate sat (decision 0054), and where
a certification's public transparency page is (decision 0045)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.urls import reverse

from credence.psychometrics.personal_data import erase_user_data as erase_user_data
from credence.psychometrics.personal_data import export_user_data as export_user_data

if TYPE_CHECKING:
    from credence.exams.api import Equating
    from credence.psychometrics.models import Calibration
    from credence.psychometrics.selectors import FormReliability


def equated_score(
    *, certification: str, items: Sequence[str], shares: Sequence[Decimal | None]
) -> Equating:
    """A sitting's form (items = item version ids, shares = marks earned 0..1) equated to the
    adopted standard's reference form: ``score`` is the percent of that form; refused (with
    the reason) when the form cannot be equated, for then its result must not be released on
    the raw percent instead (decision 0043). Without an adopted standard it allows and gives
    no score: every form is scored on its raw percent. The exams app asks it through its
    port (``PsychometricsConfig.ready``, decision 0055)."""
    # imported here, not at the top: the selectors bring numpy and scipy, which every
    # process would otherwise load at start-up, `credence --help` included (issue 14)
    from credence.psychometrics import selectors

    return selectors.equate(certification, items, shares)


def excluded_item_ids(calibration: Calibration) -> frozenset[str]:
    """Item version ids of a calibration that its screening flagged and no psychometrician
    has accepted (decision 0042): leave them out of equating, scoring and linking."""
    from credence.psychometrics import selectors

    return selectors.excluded_item_ids(calibration)


def form_reliability(certification: str, sitting: int) -> FormReliability | None:
    """The reliability of the form the knowledge test ``sitting`` of ``certification`` was
    (decision 0054), or None when it is undefined."""
    # imported here for the reason ``equated_score`` gives
    from credence.psychometrics import selectors

    return selectors.form_reliability(certification, sitting)


def transparency_url(certification: str | None = None) -> str:
    """The path of ``certification``'s public transparency page; without one (the composite
    award, which has no test of its own), the page that lists every certification's."""
    if certification is None:
        return reverse("transparency:index")
    return reverse("transparency:certification", kwargs={"code": certification})

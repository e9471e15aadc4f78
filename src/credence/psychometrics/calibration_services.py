"""A calibration's run (decisions 0042, 0043): the items calibrated on the submitted
sittings outside any transaction (it takes a while), linked to the reference scale, screened,
and the result stored with its audit event. ``services.calibration_start`` queues the
calibration and enqueues the task ``tasks.run_calibration``, which calls this module; it
imports neither, so no module of the app imports one that imports it back (decision 0007)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from credence.audit.api import record
from credence.exams import api as exams_api
from credence.items import api as items_api
from credence.psychometrics import irt, linking, policy, selectors
from credence.psychometrics.models import Calibration, CalibrationStatus, ItemScreening


def response_matrix(
    sittings: Sequence[exams_api.ScoredSitting],
) -> tuple[np.ndarray, list[str], list[str]]:
    """Persons x items (1 full marks, 0 less, nan not on the form or an unmarked essay) over
    the union of the sittings' items, less the items no finite estimate exists for; returns
    (matrix, item ids, dropped item ids)."""
    items = sorted({i for s in sittings for i in s.items}, key=int)
    column = {item: j for j, item in enumerate(items)}
    matrix = np.full((len(sittings), len(items)), np.nan)
    for row, sitting in enumerate(sittings):
        for item, share in zip(sitting.items, sitting.shares, strict=True):
            if share is not None:
                matrix[row, column[item]] = 1.0 if share >= 1 else 0.0
    seen = (~np.isnan(matrix)).sum(axis=0)
    right = np.nansum(matrix, axis=0)
    keep = (seen > 0) & (right > 0) & (right < seen)
    dropped = [item for item, kept in zip(items, keep, strict=True) if not kept]
    return matrix[:, keep], [i for i, kept in zip(items, keep, strict=True) if kept], dropped


def calibration_run(*, calibration_id: int, now: datetime) -> Calibration:
    """Calibrate (outside any transaction: it takes a while), screen the items, then store
    the result: done, or not usable when the model did not converge or is not identified
    (decision 0042)."""
    calibration = Calibration.objects.select_related("certification").get(pk=calibration_id)
    if calibration.status != CalibrationStatus.QUEUED:
        return calibration
    sittings = exams_api.scored_sittings(calibration.certification.code)
    matrix, items, dropped = response_matrix(sittings)
    try:
        if not items:
            raise irt.CalibrationError(_("There are no scored responses to calibrate."))
        fitted = irt.calibrate(matrix, items, model=calibration.model)
    except irt.CalibrationError as exc:
        return _calibration_finish(calibration.pk, None, [], dropped, len(sittings), str(exc), now)
    # linked first: the screening's drift and everything after read the reference's scale
    reference = selectors.linking_reference(calibration)
    fitted, linked, linking_error = link_calibration(fitted, reference)
    screens = screen_calibration(
        fitted, sittings, previous=selectors.previous_adopted_parameters(calibration)
    )
    return _calibration_finish(
        calibration.pk,
        fitted,
        screens,
        dropped,
        len(sittings),
        "",
        now,
        link=(reference, linked, linking_error),
    )


def link_calibration(
    fitted: irt.Calibration, reference: Calibration | None
) -> tuple[irt.Calibration, linking.Linking | None, str]:
    """``fitted`` carried to ``reference``'s scale by Stocking-Lord on the common items the
    reference's screening does not exclude (decision 0043): (linked parameters, the linking,
    ""), or, when they cannot be linked, (``fitted`` unchanged, None, why)."""
    base = selectors.parameters_of(reference) if reference is not None else None
    if reference is None or base is None:
        return fitted, None, ""
    try:
        result = linking.link(base, fitted, exclude=selectors.excluded_item_ids(reference))
    except linking.LinkingError as exc:
        return fitted, None, str(exc)
    return linking.transformed(fitted, result.A, result.B), result, ""


def screen_calibration(
    fitted: irt.Calibration,
    sittings: Sequence[exams_api.ScoredSitting],
    *,
    previous: Mapping[str, tuple[float, float]],
) -> list[tuple[policy.ItemScreen, items_api.ItemStats | None]]:
    """Screen every calibrated item (policy.screen_items) with its classical statistics
    over the same sittings: responses and the corrected point-biserial."""
    statistics = {
        str(stats.item): stats
        for stats in items_api.item_statistics(
            [
                items_api.Observation(candidate=str(s.sitting), item=int(item), share=float(share))
                for s in sittings
                for item, share in zip(s.items, s.shares, strict=True)
                if share is not None
            ]
        )
    }
    evidence = []
    for item in fitted.items:
        stats = statistics.get(item.id)
        evidence.append(
            policy.ItemEvidence(
                id=item.id,
                a=item.a,
                b=item.b,
                se_a=item.se_a,
                se_b=item.se_b,
                infit=item.infit,
                outfit=item.outfit,
                responses=stats.n if stats else 0,
                point_biserial=stats.discrimination if stats else None,
            )
        )
    limits = policy.ScreeningLimits(min_responses=settings.CREDENCE_ITEM_MIN_RESPONSES)
    screens = policy.screen_items(evidence, model=fitted.model, limits=limits, previous=previous)
    return [(screen, statistics.get(screen.item)) for screen in screens]


@transaction.atomic
def _calibration_finish(
    pk: int,
    fitted: irt.Calibration | None,
    screens: Sequence[tuple[policy.ItemScreen, items_api.ItemStats | None]],
    dropped: list[str],
    sittings: int,
    error: str,
    now: datetime,
    *,
    link: tuple[Calibration | None, linking.Linking | None, str] = (None, None, ""),
) -> Calibration:
    calibration = Calibration.objects.select_for_update().get(pk=pk)
    reference, linked, linking_error = link
    calibration.reference = reference
    calibration.linking = linked.to_json() if linked is not None else None
    calibration.linking_error = linking_error
    usable = policy.calibration_usable(policy.FitReport.of(fitted)) if fitted else None
    if fitted is None:
        calibration.status = CalibrationStatus.FAILED
    elif usable is not None and not usable.allowed:
        calibration.status = CalibrationStatus.UNUSABLE
        error = usable.reason
    else:
        calibration.status = CalibrationStatus.DONE
    calibration.parameters = fitted.to_json() if fitted else None
    calibration.dropped = dropped
    calibration.sittings = sittings
    calibration.error = error
    calibration.finished_at = now
    calibration.save()
    ItemScreening.objects.bulk_create(
        ItemScreening(
            calibration=calibration,
            item=screen.item,
            responses=stats.n if stats else 0,
            point_biserial=stats.discrimination if stats else None,
            flags=[{"flag": flag.code, "reason": flag.reason} for flag in screen.flags],
        )
        for screen, stats in screens
    )
    record(
        action=f"psychometrics.calibration_{calibration.status}",
        subject=calibration,
        after={
            "items": len(fitted.items) if fitted else 0,
            "dropped": dropped,
            "sittings": sittings,
            "converged": fitted.converged if fitted else None,
            "flagged": [screen.item for screen, _stats in screens if screen.flags],
            "error": error,
            "reference": reference.pk if reference is not None else None,
            "linking": (
                {"A": linked.A, "B": linked.B, "drifted": [a.id for a in linked.drifted]}
                if linked is not None
                else linking_error
            ),
        },
    )
    return calibration

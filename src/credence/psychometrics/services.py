"""Writes of the psychometrics app: calibrations from real sittings, linked to the reference
scale, Angoff workshops and their adoption as R4's pass mark (decisions 0018, 0019, 0043).
Each service owns its transaction and writes its audit event in it."""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from credence.accounts.access import is_office
from credence.accounts.models import User
from credence.audit.api import record
from credence.catalog import api as catalog_api
from credence.exams import api as exams_api
from credence.items import api as items_api
from credence.psychometrics import irt, linking, policy, selectors
from credence.psychometrics.files import CsvSyntaxError, csv_rows
from credence.psychometrics.models import (
    AngoffRating,
    Calibration,
    CalibrationStatus,
    IrtModel,
    ItemScreening,
    Panellist,
    StandardSetting,
    WorkshopStatus,
)


class StandardSettingError(Exception):
    """Input that cannot be stored; the message says why, in the user's words."""


def _require_office(user: User) -> None:
    if not (user is not None and is_office(user)):  # as the pages decide (accounts.access)
        raise PermissionError("the program office runs calibrations and standard setting")


def _knowledge_test() -> str:
    return catalog_api.program_rules().evaluations_in_order()[0].code


@transaction.atomic
def calibration_start(
    *, certification: str, model: str, acting_user: User, now: datetime
) -> Calibration:
    """Queue a calibration of ``certification``'s items on its submitted sittings; the task
    runs after the commit (``credence worker``)."""
    _require_office(acting_user)
    if model not in IrtModel.values:
        raise StandardSettingError(_("Unknown model: %(model)s.") % {"model": model})
    row = catalog_api.certification_model(certification)
    assert row is not None  # items belong to a certification, never to the award
    calibration = Calibration.objects.create(
        certification=row,
        evaluation=catalog_api.evaluation_model(_knowledge_test()),
        model=model,
        started_at=now,
        started_by=acting_user,
    )
    record(
        action="psychometrics.calibration_started",
        subject=calibration,
        actor=acting_user,
        after={"certification": certification, "model": model},
    )
    # the task module imports this one
    from credence.psychometrics.tasks import run_calibration

    transaction.on_commit(lambda: run_calibration.enqueue(calibration_id=calibration.pk))
    return calibration


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


@transaction.atomic
def calibration_item_accept(
    *, calibration: Calibration, item: str, reason: str, acting_user: User, now: datetime
) -> ItemScreening:
    """A psychometrician accepts an item the screening flagged, with the reason: from now on
    it counts in equating and standard setting on this calibration (decision 0042)."""
    _require_office(acting_user)
    screening = (
        ItemScreening.objects.select_for_update().filter(calibration=calibration, item=item).first()
    )
    if screening is None:
        raise StandardSettingError(_("Item %(item)s is not in this calibration.") % {"item": item})
    decision = policy.may_accept_item(
        flagged=bool(screening.flags),
        accepted=screening.accepted_at is not None,
        reason=reason,
    )
    if not decision.allowed:
        raise StandardSettingError(decision.reason)
    screening.accepted_at = now
    screening.accepted_by = acting_user
    screening.reason = reason.strip()
    screening.save(update_fields=["accepted_at", "accepted_by", "reason"])
    record(
        action="psychometrics.item_accepted",
        subject=calibration,
        actor=acting_user,
        reason=screening.reason,
        before={"item": item, "flags": [flag["flag"] for flag in screening.flags]},
        after={"item": item, "accepted": True},
    )
    return screening


@transaction.atomic
def workshop_create(
    *,
    calibration: Calibration,
    name: str,
    items: Sequence[str],
    panellists: Sequence[str],
    rounds: int,
    acting_user: User,
    now: datetime,
) -> StandardSetting:
    """A modified-Angoff workshop on ``items`` (the reference form), with its panel. Items
    the calibration's screening excludes are left out of the reference form (0042): a
    flagged item must not carry the cut; the audit event lists them."""
    _require_office(acting_user)
    names = [n.strip() for n in panellists if n.strip()]
    if not name.strip():
        raise StandardSettingError(_("Give the workshop a name."))
    usable = selectors.usability(calibration)
    if not usable.allowed:
        raise StandardSettingError(
            _("This calibration cannot underpin a standard: %(reason)s") % {"reason": usable.reason}
        )
    missing = sorted(set(items) - set(calibration.item_ids), key=int)
    if not items or missing:
        raise StandardSettingError(
            _("The reference form needs items the calibration covers; not covered: %(ids)s.")
            % {"ids": ", ".join(missing) or "-"}
        )
    excluded = selectors.excluded_item_ids(calibration)
    left_out = [item for item in items if item in excluded]
    items = [item for item in items if item not in excluded]
    if not items:
        raise StandardSettingError(
            _("Every item of the reference form is flagged by the screening; accept some first.")
        )
    if len(set(names)) != len(names):
        raise StandardSettingError(_("Every panellist needs a different name."))
    if rounds not in (1, 2):
        raise StandardSettingError(_("A workshop has one or two rounds."))
    workshop = StandardSetting.objects.create(
        certification=calibration.certification,
        evaluation=calibration.evaluation,
        calibration=calibration,
        name=name.strip(),
        items=list(items),
        rounds=rounds,
        created_at=now,
        created_by=acting_user,
    )
    Panellist.objects.bulk_create(Panellist(workshop=workshop, name=n) for n in names)
    record(
        action="psychometrics.workshop_created",
        subject=workshop,
        actor=acting_user,
        # a count, not names: audit rows are never changed, so they hold no personal data
        after={
            "items": len(items),
            "left_out": left_out,
            "panellists": len(names),
            "rounds": rounds,
        },
    )
    return workshop


def _probability(value: str, where: str) -> Decimal:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        raise StandardSettingError(
            _("%(where)s: %(value)r is not a number.") % {"where": where, "value": value}
        ) from None
    if not (Decimal(0) <= number <= Decimal(1)) or number.quantize(Decimal("0.001")) != number:
        raise StandardSettingError(
            _("%(where)s: a rating is a probability from 0 to 1 (at most three decimals).")
            % {"where": where}
        )
    return number


@transaction.atomic
def ratings_save(
    *,
    workshop: StandardSetting,
    round: int,
    ratings: Mapping[tuple[str, str], str],
    acting_user: User,
) -> int:
    """Store ratings {(panellist name, item id): "0.65"}; a blank value removes a rating.
    Every value is checked first: one bad value stores nothing. New names join the panel.
    Returns how many ratings the round now has."""
    _require_office(acting_user)
    workshop = StandardSetting.objects.select_for_update().get(pk=workshop.pk)
    if workshop.status != WorkshopStatus.OPEN:
        raise StandardSettingError(_("The workshop is adopted; its ratings no longer change."))
    if round not in range(1, workshop.rounds + 1):
        raise StandardSettingError(_("This workshop has no round %(round)s.") % {"round": round})
    form = set(workshop.items)
    checked: dict[tuple[str, str], Decimal | None] = {}
    for (name, item), value in ratings.items():
        where = f"{name} / {item}"
        if not name.strip():
            raise StandardSettingError(_("A rating without a panellist's name."))
        if item not in form:
            raise StandardSettingError(
                _("%(where)s: item %(item)s is not on the reference form.")
                % {"where": where, "item": item}
            )
        checked[(name.strip(), item)] = _probability(value, where) if value.strip() else None
    panel = {p.name: p for p in workshop.panellists.all()}
    for name in sorted({name for name, _item in checked} - set(panel)):
        panel[name] = Panellist.objects.create(workshop=workshop, name=name)
    for (name, item), probability in checked.items():
        if probability is None:
            AngoffRating.objects.filter(panellist=panel[name], round=round, item=item).delete()
        else:
            AngoffRating.objects.update_or_create(
                panellist=panel[name], round=round, item=item, defaults={"probability": probability}
            )
    count = AngoffRating.objects.filter(panellist__workshop=workshop, round=round).count()
    record(
        action="psychometrics.ratings_saved",
        subject=workshop,
        actor=acting_user,
        after={"round": round, "changed": len(checked), "ratings": count},
    )
    return count


def ratings_from_csv(text: str) -> dict[tuple[str, str], str]:
    """Read a ratings sheet: a header ``panellist,<item id>,<item id>,...`` and one row per
    panellist. Raises StandardSettingError naming the line of the first problem, counted as
    an editor counts (blank lines and lines inside quoted cells included)."""
    try:
        rows = [
            (line, row)
            for line, row in csv_rows(io.StringIO(text.lstrip("\ufeff")))
            if any(cell.strip() for cell in row)
        ]
    except CsvSyntaxError as exc:
        raise StandardSettingError(
            _("Line %(line)d: the sheet is not valid CSV (%(reason)s).")
            % {"line": exc.line, "reason": exc.reason}
        ) from None
    if not rows or len(rows[0][1]) < 2 or rows[0][1][0].strip().lower() != "panellist":
        raise StandardSettingError(
            _("Line %(line)d: the header must be: panellist, then one column per item id.")
            % {"line": rows[0][0] if rows else 1}
        )
    header_line, header = rows[0]
    items = [cell.strip() for cell in header[1:]]
    if len(set(items)) != len(items):
        raise StandardSettingError(
            _("Line %(line)d: an item appears twice in the header.") % {"line": header_line}
        )
    ratings: dict[tuple[str, str], str] = {}
    names: set[str] = set()
    for line, row in rows[1:]:
        if len(row) != len(items) + 1:
            raise StandardSettingError(
                _("Line %(line)d: %(n)d cells, but the header has %(m)d.")
                % {"line": line, "n": len(row), "m": len(items) + 1}
            )
        name = row[0].strip()
        if not name or name in names:
            raise StandardSettingError(
                _("Line %(line)d: each row needs a panellist's name, once.") % {"line": line}
            )
        names.add(name)
        for item, value in zip(items, row[1:], strict=True):
            try:
                if value.strip():
                    _probability(value, "")
            except StandardSettingError:
                raise StandardSettingError(
                    _("Line %(line)d, item %(item)s: %(value)r is not a probability from 0 to 1.")
                    % {"line": line, "item": item, "value": value}
                ) from None
            ratings[(name, item)] = value
    return ratings


@transaction.atomic
def workshop_adopt(
    *, workshop: StandardSetting, acting_user: User, now: datetime
) -> StandardSetting:
    """Adopt the workshop's recommended cut as R4's pass mark of the certification's
    knowledge test, with the panel's data, the θ cut, the date and who adopted it."""
    _require_office(acting_user)
    workshop = (
        StandardSetting.objects.select_for_update()
        .select_related("certification", "evaluation", "calibration")
        .get(pk=workshop.pk)
    )
    summary = selectors.workshop_summary(workshop)
    if not summary.adoptable.allowed:
        raise StandardSettingError(summary.adoptable.reason)
    # may_adopt allows only a complete panel on calibrated items
    recommendation, theta_cut, theta = summary.recommendation, summary.theta_cut, summary.theta
    assert recommendation is not None and theta_cut is not None and theta is not None
    round, panel = summary.round, summary.panel
    before, after = catalog_api.pass_mark_set(
        certification=workshop.certification.code,
        evaluation=workshop.evaluation.code,
        mark=recommendation.percent_cut,
        reason=f"R4: standard setting {workshop.pk} adopted",
        acting_user=acting_user,
    )
    workshop.status = WorkshopStatus.ADOPTED
    workshop.adopted_at = now
    workshop.adopted_by = acting_user
    workshop.previous_mark = before
    workshop.adopted_mark = after
    workshop.theta_cut = theta_cut
    workshop.record = {
        "round": round,
        "items": list(panel.items),
        # panellist ids: the names live on Panellist rows, which erasure pseudonymizes
        "panellists": [int(p) for p in panel.panellists],
        "ratings": [list(row) for row in panel.ratings],
        "cuts": list(recommendation.cuts),
        "raw_cut": recommendation.raw_cut,
        "percent_cut": str(recommendation.percent_cut),
        "standard_error": recommendation.standard_error,
        "sd_of_cuts": recommendation.sd_of_cuts,
        "icc_single": recommendation.agreement.icc_single,
        "icc_average": recommendation.agreement.icc_average,
        "theta_cut": theta_cut,
        # its standard error and one-SE band (decision 0046); JSON has no infinity: None
        "theta_cut_se": theta.standard_error if math.isfinite(theta.standard_error) else None,
        "theta_cut_low": theta.low,
        "theta_cut_high": theta.high,
    }
    workshop.save()
    record(
        action="psychometrics.standard_adopted",
        subject=workshop,
        actor=acting_user,
        reason="R4",
        before={"pass_mark": str(before)},
        after={"pass_mark": str(after), "theta_cut": theta_cut, "round": round},
    )
    return workshop

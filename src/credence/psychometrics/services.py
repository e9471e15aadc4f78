"""Writes of the psychometrics app: calibrations from real sittings, linked to the reference
scale, Angoff workshops and their adoption as R4's pass mark (decisions 0018, 0019, 0043).
Each service owns its transaction and writes its audit event in it. A queued calibration is
run by the task worker (``calibration_services``)."""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from credence.accounts.access import is_office
from credence.accounts.models import User
from credence.audit.api import record
from credence.catalog import api as catalog_api
from credence.psychometrics import policy, selectors
from credence.psychometrics.files import CsvSyntaxError, csv_rows
from credence.psychometrics.models import (
    AngoffRating,
    Calibration,
    IrtModel,
    ItemScreening,
    Panellist,
    StandardSetting,
    WorkshopStatus,
)
from credence.psychometrics.tasks import run_calibration


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
    transaction.on_commit(lambda: run_calibration.enqueue(calibration_id=calibration.pk))
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

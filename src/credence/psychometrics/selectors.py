"""Reads of the psychometrics app: calibrations, workshops, forms and their decision quality."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from credence.catalog import api as catalog_api
from credence.core.decisions import Allowed, Decision, Refused
from credence.exams import api as exams_api
from credence.exams.api import Equating
from credence.items import api as items_api
from credence.psychometrics import accuracy, irt, linking
from credence.psychometrics.cut import ThetaCut, cut_on_theta
from credence.psychometrics.equating import equated_percent, full_marks
from credence.psychometrics.models import (
    AngoffRating,
    Calibration,
    CalibrationStatus,
    ItemScreening,
    StandardSetting,
    WorkshopStatus,
)
from credence.psychometrics.policy import (
    CONVERGENCE_RULE,
    RULE,
    Adoption,
    FitReport,
    FormCoverage,
    Panel,
    Recommendation,
    calibration_usable,
    may_adopt,
    may_equate,
    may_recommend,
    recommend,
)
from credence.psychometrics.scoring import test_characteristic


def calibrations_for(certification: str) -> QuerySet[Calibration]:
    return Calibration.objects.filter(certification__code=certification).select_related(
        "started_by", "evaluation"
    )


def workshops_for(certification: str) -> QuerySet[StandardSetting]:
    return StandardSetting.objects.filter(certification__code=certification).select_related(
        "calibration", "created_by", "adopted_by"
    )


def latest_calibration(certification: str) -> Calibration | None:
    return calibrations_for(certification).filter(status=CalibrationStatus.DONE).first()


def parameters_of(calibration: Calibration) -> irt.Calibration | None:
    """The parameters of a calibration that may be used (finished, converged, identified)."""
    if calibration.status != CalibrationStatus.DONE or not calibration.parameters:
        return None
    return irt.Calibration.from_json(calibration.parameters)


def fitted_of(calibration: Calibration) -> irt.Calibration | None:
    """The parameters of a calibration to be read, usable or not: a calibration that did
    not converge keeps them for the psychometrician to see why (decision 0042)."""
    if not calibration.parameters:
        return None
    return irt.Calibration.from_json(calibration.parameters)


def usability(calibration: Calibration) -> Decision:
    """Whether the calibration may place items on the scale, and if not why (0042)."""
    if calibration.status == CalibrationStatus.DONE:
        return Allowed(CONVERGENCE_RULE)
    fitted = fitted_of(calibration)
    if calibration.status == CalibrationStatus.UNUSABLE and fitted is not None:
        decision = calibration_usable(FitReport.of(fitted))
        if not decision.allowed:
            return decision
    return Refused(
        CONVERGENCE_RULE,
        calibration.error or str(_("The calibration has not finished.")),
        never=calibration.status != CalibrationStatus.QUEUED,
    )


def screenings_of(calibration: Calibration) -> QuerySet[ItemScreening]:
    return ItemScreening.objects.filter(calibration=calibration).select_related("accepted_by")


def previous_adopted_parameters(calibration: Calibration) -> dict[str, tuple[float, float]]:
    """(a, b) per item of the calibration behind the certification's adopted standard, less
    the items its own screening still excludes: what a new calibration's drift is measured
    against. Empty when there is none, or it is this calibration."""
    standard = adopted_standard(calibration.certification.code)
    if standard is None or standard.calibration_id == calibration.pk:
        return {}
    previous = parameters_of(standard.calibration)
    if previous is None:
        return {}
    excluded = excluded_item_ids(standard.calibration)
    return {item.id: (item.a, item.b) for item in previous.items if item.id not in excluded}


def excluded_item_ids(calibration: Calibration) -> frozenset[str]:
    """Item version ids of ``calibration`` that the screening flagged and nobody has
    accepted yet (decision 0042): they count for nothing in equating or standard setting."""
    return frozenset(
        ItemScreening.objects.filter(calibration=calibration, accepted_at__isnull=True)
        .exclude(flags=[])
        .values_list("item", flat=True)
    )


def item_parameters(
    calibration: Calibration, items: Sequence[str]
) -> tuple[np.ndarray, np.ndarray] | None:
    """(a, b) of ``items`` in their order, or None when the calibration misses one."""
    fitted = parameters_of(calibration)
    if fitted is None:
        return None
    by_id = {item.id: item for item in fitted.items}
    if any(item not in by_id for item in items):
        return None
    return (
        np.array([by_id[item].a for item in items]),
        np.array([by_id[item].b for item in items]),
    )


def final_round(workshop: StandardSetting) -> int:
    """The round whose ratings count: the second once it has any, else the first."""
    if (
        workshop.rounds > 1
        and AngoffRating.objects.filter(panellist__workshop=workshop, round=2).exists()
    ):
        return 2
    return 1


def panel_of(workshop: StandardSetting, round: int | None = None) -> Panel:
    round = round or final_round(workshop)
    panellists = list(workshop.panellists.order_by("id"))
    ratings = {
        (str(r.panellist_id), r.item): float(r.probability)
        for r in AngoffRating.objects.filter(panellist__workshop=workshop, round=round)
    }
    return Panel.of([str(p.pk) for p in panellists], list(workshop.items), ratings)


def ratings_grid(workshop: StandardSetting, round: int) -> dict[tuple[int, str], Decimal]:
    return {
        (r.panellist_id, r.item): r.probability
        for r in AngoffRating.objects.filter(panellist__workshop=workshop, round=round)
    }


def adopted_standard(certification: str) -> StandardSetting | None:
    """The standard behind the certification's pass mark: the last adopted workshop."""
    return (
        StandardSetting.objects.filter(
            certification__code=certification, status=WorkshopStatus.ADOPTED
        )
        .select_related("calibration")
        .order_by("-adopted_at", "-id")
        .first()
    )


def linking_reference(calibration: Calibration) -> Calibration | None:
    """The calibration a new one is linked to (decision 0043): the adopted standard's, whose
    scale its θ cut is on; without a standard, the latest earlier finished calibration that
    is on a scale (the first, or one whose link succeeded). None: this one sets the scale."""
    standard = adopted_standard(calibration.certification.code)
    if (
        standard is not None
        and standard.calibration_id != calibration.pk
        and standard.calibration.status == CalibrationStatus.DONE
    ):
        return standard.calibration
    return (
        Calibration.objects.filter(
            certification_id=calibration.certification_id,
            status=CalibrationStatus.DONE,
            linking_error="",
            pk__lt=calibration.pk,
        )
        .order_by("-pk")
        .first()
    )


@dataclass(frozen=True)
class LinkingReport:
    """How a calibration's scale came about, for its page (decision 0043): linked to
    ``reference`` (``result`` set), not linked (``error``), or the first, which sets it."""

    reference: Calibration | None
    result: linking.Linking | None
    error: str
    #: every anchor with its item's name, drifted ones first
    anchors: list[tuple[linking.Anchor, str]]


def linking_report(calibration: Calibration) -> LinkingReport:
    result = linking.Linking.from_json(calibration.linking) if calibration.linking else None
    anchors = list(result.anchors) if result is not None else []
    names = item_names([anchor.id for anchor in anchors])
    return LinkingReport(
        reference=calibration.reference,
        result=result,
        error=calibration.linking_error,
        anchors=[
            (anchor, names.get(anchor.id, anchor.id))
            for anchor in sorted(anchors, key=lambda anchor: anchor.kept)
        ],
    )


def scale_of(calibration: Calibration) -> int:
    """The id of the calibration whose candidates' N(0, 1) defines the scale that
    ``calibration``'s parameters are on: itself unless linked, else its reference's."""
    seen = {calibration.pk}
    while calibration.linked and calibration.reference_id not in seen:
        assert calibration.reference_id is not None  # a linked calibration has its reference
        seen.add(calibration.reference_id)
        calibration = Calibration.objects.get(pk=calibration.reference_id)
    return calibration.pk


def equating_calibration(standard: StandardSetting) -> Calibration | None:
    """The calibration forms are equated with under ``standard`` (decision 0043): the latest
    usable one on the standard's scale, the standard's own or a later one linked to it, so
    that items calibrated since count, and the θ cut keeps its meaning."""
    scale = scale_of(standard.calibration)
    for calibration in Calibration.objects.filter(
        certification_id=standard.certification_id, status=CalibrationStatus.DONE
    ).order_by("-pk"):
        if scale_of(calibration) == scale:
            return calibration
    return None


def equate(certification: str, items: Sequence[str], shares: Sequence[Decimal | None]) -> Equating:
    """Equate a sitting's form (item version ids, marks earned 0..1) to the adopted
    standard's reference form (decisions 0019, 0043). Items the screening excludes count for
    nothing (0042); partial credit counts as wrong, as in the calibration (0043)."""
    standard = adopted_standard(certification)
    if standard is None:
        return Equating(Allowed(RULE), None)
    calibration = equating_calibration(standard)
    if calibration is None:
        return Equating(may_equate(FormCoverage(False, (), 0)), None)
    fitted = parameters_of(calibration)
    covered = {item.id for item in fitted.items} if fitted is not None else set()
    excluded = excluded_item_ids(calibration)
    uncovered = [item for item in items if item not in covered]
    kept = [
        (item, share)
        for item, share in zip(items, shares, strict=True)
        if item in covered and item not in excluded
    ]
    names = item_names(uncovered)
    decision = may_equate(
        FormCoverage(True, tuple(names.get(item, item) for item in uncovered), len(kept))
    )
    if not decision.allowed:
        return Equating(decision, None, calibration.pk)
    form = item_parameters(calibration, [item for item, _share in kept])
    # the reference form as the standard defined it: its own calibration's parameters, on
    # the scale (and with the items) its θ cut and pass mark were set with
    reference_excluded = excluded_item_ids(standard.calibration)
    reference = item_parameters(
        standard.calibration, [item for item in standard.items if item not in reference_excluded]
    )
    assert form is not None and reference is not None  # covered, and adopted on calibrated items
    raw = full_marks([share for _item, share in kept])
    return Equating(decision, equated_percent(raw, form, reference), calibration.pk, raw)


@dataclass(frozen=True)
class FormQuality:
    """One form (a set of items) as sat in a session, and how good its decision is
    (decision 0041). A form scored on the adopted standard's scale has Rudner's figures and
    the simulated ones, both over the session's own candidates; a form scored by its raw
    percent has Livingston-Lewis's."""

    items: tuple[str, ...]
    sittings: int
    kr20: float | None
    marginal_reliability: float | None
    raw_cut: float | None  # raw score on this form that passes: from the θ cut or the mark
    rudner: accuracy.DecisionQuality | None
    below_minimum: bool
    simulated: accuracy.DecisionQuality | None = None
    livingston_lewis: accuracy.DecisionQuality | None = None

    @property
    def decisive(self) -> accuracy.DecisionQuality | None:
        """The figure the warning uses: the lower of Rudner's and the simulated accuracy,
        or Livingston-Lewis's for a raw-scored form."""
        figures = [f for f in (self.rudner, self.simulated) if f is not None]
        if figures:
            return min(figures, key=lambda figure: figure.accuracy)
        return self.livingston_lewis


@dataclass(frozen=True)
class ParallelQuality:
    """Livingston-Lewis over a session's raw-scored sittings taken together (decision
    0041): forms of one length, each drawn at random from the bank, are randomly parallel."""

    sittings: int
    forms: int
    items: int
    quality: accuracy.DecisionQuality
    below_minimum: bool


@dataclass(frozen=True)
class SessionQuality:
    session: int
    label: str
    forms: list[FormQuality]
    # the candidates' abilities on the calibration's scale; None without a calibration
    population: accuracy.Population | None = None
    parallel: ParallelQuality | None = None

    @property
    def warnings(self) -> int:
        return sum(1 for form in self.forms if form.below_minimum)

    @property
    def lowest_accuracy(self) -> float | None:
        """The weakest form's accuracy: the figure a session is judged by."""
        figures = [f.decisive.accuracy for f in self.forms if f.decisive]
        if self.parallel is not None:
            figures.append(self.parallel.quality.accuracy)
        return min(figures, default=None)


def parallel_quality(
    sittings: Sequence[exams_api.ScoredSitting], pass_mark: float, minimum: float
) -> ParallelQuality | None:
    """Livingston-Lewis for raw-scored ``sittings`` of more than one form, all of one length.
    A drawn form is shuffled, so each position holds an item drawn at random: KR-20 over the
    positions estimates the reliability of such forms with the draw of items counted as
    error, which it is for a candidate's decision. None for forms of different lengths, a
    single form (its own figure says it all) or where the model is undefined."""
    lengths = {len(s.items) for s in sittings}
    forms = {tuple(sorted(s.items, key=int)) for s in sittings}
    if len(lengths) != 1 or len(forms) < 2:
        return None
    (length,) = lengths
    table = np.array([[float(share or 0) for share in s.shares] for s in sittings])
    quality = accuracy.livingston_lewis_of(table, pass_mark / 100 * length)
    if quality is None:
        return None
    return ParallelQuality(
        sittings=len(sittings),
        forms=len(forms),
        items=length,
        quality=quality,
        below_minimum=quality.accuracy < minimum,
    )


def session_population(
    sittings: Sequence[exams_api.ScoredSitting], parameters: Mapping[str, tuple[float, float]]
) -> accuracy.Population | None:
    """The ability distribution of the candidates of ``sittings`` from their right (full
    marks) and wrong answers to the items of ``parameters`` (item -> (a, b)), as calibration
    counts them; None when nobody answered one of those items."""
    columns = sorted({item for s in sittings for item in s.items if item in parameters}, key=int)
    column = {item: j for j, item in enumerate(columns)}
    matrix = np.full((len(sittings), len(columns)), np.nan)
    for row, sitting in enumerate(sittings):
        for item, share in zip(sitting.items, sitting.shares, strict=True):
            if share is not None and item in column:
                matrix[row, column[item]] = 1.0 if share >= 1 else 0.0
    a = np.array([parameters[item][0] for item in columns])
    b = np.array([parameters[item][1] for item in columns])
    try:
        return accuracy.session_population(matrix, a, b)
    except ValueError:
        return None


def decision_quality(certification: str) -> tuple[StandardSetting | None, list[SessionQuality]]:
    """Per session, the forms its candidates sat (identical item sets grouped) with their
    reliability and how accurate and consistent their pass/fail decision is for the
    session's own candidates (decision 0041)."""
    standard = adopted_standard(certification)
    # a calibration on the standard's scale, where its θ cut means something: the one forms
    # are equated with (its own, or a later one linked to it; decision 0043)
    calibration = equating_calibration(standard) if standard else latest_calibration(certification)
    fitted = parameters_of(calibration) if calibration else None
    excluded = excluded_item_ids(calibration) if calibration and fitted else frozenset()
    # items the screening still excludes say nothing about the candidates' abilities
    calibrated = (
        {item.id: (item.a, item.b) for item in fitted.items if item.id not in excluded}
        if fitted
        else {}
    )
    theta_cut = standard.theta_cut if standard else None
    rules = catalog_api.program_rules()
    pass_mark = float(rules.pass_mark(certification, rules.evaluations_in_order()[0].code))
    minimum = settings.CREDENCE_DECISION_ACCURACY_MIN
    sessions: dict[int, dict[tuple[str, ...], list[exams_api.ScoredSitting]]] = {}
    labels: dict[int, str] = {}
    for sitting in exams_api.scored_sittings(certification):
        labels[sitting.session] = sitting.session_label
        forms = sessions.setdefault(sitting.session, {})
        forms.setdefault(tuple(sorted(sitting.items, key=int)), []).append(sitting)
    result = []
    for session, forms in sorted(sessions.items()):
        population = (
            session_population([s for m in forms.values() for s in m], calibrated)
            if calibrated
            else None
        )
        simulees = accuracy.simulees_per_form(len(forms))
        rows = []
        raw_scored: list[exams_api.ScoredSitting] = []
        for items, members in forms.items():
            table = np.array(
                [
                    [float(dict(zip(m.items, m.shares, strict=True))[i] or 0) for i in items]
                    for m in members
                ]
            )
            parameters = item_parameters(calibration, items) if calibration else None
            rudner = simulated = livingston_lewis = reliability = None
            if parameters is not None:
                reliability = accuracy.marginal_reliability(*parameters)
            if parameters is not None and theta_cut is not None and population is not None:
                # scored on the standard's scale (equated): pass at raw ≥ TCC(θ cut)
                a, b = parameters
                rudner = accuracy.rudner(a, b, theta_cut, population)
                simulated = accuracy.simulated(
                    a, b, theta_cut, population, persons=simulees, keys=[int(i) for i in items]
                )
                raw_cut = float(test_characteristic(np.array([theta_cut]), a, b)[0])
            else:
                # scored by the raw percent against the pass mark (R4)
                raw_cut = pass_mark / 100 * len(items)
                livingston_lewis = accuracy.livingston_lewis_of(table, raw_cut)
                raw_scored.extend(members)
            row = FormQuality(
                items=items,
                sittings=len(members),
                kr20=accuracy.kr20(table),
                marginal_reliability=reliability,
                raw_cut=raw_cut,
                rudner=rudner,
                below_minimum=False,
                simulated=simulated,
                livingston_lewis=livingston_lewis,
            )
            decisive = row.decisive
            rows.append(
                replace(row, below_minimum=decisive is not None and decisive.accuracy < minimum)
            )
        result.append(
            SessionQuality(
                session=session,
                label=labels[session],
                forms=rows,
                population=population,
                parallel=parallel_quality(raw_scored, pass_mark, minimum),
            )
        )
    return standard, result


def responses_for(calibration: Calibration) -> np.ndarray:
    """The 0/1/nan responses of the certification's sittings in the calibration's item order
    (sittings submitted since the calibration count too)."""
    sittings = exams_api.scored_sittings(calibration.certification.code)
    items = calibration.item_ids
    column = {item: j for j, item in enumerate(items)}
    matrix = np.full((len(sittings), len(items)), np.nan)
    for row, sitting in enumerate(sittings):
        for item, share in zip(sitting.items, sitting.shares, strict=True):
            if share is not None and item in column:
                matrix[row, column[item]] = 1.0 if share >= 1 else 0.0
    return matrix


@dataclass(frozen=True)
class SeenForm:
    key: str  # stable choice value: the item ids joined by "-"
    items: tuple[str, ...]
    sittings: int


def forms_seen(calibration: Calibration) -> list[SeenForm]:
    """The distinct forms candidates sat whose every item the calibration covers, most
    often sat first: the candidates for a workshop's reference form."""
    covered = set(calibration.item_ids)
    counts: dict[tuple[str, ...], int] = {}
    for sitting in exams_api.scored_sittings(calibration.certification.code):
        if set(sitting.items) <= covered:
            # the same items in another order are the same form
            items = tuple(sorted(sitting.items, key=int))
            counts[items] = counts.get(items, 0) + 1
    return [
        SeenForm("-".join(items), items, n)
        for items, n in sorted(counts.items(), key=lambda pair: -pair[1])
    ]


def item_names(item_ids: Sequence[str]) -> dict[str, str]:
    """Readable names of item versions: "<item name> v<number>"."""
    versions = items_api.ItemVersion.objects.filter(
        pk__in=[int(i) for i in item_ids]
    ).select_related("item")
    return {str(v.pk): f"{v.item.name} v{v.number}" for v in versions}


@dataclass(frozen=True)
class WorkshopSummary:
    round: int
    panel: Panel
    decision: Decision  # may the panel give a recommendation
    recommendation: Recommendation | None
    theta_cut: float | None
    adoptable: Decision
    #: the θ cut with its standard error (decision 0046); None exactly when ``theta_cut`` is
    theta: ThetaCut | None = None


def workshop_summary(workshop: StandardSetting) -> WorkshopSummary:
    """The panel of the counting round and what it recommends, on the raw, percent and θ
    scales, and whether staff may adopt it."""
    round = final_round(workshop)
    panel = panel_of(workshop, round)
    decision = may_recommend(panel)
    recommendation = recommend(panel) if decision.allowed else None
    parameters = item_parameters(workshop.calibration, workshop.items)
    theta = (
        cut_on_theta(recommendation.raw_cut, recommendation.standard_error, *parameters)
        if recommendation is not None and parameters is not None
        else None
    )
    theta_cut = theta.theta if theta is not None else None
    usable = usability(workshop.calibration)
    adoptable = may_adopt(
        Adoption(
            calibrated=parameters is not None,
            already_adopted=workshop.status == WorkshopStatus.ADOPTED,
            unusable=usable if isinstance(usable, Refused) else None,
            part_released=tuple(exams_api.sessions_part_released(workshop.certification.code)),
        ),
        panel,
    )
    return WorkshopSummary(round, panel, decision, recommendation, theta_cut, adoptable, theta)


def standard_cut(standard: StandardSetting) -> ThetaCut | None:
    """An adopted standard's θ cut with its standard error (decision 0046): as recorded at
    adoption, or, for a standard adopted before the error was recorded, from its panel
    record and its calibration. None when it has no θ cut."""
    record = standard.record or {}
    if standard.theta_cut is None:
        return None
    if "theta_cut_low" in record:
        error = record.get("theta_cut_se")  # None stands for infinite (JSON has no inf)
        return ThetaCut(
            theta=standard.theta_cut,
            standard_error=math.inf if error is None else float(error),
            low=float(record["theta_cut_low"]),
            high=float(record["theta_cut_high"]),
        )
    parameters = item_parameters(standard.calibration, record.get("items", []))
    if parameters is None or "raw_cut" not in record:
        return None
    return cut_on_theta(float(record["raw_cut"]), float(record["standard_error"]), *parameters)


def plot_cut(calibration: Calibration) -> ThetaCut | None:
    """The θ cut to draw on a calibration's plots: the adopted standard's, when this
    calibration is on its θ scale, its own or linked to it (a θ cut means nothing on another
    scale; decisions 0043, 0046)."""
    standard = adopted_standard(calibration.certification.code)
    if standard is None or scale_of(calibration) != scale_of(standard.calibration):
        return None
    return standard_cut(standard)


@dataclass(frozen=True)
class PlotForm:
    key: str  # the choice's value: "bank", or the item ids joined by "-"
    items: tuple[str, ...] | None  # None: the whole bank
    sittings: int  # candidates who sat it (0 for the bank)
    reference: bool  # the adopted standard's reference form


def plot_forms(calibration: Calibration) -> list[PlotForm]:
    """The forms whose plots a calibration's page offers: the adopted standard's reference
    form (when the calibration covers it) first, then the forms candidates sat, most often
    sat first, then the whole bank."""
    standard = adopted_standard(calibration.certification.code)
    covered = set(calibration.item_ids)
    reference = (
        tuple(sorted(standard.items, key=int))
        if standard is not None and set(standard.items) <= covered
        else None
    )
    forms = [
        PlotForm(form.key, form.items, form.sittings, form.items == reference)
        for form in forms_seen(calibration)
    ]
    if reference is not None and not any(form.reference for form in forms):
        forms.append(PlotForm("-".join(reference), reference, 0, True))
    forms.sort(key=lambda form: not form.reference)  # stable: the rest stay most sat first
    return [*forms, PlotForm("bank", None, 0, False)]


@dataclass(frozen=True)
class FormReliability:
    """How reliable the form a candidate sat is (decision 0054): KR-20 (Cronbach's alpha for
    marks in shares) over the sittings of that very form in the same session, or, when every
    candidate drew their own form of one length, over the positions of all the session's
    forms together (randomly parallel forms, as ``parallel_quality`` counts them)."""

    value: float
    method: str  # "KR-20 of this form" or "KR-20 of the session's randomly parallel forms"
    sittings: int


def form_reliability(certification: str, sitting: int) -> FormReliability | None:
    """The reliability of the form of ``sitting`` (a knowledge test of ``certification``);
    None when the sitting was not submitted or the figure is undefined (fewer than two
    candidates, or every total the same)."""
    sittings = exams_api.scored_sittings(certification)
    own = next((s for s in sittings if s.sitting == sitting), None)
    if own is None:
        return None
    form = sorted(own.items, key=int)
    same = [s for s in sittings if s.session == own.session and sorted(s.items, key=int) == form]
    table = np.array(
        [[float(dict(zip(s.items, s.shares, strict=True))[i] or 0) for i in form] for s in same]
    )
    value = accuracy.kr20(table)
    if value is not None:
        return FormReliability(value, "KR-20 of this form", len(same))
    parallel = [s for s in sittings if s.session == own.session and len(s.items) == len(own.items)]
    if len(parallel) > len(same):
        table = np.array([[float(share or 0) for share in s.shares] for s in parallel])
        value = accuracy.kr20(table)
        if value is not None:
            return FormReliability(
                value, "KR-20 of the session's randomly parallel forms", len(parallel)
            )
    return None

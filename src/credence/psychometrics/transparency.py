"""Reads (selectors) and figures of the public transparency page of a certification (decision
0045): the forms its candidates sat, how reliable they are and how accurate and consistent
their pass/fail decision is, the Angoff record behind the pass mark, and the pass rate of
every session with enough released results.

What is published is computed here and nowhere else, so that a test can hold the page to what
decision 0045 allows: counts and shares of groups of at least
``CREDENCE_TRANSPARENCY_MIN_GROUP`` candidates, the panel's aggregates, and no name, item or
identifier of a person.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from credence.catalog import api as catalog_api
from credence.exams import api as exams_api
from credence.psychometrics import plots, selectors
from credence.psychometrics.models import StandardSetting

#: How long the computed figures are kept: long enough that visitors following the link from
#: every certificate do not recompute them, short enough for a change of method to show soon
#: (new results, standards and calibrations change the key and show at once).
CACHE_SECONDS = 10 * 60
FIGURES = ("pass-rates", "decision-quality")


@dataclass(frozen=True)
class FormFigures:
    """The forms one session's candidates sat, together: the candidate-weighted mean of each
    form's figure (the share of the session's decisions that is right, for accuracy) and the
    weakest form's accuracy."""

    forms: int
    shortest: int  # items on the shortest and the longest form
    longest: int
    reliability: float | None
    accuracy: float | None
    consistency: float | None
    lowest_accuracy: float | None


@dataclass(frozen=True)
class SessionFigures:
    held_on: date
    venue: str
    published: bool  # at least the minimum number of released results
    candidates: int | None  # released results; None when not published
    passed: int | None
    forms: FormFigures | None

    @property
    def pass_rate(self) -> float | None:
        if not self.candidates or self.passed is None:
            return None
        return self.passed / self.candidates

    @property
    def pass_percent(self) -> float | None:
        rate = self.pass_rate
        return None if rate is None else 100.0 * rate


@dataclass(frozen=True)
class AngoffRecord:
    """The adopted standard as the public may read it: the panel's aggregates only."""

    adopted_on: date
    panellists: int
    items: int  # on the reference form
    round: int  # the round whose ratings counted
    mean_rating: float  # over every panellist's rating of every item
    raw_cut: float
    standard_error: float  # of the raw cut, SD of the panellists' cuts / √n
    percent_cut: Decimal
    theta_cut: float
    agreement: float | None  # ICC(2,k): how far the panel's mean rating is the panel's
    previous_mark: Decimal | None


@dataclass(frozen=True)
class Transparency:
    certification: str  # code, for links
    name: str
    pass_mark: Decimal
    minimum: int  # CREDENCE_TRANSPARENCY_MIN_GROUP
    accuracy_minimum: float  # CREDENCE_DECISION_ACCURACY_MIN
    standard: AngoffRecord | None
    calibrated: bool  # a finished calibration gives the reliability
    sessions: tuple[SessionFigures, ...]

    @property
    def published(self) -> tuple[SessionFigures, ...]:
        return tuple(s for s in self.sessions if s.published)

    @property
    def has_quality(self) -> bool:
        """Whether any published session has a reliability or an accuracy to draw."""
        return any(
            s.forms is not None
            and (s.forms.reliability is not None or s.forms.accuracy is not None)
            for s in self.published
        )

    @property
    def candidates(self) -> int:
        """Released results over the published sessions only: a total over every session
        would give a suppressed session's count away by subtraction."""
        return sum(s.candidates or 0 for s in self.published)

    @property
    def pass_rate(self) -> float | None:
        if not self.candidates:
            return None
        return sum(s.passed or 0 for s in self.published) / self.candidates

    @property
    def pass_percent(self) -> float | None:
        rate = self.pass_rate
        return None if rate is None else 100.0 * rate


def _day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def angoff_record(standard: StandardSetting, zone: ZoneInfo) -> AngoffRecord:
    """The public part of an adopted workshop's record (``services.workshop_adopt`` wrote it):
    what the panel decided, never who sat on it or how each rated."""
    record = standard.record or {}
    ratings = [value for row in record.get("ratings", []) for value in row if value is not None]
    assert standard.adopted_at is not None and standard.theta_cut is not None
    return AngoffRecord(
        adopted_on=_day(standard.adopted_at, zone),
        panellists=len(record.get("panellists", [])),
        items=len(record.get("items", [])),
        round=int(record.get("round", 1)),
        mean_rating=float(np.mean(ratings)) if ratings else float("nan"),
        raw_cut=float(record["raw_cut"]),
        standard_error=float(record["standard_error"]),
        percent_cut=Decimal(record["percent_cut"]),
        theta_cut=standard.theta_cut,
        agreement=record.get("icc_average"),
        previous_mark=standard.previous_mark,
    )


def _weighted_mean(pairs: list[tuple[float, int]]) -> float | None:
    """The mean of the values, each weighted by its number of candidates; None for none."""
    if not pairs:
        return None
    return float(np.average([value for value, _n in pairs], weights=[n for _v, n in pairs]))


def _form_figures(session: selectors.SessionQuality) -> FormFigures:
    """A session's forms together, from the staff page's own figures (decision 0041): its
    reliability, and the decisive figure of each form (the lower of Rudner's and the
    simulated accuracy for the session's own candidates, or Livingston-Lewis's for a form
    scored by its raw percent), each form weighted by the candidates who sat it."""
    forms = session.forms
    decisive = [(f.decisive, f.sittings) for f in forms if f.decisive is not None]
    lengths = [len(f.items) for f in forms]
    return FormFigures(
        forms=len(forms),
        shortest=min(lengths, default=0),
        longest=max(lengths, default=0),
        reliability=_weighted_mean(
            [
                (f.marginal_reliability, f.sittings)
                for f in forms
                if f.marginal_reliability is not None
            ]
        ),
        accuracy=_weighted_mean([(q.accuracy, n) for q, n in decisive]),
        consistency=_weighted_mean([(q.consistency, n) for q, n in decisive]),
        lowest_accuracy=session.lowest_accuracy,
    )


def _cache_key(certification: str, *parts: object) -> str:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"psychometrics:transparency:{certification}:{digest}"


def transparency_for(certification: str) -> Transparency:
    """What the public page of ``certification`` shows; ``KeyError`` for a code the program
    does not have (``catalog.api.ProgramNotLoaded`` before a program is loaded)."""
    rules = catalog_api.program_rules()
    spec = rules.certification(certification)
    knowledge_test = rules.evaluations_in_order()[0].code
    zone = ZoneInfo(rules.time_zone)
    minimum = settings.CREDENCE_TRANSPARENCY_MIN_GROUP
    standard = selectors.adopted_standard(certification)
    results = exams_api.released_results(certification)
    published = {r.session for r in results if r.released >= minimum}
    # The form figures read every scored response: kept, keyed by everything they depend on,
    # so a new release, standard, calibration, accepted item or pass mark shows at once.
    # on the standard's scale: the calibration forms are equated with (decision 0043)
    calibration = (
        selectors.equating_calibration(standard)
        if standard
        else selectors.latest_calibration(certification)
    )
    pass_mark = rules.pass_mark(certification, knowledge_test)
    key = _cache_key(
        certification,
        tuple(results),
        minimum,
        pass_mark,
        standard and (standard.pk, standard.adopted_at, standard.theta_cut),
        calibration and (calibration.pk, calibration.finished_at),
        calibration and sorted(selectors.excluded_item_ids(calibration)),
    )
    forms = cache.get(key)
    if forms is None:
        _standard, sessions = selectors.decision_quality(certification)
        forms = {q.session: _form_figures(q) for q in sessions if q.session in published}
        cache.set(key, forms, CACHE_SECONDS)
    return Transparency(
        certification=spec.code,
        name=spec.name,
        pass_mark=pass_mark,
        minimum=minimum,
        accuracy_minimum=settings.CREDENCE_DECISION_ACCURACY_MIN,
        standard=angoff_record(standard, zone) if standard else None,
        calibrated=calibration is not None,
        sessions=tuple(
            SessionFigures(
                held_on=_day(r.starts_at, zone),
                venue=r.venue,
                published=True,
                candidates=r.released,
                passed=r.passed,
                forms=forms.get(r.session),
            )
            if r.session in published
            else SessionFigures(
                held_on=_day(r.starts_at, zone),
                venue=r.venue,
                published=False,
                candidates=None,
                passed=None,
                forms=None,
            )
            for r in results
        ),
    )


# --- figures (SVG, drawn as the staff pages' plots are) ------------------------------------


def _session_axis(axes: Any, sessions: list[SessionFigures]) -> None:
    """Sessions along x, by day; a few sessions keep their bars narrow instead of filling the
    figure."""
    x = np.arange(len(sessions))
    axes.set_xticks(x)
    axes.set_xticklabels([s.held_on.isoformat() for s in sessions], rotation=30, ha="right")
    axes.set_xlim(-0.75, max(len(sessions), 4) - 0.25)


def pass_rates_figure(page: Transparency) -> bytes:
    """The pass rate of each published session, with its number of candidates."""
    figure, axes = plots._figure()
    sessions = list(page.published)
    rates = [s.pass_percent or 0.0 for s in sessions]
    bars = axes.bar(np.arange(len(sessions)), rates, width=0.6)
    axes.bar_label(
        bars,
        labels=[f"{s.pass_percent or 0:.0f} % (n = {s.candidates})" for s in sessions],
        fontsize=8,
    )
    axes.set(ylim=(0, 110), ylabel=_("passed (percent)"), title=_("Pass rate per session"))
    _session_axis(axes, sessions)
    return plots._svg(figure)


def decision_quality_figure(page: Transparency) -> bytes:
    """Reliability, decision accuracy and consistency of each published session's forms, with
    the accuracy the program requires."""
    figure, axes = plots._figure()
    sessions = [s for s in page.published if s.forms is not None]
    lowest = page.accuracy_minimum
    for attribute, label, marker in (
        ("reliability", _("reliability"), "o"),
        ("accuracy", _("decision accuracy"), "s"),
        ("consistency", _("decision consistency"), "^"),
    ):
        values = [getattr(s.forms, attribute) for s in sessions]
        lowest = min([lowest, *(v for v in values if v is not None)])
        values = [np.nan if v is None else v for v in values]
        axes.plot(np.arange(len(sessions)), values, marker=marker, label=label)
    axes.axhline(
        page.accuracy_minimum, color="tab:red", linestyle="--", label=_("accuracy required")
    )
    axes.set(
        ylim=(min(0.5, lowest - 0.05), 1.0), ylabel=_("share"), title=_("How well the tests decide")
    )
    _session_axis(axes, sessions)
    axes.legend(loc="lower right", fontsize=8)
    return plots._svg(figure)


def figure(name: str, page: Transparency) -> bytes:
    """One of ``FIGURES`` as SVG; ``KeyError`` for another name."""
    return {"pass-rates": pass_rates_figure, "decision-quality": decision_quality_figure}[name](
        page
    )

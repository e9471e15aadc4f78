"""Staff pages of psychometrics: calibrations, plots and report, Angoff workshops, decision
quality. Thin: reads come from selectors, writes go through services."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credence.accounts.access import AuthenticatedHttpRequest, staff_only
from credence.catalog import api as catalog_api
from credence.catalog.policy import CertificationSpec
from credence.psychometrics import plots, report, selectors, services
from credence.psychometrics.cut import ThetaCut
from credence.psychometrics.forms import (
    WHOLE_BANK,
    CalibrationStartForm,
    RatingsUploadForm,
    WorkshopForm,
)
from credence.psychometrics.models import Calibration, StandardSetting
from credence.psychometrics.scoring import score_table


def _certification(code: str) -> CertificationSpec:
    try:
        return catalog_api.program_rules().certification(code)
    except KeyError:
        raise Http404 from None


@staff_only
def index(request: HttpRequest) -> HttpResponse:
    rules = catalog_api.program_rules()
    rows = [
        (
            c,
            selectors.calibrations_for(c.code).first(),
            selectors.adopted_standard(c.code),
            rules.pass_mark(c.code, rules.evaluations_in_order()[0].code),
        )
        for c in rules.certifications
    ]
    return render(request, "psychometrics/index.html", {"rows": rows})


@staff_only
def certification(request: HttpRequest, code: str) -> HttpResponse:
    spec = _certification(code)
    rules = catalog_api.program_rules()
    return render(
        request,
        "psychometrics/certification.html",
        {
            "certification": spec,
            "calibrations": selectors.calibrations_for(code),
            "workshops": selectors.workshops_for(code),
            "start_form": CalibrationStartForm(),
            "pass_mark": rules.pass_mark(code, rules.evaluations_in_order()[0].code),
        },
    )


@staff_only
@require_POST
def calibration_start(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    _certification(code)
    form = CalibrationStartForm(request.POST)
    if form.is_valid():
        services.calibration_start(
            certification=code,
            model=form.cleaned_data["model"],
            acting_user=request.user,
            now=timezone.now(),
        )
        messages.success(request, _("The calibration is queued; this page shows it when done."))
    else:
        messages.error(request, _("Choose a model."))
    return redirect("psychometrics:certification", code=code)


@staff_only
def calibration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    calibration = get_object_or_404(
        Calibration.objects.select_related("certification", "started_by"), pk=pk
    )
    # a calibration that is not usable still shows its parameters: they say why (0042)
    fitted = selectors.fitted_of(calibration)
    rows = table = screenings = []
    if fitted is not None:
        names = selectors.item_names(fitted.item_ids)
        rows = [(item, names.get(item.id, item.id), report.misfits(item)) for item in fitted.items]
        screenings = [
            (screening, names.get(screening.item, screening.item))
            for screening in selectors.screenings_of(calibration)
            if screening.flags
        ]
        seen = selectors.forms_seen(calibration)
        if seen:
            parameters = selectors.item_parameters(calibration, seen[0].items)
            table = score_table(*parameters) if parameters else []
    return render(
        request,
        "psychometrics/calibration.html",
        {
            "calibration": calibration,
            "fitted": fitted,
            "usable": selectors.usability(calibration),
            "rows": rows,
            "screenings": screenings,
            "score_table": table,
            "scale": selectors.linking_report(calibration),
            "plot_view": _plot_view(request, calibration) if fitted is not None else None,
        },
    )


@staff_only
@require_POST
def calibration_item_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A psychometrician accepts a flagged item, with the reason (decision 0042)."""
    calibration = get_object_or_404(Calibration, pk=pk)
    item = request.POST.get("item", "")
    try:
        services.calibration_item_accept(
            calibration=calibration,
            item=item,
            reason=request.POST.get("reason", ""),
            acting_user=request.user,
            now=timezone.now(),
        )
    except services.StandardSettingError as exc:
        messages.error(request, _("Not accepted: %(reason)s") % {"reason": exc})
    else:
        name = selectors.item_names([item]).get(item, item)
        messages.success(
            request, _("Accepted: %(item)s now counts on this calibration.") % {"item": name}
        )
    return redirect("psychometrics:calibration", pk=pk)


def _plot_page(request: HttpRequest, default: str) -> int | None:
    """``?page=``: a page of the item characteristic curves, or ``all`` (None) for every
    curve on one figure; 404 for anything else (plots refuse a page the form lacks)."""
    value = request.GET.get("page", default)
    if value == "all":
        return None
    try:
        return int(value)
    except ValueError:
        raise Http404 from None


@dataclass(frozen=True)
class PlotView:
    """What the calibration page's plots show: which form, which page, which cut."""

    forms: list[selectors.PlotForm]
    form: selectors.PlotForm
    items: int  # on the form
    pages: int
    page: int | None  # None: every curve on one figure
    cut: ThetaCut | None

    def query(self, page: int | None = None) -> str:
        """The query string of the form's plots (and of a page of its curves)."""
        parameters = {"form": self.form.key}
        if page is not None:
            parameters["page"] = str(page)
        return urlencode(parameters)

    @property
    def page_queries(self) -> list[tuple[int, str]]:
        return [(number, self.query(number)) for number in range(1, self.pages + 1)]

    @property
    def curves_query(self) -> str:
        return self.query(self.page) if self.page is not None else self.query() + "&page=all"


def _plot_view(request: HttpRequest, calibration: Calibration) -> PlotView:
    forms = selectors.plot_forms(calibration)
    form = next((f for f in forms if f.key == request.GET.get("form")), forms[0])
    items = len(form.items) if form.items is not None else len(calibration.item_ids)
    pages = plots.page_count(items)
    # the page opens on the first page of curves: a legend can name those
    page = _plot_page(request, "1" if pages > 1 else "all")
    if page is not None and not 1 <= page <= pages:
        raise Http404
    return PlotView(forms, form, items, pages, page, selectors.plot_cut(calibration))


@staff_only
def calibration_plot(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    calibration = get_object_or_404(Calibration, pk=pk)
    fitted = selectors.fitted_of(calibration)
    if fitted is None or name not in plots.PLOTS:
        raise Http404
    responses = selectors.responses_for(calibration) if name == "wright" else None
    # ?form=: item ids joined by "-" (any set the calibration covers); the bank without
    key = request.GET.get("form", "bank")
    items = None if key == "bank" else key.split("-")
    cut = selectors.plot_cut(calibration)
    labels = selectors.item_names(items or fitted.item_ids) if name == "icc" else None
    try:
        svg = plots.plot(
            name,
            fitted,
            responses,
            items=items,
            page=_plot_page(request, "all"),
            theta_cut=cut.theta if cut is not None else None,
            cut_band=(cut.low, cut.high) if cut is not None and cut.finite else None,
            labels=labels,
        )
    except (KeyError, ValueError):  # an item the calibration lacks, a page the form lacks
        raise Http404 from None
    return HttpResponse(svg, content_type="image/svg+xml")


@staff_only
def calibration_report(request: HttpRequest, pk: int) -> HttpResponse:
    calibration = get_object_or_404(Calibration.objects.select_related("certification"), pk=pk)
    if selectors.parameters_of(calibration) is None:
        raise Http404
    response = HttpResponse(report.calibration_report(calibration), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="calibration-{calibration.certification.code}-{pk}.zip"'
    )
    return response


@staff_only
def workshop_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    calibration = get_object_or_404(Calibration.objects.select_related("certification"), pk=pk)
    if selectors.parameters_of(calibration) is None:
        raise Http404
    seen = selectors.forms_seen(calibration)
    form = WorkshopForm(request.POST or None, seen=seen, bank_size=len(calibration.item_ids))
    if request.method == "POST" and form.is_valid():
        reference = form.cleaned_data["reference"]
        items = (
            list(calibration.item_ids) if reference == WHOLE_BANK else form.seen[reference].items
        )
        try:
            workshop = services.workshop_create(
                calibration=calibration,
                name=form.cleaned_data["name"],
                items=list(items),
                panellists=form.panellist_names(),
                rounds=form.cleaned_data["rounds"],
                acting_user=request.user,
                now=timezone.now(),
            )
        except services.StandardSettingError as exc:
            form.add_error(None, str(exc))
        else:
            left_out = [item for item in items if item not in workshop.items]
            if left_out:
                names = selectors.item_names(left_out)
                messages.warning(
                    request,
                    _("Left out of the reference form, flagged by the screening: %(items)s.")
                    % {"items": ", ".join(names.get(item, item) for item in left_out)},
                )
            return redirect("psychometrics:workshop", pk=workshop.pk)
    return render(
        request, "psychometrics/workshop_new.html", {"calibration": calibration, "form": form}
    )


def _workshop(pk: int) -> StandardSetting:
    return get_object_or_404(
        StandardSetting.objects.select_related("certification", "calibration", "adopted_by"),
        pk=pk,
    )


@staff_only
def workshop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop(pk)
    summary = selectors.workshop_summary(workshop)
    names = selectors.item_names(workshop.items)
    panellists = list(workshop.panellists.order_by("id"))
    rounds = []
    for number in range(1, workshop.rounds + 1):
        grid = selectors.ratings_grid(workshop, number)
        rounds.append(
            (
                number,
                [
                    (
                        item,
                        names.get(item, item),
                        [(p, grid.get((p.pk, item))) for p in panellists],
                    )
                    for item in workshop.items
                ],
            )
        )
    cuts = (
        list(zip(panellists, summary.recommendation.cuts, strict=True))
        if summary.recommendation
        else []
    )
    return render(
        request,
        "psychometrics/workshop.html",
        {
            "workshop": workshop,
            "summary": summary,
            "panellists": panellists,
            "rounds": rounds,
            "cuts": cuts,
            "upload_form": RatingsUploadForm(initial={"round": summary.round}),
        },
    )


@staff_only
@require_POST
def workshop_ratings(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The grid of one round: fields ``r-<panellist id>-<item id>``."""
    workshop = _workshop(pk)
    try:
        round = int(request.POST.get("round", "1"))
    except ValueError:
        round = 0
    names = {str(p.pk): p.name for p in workshop.panellists.all()}
    ratings: dict[tuple[str, str], str] = {}
    for key in request.POST:
        parts = key.split("-")
        if len(parts) == 3 and parts[0] == "r" and parts[1] in names:
            ratings[(names[parts[1]], parts[2])] = request.POST[key]
    try:
        count = services.ratings_save(
            workshop=workshop, round=round, ratings=ratings, acting_user=request.user
        )
    except services.StandardSettingError as exc:
        messages.error(request, _("Nothing was saved: %(reason)s") % {"reason": exc})
    else:
        messages.success(
            request,
            _("Saved; round %(round)d has %(n)d ratings.")
            % {
                "round": round,
                "n": count,
            },
        )
    return redirect("psychometrics:workshop", pk=pk)


@staff_only
@require_POST
def workshop_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop(pk)
    form = RatingsUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a round and a CSV file."))
        return redirect("psychometrics:workshop", pk=pk)
    try:
        text = form.cleaned_data["sheet"].read().decode("utf-8")
        count = services.ratings_save(
            workshop=workshop,
            round=form.cleaned_data["round"],
            ratings=services.ratings_from_csv(text),
            acting_user=request.user,
        )
    except UnicodeDecodeError:
        messages.error(request, _("Nothing was saved: the file is not UTF-8 text."))
    except services.StandardSettingError as exc:
        messages.error(request, _("Nothing was saved: %(reason)s") % {"reason": exc})
    else:
        messages.success(request, _("Uploaded; the round has %(n)d ratings.") % {"n": count})
    return redirect("psychometrics:workshop", pk=pk)


@staff_only
@require_POST
def workshop_adopt(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop(pk)
    try:
        workshop = services.workshop_adopt(
            workshop=workshop, acting_user=request.user, now=timezone.now()
        )
    except services.StandardSettingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Adopted: the pass mark is now %(after)s (was %(before)s).")
            % {"after": workshop.adopted_mark, "before": workshop.previous_mark},
        )
    return redirect("psychometrics:workshop", pk=pk)


@staff_only
def quality(request: HttpRequest, code: str) -> HttpResponse:
    spec = _certification(code)
    standard, sessions = selectors.decision_quality(code)
    return render(
        request,
        "psychometrics/quality.html",
        {
            "certification": spec,
            "standard": standard,
            "theta": selectors.standard_cut(standard) if standard else None,
            "sessions": sessions,
            "minimum": settings.CREDENCE_DECISION_ACCURACY_MIN,
        },
    )

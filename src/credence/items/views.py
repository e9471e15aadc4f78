"""The item bank's pages, for authors and the program office: search, preview, import with a
dry run, edit, retire and reinstate, export. Thin: reads come from selectors, every write goes
through a service (with its audit event)."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_stubs_ext import StrOrPromise

from credence.accounts.access import AuthenticatedHttpRequest, role_required
from credence.accounts.models import Role
from credence.catalog.models import Certification
from credence.items import selectors, services
from credence.items.content import ItemContent, ItemFileError, ItemType
from credence.items.formats import WRITERS, parse
from credence.items.forms import BankSearchForm, ExportForm, ItemFileForm, ItemTextForm
from credence.items.gift import write_gift
from credence.items.models import Item
from credence.items.shown import ShownItem, item_as_shown

bank_role = role_required(Role.AUTHOR)  # and the program office, which holds every role

#: The file checked by the last dry run, kept in the session until it is imported: the
#: confirm step imports exactly the bytes that were checked, without a second upload.
PENDING = "items_import"

PER_PAGE = 100
SUFFIXES = {"gift": "gift", "moodle-xml": "xml"}
CONTENT_TYPES = {"gift": "text/plain; charset=utf-8", "moodle-xml": "application/xml"}


def _preview(content: ItemContent) -> ShownItem:
    """The item as a candidate's test page shows it; options in the item's own order (a
    candidate's form shuffles them, true/false excepted)."""
    options = len(content.pairs) if content.type == ItemType.MATCHING else len(content.choices)
    return item_as_shown(content, option_order=range(options))


@bank_role
def bank(request: HttpRequest) -> HttpResponse:
    certification = Certification.objects.filter(code=request.GET.get("certification")).first()
    topics = [(t.code, t.name) for t in selectors.bank_topics(certification)]
    search = request.GET.copy()
    search.pop("page", None)
    form = BankSearchForm(search or None, topics=topics)
    rows: list[selectors.BankRow] = []
    if not form.is_bound:
        rows = selectors.bank_rows()
    elif form.is_valid():  # else the form says what is wrong, and nothing is listed
        rows = selectors.bank_rows(
            certification=form.cleaned_data["certification"],
            topic=form.cleaned_data["topic"],
            text=form.cleaned_data["q"],
        )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "items/bank.html",
        {"form": form, "rows": rows, "page": page, "query": search.urlencode()},
    )


def _item(pk: int) -> Item:
    return get_object_or_404(Item.objects.select_related("certification"), pk=pk)


@bank_role
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(pk)
    versions = list(selectors.item_versions(item))
    current = versions[0]
    content = current.item_content
    return render(
        request,
        "items/item.html",
        {
            "item": item,
            "current": current,
            "content": content,
            "shown": _preview(content),
            "versions": versions,
            "uses": sum(v.use_count for v in versions),
        },
    )


@bank_role
@require_http_methods(["GET", "POST"])
def item_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _item(pk)
    current = item.current
    if request.method == "GET":
        form = ItemTextForm(initial={"text": write_gift([current.item_content])}, item=item)
        return _edit_page(request, item, form, current.item_content)
    form = ItemTextForm(request.POST, item=item)
    if not form.is_valid() or form.parsed is None:
        return _edit_page(request, item, form, None, status=400)
    content = form.parsed.content
    try:
        # the bank's own checks (topics of the certification), with the text's line numbers,
        # for a preview as for a save
        selectors.items_check(certification=item.certification, items=[form.parsed])
        if request.POST.get("action") != "save":
            return _edit_page(request, item, form, content)
        result = services.item_save(
            certification=item.certification, content=content, acting_user=request.user
        )
    except ItemFileError as exc:
        form.problems = list(exc.problems)
        form.add_error("text", _("Nothing was saved."))
        return _edit_page(request, item, form, content, status=400)
    messages.success(
        request,
        _("Saved “%(name)s”: %(status)s (version %(number)d).")
        % {"name": item.name, "status": result.status.label, "number": result.version.number},
    )
    return redirect("items:item", pk=item.pk)


def _edit_page(
    request: HttpRequest,
    item: Item,
    form: ItemTextForm,
    content: ItemContent | None,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "items/edit.html",
        {
            "item": item,
            "form": form,
            "shown": _preview(content) if content is not None else None,
            "frozen": item.current.first_used_at is not None,
        },
        status=status,
    )


@bank_role
@require_POST
def item_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _item(pk)
    try:
        services.item_retire(item=item, acting_user=request.user, now=timezone.now())
    except services.BankRefused as exc:
        messages.error(request, exc.decision.reason)
    else:
        messages.success(
            request,
            _("Retired “%(name)s”: no new test form draws it.") % {"name": item.name},
        )
    return redirect("items:item", pk=item.pk)


@bank_role
@require_POST
def item_reinstate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _item(pk)
    try:
        services.item_reinstate(item=item, acting_user=request.user)
    except services.BankRefused as exc:
        messages.error(request, exc.decision.reason)
    else:
        messages.success(
            request,
            _("Reinstated “%(name)s”: new test forms may draw it again.") % {"name": item.name},
        )
    return redirect("items:item", pk=item.pk)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@bank_role
@require_http_methods(["GET", "POST"])
def import_check(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: the dry run, every problem with its line, or what the
    import would do; the checked file waits in the session for the confirm step."""
    if request.method == "GET":
        return render(request, "items/import.html", {"form": ItemFileForm()})
    form = ItemFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "items/import.html", {"form": form}, status=400)
    certification = form.cleaned_data["certification"]
    file_format = form.cleaned_data["file_format"]
    data = form.cleaned_data["file"]
    context: dict[str, Any] = {
        "form": form,
        "filename": form.filename,
        "certification": certification,
    }
    try:
        plans = selectors.items_plan(certification=certification, items=parse(data, file_format))
    except ItemFileError as exc:
        request.session.pop(PENDING, None)
        context["problems"] = exc.problems
        return render(request, "items/import.html", context, status=400)
    digest = _digest(data)
    request.session[PENDING] = {
        "digest": digest,
        "certification": certification.code,
        "format": file_format,
        "filename": form.filename,
        "data": base64.b64encode(data).decode("ascii"),
    }
    context |= {"plans": plans, "digest": digest}
    return render(request, "items/import.html", context)


@bank_role
@require_POST
def import_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Import the file the dry run checked, all or nothing."""
    pending = request.session.get(PENDING)
    if not pending or pending.get("digest") != request.POST.get("digest"):
        messages.error(
            request, _("Nothing was imported: that check is out of date. Check the file again.")
        )
        return redirect("items:import")
    certification = get_object_or_404(Certification, code=pending["certification"])
    data = base64.b64decode(pending["data"])
    try:
        results = services.items_import(
            certification=certification,
            items=parse(data, pending["format"]),
            acting_user=request.user,
        )
    except ItemFileError as exc:
        # the bank changed since the check (a name taken meanwhile, a topic removed)
        request.session.pop(PENDING, None)
        form = ItemFileForm(
            initial={"certification": certification, "file_format": pending["format"]}
        )
        context = {
            "form": form,
            "filename": pending["filename"],
            "certification": certification,
            "problems": exc.problems,
        }
        return render(request, "items/import.html", context, status=400)
    request.session.pop(PENDING, None)
    counts: dict[StrOrPromise, int] = {}
    for result in results:
        counts[result.status.label] = counts.get(result.status.label, 0) + 1
    messages.success(
        request,
        _("Imported %(file)s into %(certification)s: %(summary)s.")
        % {
            "file": pending["filename"] or _("the file"),
            "certification": certification.name,
            "summary": ", ".join(f"{n} {label}" for label, n in counts.items()),
        },
    )
    return redirect(f"{reverse('items:bank')}?{urlencode({'certification': certification.code})}")


@bank_role
def export(request: HttpRequest) -> HttpResponse:
    """GET without a choice: the form. With one: the certification's current, non-retired
    items as a GIFT or Moodle XML download, which imports back to an unchanged bank."""
    form = ExportForm(request.GET or None)
    if not form.is_valid():
        return render(request, "items/export.html", {"form": form})
    certification = form.cleaned_data["certification"]
    file_format = form.cleaned_data["file_format"]
    text = WRITERS[file_format](selectors.bank_contents(certification))
    response = HttpResponse(text.encode("utf-8"), content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = (
        f'attachment; filename="items-{certification.code}.{SUFFIXES[file_format]}"'
    )
    return response

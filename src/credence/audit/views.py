"""The audit trail for the program office: search, and export of what the search finds."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from credence.audit import selectors
from credence.audit.forms import AuditSearchForm
from credence.audit.models import AuditEvent
from credence.audit.selectors import AuditFilter

PAGE_SIZE = 50


def _office_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Anonymous visitors go to the login page, signed-in users without the permission get
    403. Accounts grants it to the program office (``accounts/permissions.py``): the audit
    trail sits below accounts and names the permission, not the roles (decision 0056)."""
    return login_required(permission_required("audit.search_events", raise_exception=True)(view))


@_office_only
def search(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    criteria = form.criteria() if request.GET and valid else AuditFilter()
    events = selectors.events_matching(criteria) if valid else AuditEvent.objects.none()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(event, selectors.changes(event.before, event.after)) for event in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/search.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "valid": valid,
            "actions": selectors.actions(),
            "subject_types": selectors.subject_types(),
        },
        status=200 if valid else 400,
    )


@_office_only
def export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    form = AuditSearchForm(request.GET)
    if not form.is_valid():
        return render(request, "audit/search.html", {"form": form, "valid": False}, status=400)
    events = selectors.events_matching(form.criteria())
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    if fmt == "csv":
        response = StreamingHttpResponse(
            selectors.export_csv(events), content_type="text/csv; charset=utf-8"
        )
    else:
        response = StreamingHttpResponse(
            selectors.export_jsonl(events), content_type="application/jsonl; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.{fmt}"'
    return response

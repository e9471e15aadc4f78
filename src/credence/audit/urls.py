from __future__ import annotations

from django.urls import path

from credence.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.search, name="search"),
    path("export.csv", views.export, {"fmt": "csv"}, name="export-csv"),
    path("export.jsonl", views.export, {"fmt": "jsonl"}, name="export-jsonl"),
]

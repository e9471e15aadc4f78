"""The public transparency pages (decision 0045), at /transparency/: no login."""

from __future__ import annotations

from django.urls import path

from credence.psychometrics import public_views

app_name = "transparency"

urlpatterns = [
    path("", public_views.index, name="index"),
    path("<slug:code>/", public_views.certification, name="certification"),
    path("<slug:code>/<slug:name>.svg", public_views.figure, name="figure"),
]

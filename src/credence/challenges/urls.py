from __future__ import annotations

from django.urls import path

from credence.challenges import views

app_name = "challenges"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("test/<int:sitting_pk>/", views.new, name="new"),
    path("review/", views.queue, name="queue"),
    path("review/<int:version_pk>/", views.decide, name="decide"),
]

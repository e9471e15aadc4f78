from __future__ import annotations

from django.urls import path

from credence.portfolios import views

app_name = "portfolios"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("examine/", views.examine, name="examine"),
    path("office/", views.office, name="office"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/interview.ics", views.slot_ics, name="ics"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/schedule/", views.schedule, name="schedule"),
    path("<int:pk>/score/", views.score, name="score"),
    path("<int:pk>/reconcile/", views.reconcile, name="reconcile"),
    path("<int:pk>/release/", views.release, name="release"),
    path("<int:pk>/reanalyse/", views.reanalyse, name="reanalyse"),
]

from __future__ import annotations

from django.urls import path

from credence.exams.delivery import candidate_views, proctor_views
from credence.exams.reports import views as report_views
from credence.exams.scoring import views as scoring_views
from credence.exams.sessions import views

app_name = "exams"

urlpatterns = [
    path("", views.sessions, name="sessions"),
    path("<int:pk>/book/", views.book, name="book"),
    path("bookings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("bookings/<int:pk>/calendar.ics", views.calendar, name="calendar"),
    path("manage/", views.manage, name="manage"),
    path("manage/<int:pk>/publish/", views.publish, name="publish"),
    path("manage/<int:pk>/proctors/", views.assign_proctors, name="proctors"),
    path("console/", proctor_views.console_list, name="console-list"),
    path("<int:pk>/console/", proctor_views.console, name="console"),
    path(
        "<int:pk>/console/<str:action>/",
        proctor_views.session_action,
        name="session-action",
    ),
    path("console/bookings/<int:pk>/check-in/", proctor_views.check_in, name="check-in"),
    path(
        "console/sittings/<int:pk>/<str:action>/",
        proctor_views.sitting_action,
        name="sitting-action",
    ),
    path("test/<int:pk>/", candidate_views.take, name="test"),
    path("test/<int:pk>/answer/", candidate_views.answer, name="test-answer"),
    path("test/<int:pk>/review/", candidate_views.review, name="test-review"),
    path("test/<int:pk>/submit/", candidate_views.submit, name="test-submit"),
    path("test/<int:pk>/done/", candidate_views.done, name="test-done"),
    path("test/<int:pk>/report/", scoring_views.report, name="report"),
    path("test/<int:pk>/diagnostic/", report_views.diagnostic, name="diagnostic"),
    path(
        "test/<int:pk>/diagnostic.pdf",
        report_views.diagnostic_download,
        name="diagnostic-pdf",
    ),
    path("<int:pk>/marking/", scoring_views.marking, name="marking"),
    path("responses/<int:pk>/mark/", scoring_views.mark, name="mark"),
    path("<int:pk>/release/", scoring_views.release, name="release"),
    path("<int:pk>/statistics/", scoring_views.item_statistics, name="statistics"),
]

from __future__ import annotations

from django.urls import path

from credence.psychometrics import views

app_name = "psychometrics"

urlpatterns = [
    path("", views.index, name="index"),
    path("certifications/<slug:code>/", views.certification, name="certification"),
    path(
        "certifications/<slug:code>/calibrate/",
        views.calibration_start,
        name="calibration-start",
    ),
    path("certifications/<slug:code>/quality/", views.quality, name="quality"),
    path("calibrations/<int:pk>/", views.calibration_detail, name="calibration"),
    path(
        "calibrations/<int:pk>/plots/<slug:name>.svg",
        views.calibration_plot,
        name="calibration-plot",
    ),
    path(
        "calibrations/<int:pk>/accept/",
        views.calibration_item_accept,
        name="calibration-item-accept",
    ),
    path("calibrations/<int:pk>/report.zip", views.calibration_report, name="calibration-report"),
    path("calibrations/<int:pk>/workshops/new/", views.workshop_new, name="workshop-new"),
    path("workshops/<int:pk>/", views.workshop_detail, name="workshop"),
    path("workshops/<int:pk>/ratings/", views.workshop_ratings, name="workshop-ratings"),
    path("workshops/<int:pk>/upload/", views.workshop_upload, name="workshop-upload"),
    path("workshops/<int:pk>/adopt/", views.workshop_adopt, name="workshop-adopt"),
]

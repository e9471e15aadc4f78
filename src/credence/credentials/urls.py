from __future__ import annotations

from django.urls import path, re_path

from credence.credentials import views

app_name = "credentials"

urlpatterns = [
    path(".well-known/did.json", views.did_document, name="did-document"),
    path("credentials/status/<str:purpose>", views.status_list, name="status-list"),
    path("credentials/achievements/<slug:award>", views.achievement, name="achievement"),
    path("certificates/", views.my_certificates, name="mine"),
    path("verify/", views.verify_many, name="verify-many"),
    path("certificates/evidence-choice/", views.evidence_choice, name="evidence-choice"),
    path("certificates/<str:serial>/", views.verify, name="verify"),
    path("certificates/<str:serial>/verification.json", views.verify_json, name="verify-json"),
    path("certificates/<str:serial>/credential.json", views.credential_download, name="credential"),
    path("certificates/<str:serial>/certificate.pdf", views.pdf_download, name="pdf"),
    re_path(
        r"^certificates/(?P<serial>[^/]+)/certificate\.(?P<kind>png|svg)$",
        views.image_download,
        name="image",
    ),
    re_path(
        r"^certificates/(?P<serial>[^/]+)/badge\.(?P<kind>png|svg)$",
        views.badge_download,
        name="badge",
    ),
    path("certificates/<str:serial>/status/", views.manage_status, name="manage-status"),
    path("certificates/<str:serial>/evidence/", views.evidence, name="evidence"),
    path(
        "certificates/<str:serial>/evidence/<slug:evaluation>/report.json",
        views.evidence_report,
        name="evidence-report",
    ),
    path(
        "certificates/<str:serial>/evidence-choice/",
        views.evidence_choice,
        name="evidence-choice-certificate",
    ),
]

from __future__ import annotations

from django.urls import path

from credence.recognition import views

app_name = "recognition"

urlpatterns = [
    path("guide/", views.guide_index, name="guide"),
    path("guide/advisor/", views.advisor, name="advisor"),
    path("guide/about/<slug:slug>/", views.guidance_page, name="guidance"),
    path("guide/<slug:slug>/", views.guide_entry, name="entry"),
    path("claims/", views.claims, name="claims"),
    path("claims/new/", views.claim_new, name="claim-new"),
    path("claims/<int:claim_id>/", views.claim_detail, name="claim"),
    path("claims/evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("claims/queue/", views.claim_queue, name="queue"),
    path("claims/queue/<int:claim_id>/", views.claim_decide, name="decide"),
]

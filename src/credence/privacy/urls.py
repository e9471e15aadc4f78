from __future__ import annotations

from django.urls import path

from credence.privacy import views

app_name = "privacy"

urlpatterns = [
    path("account/data/", views.your_data, name="your-data"),
    path("account/data/export/", views.export_download, name="export"),
    path("account/data/withdraw/", views.erasure_withdraw_view, name="withdraw"),
    path("privacy/office/", views.queue, name="queue"),
    path("privacy/office/<int:user_id>/erase/", views.erase, name="erase"),
    path("privacy/office/export/", views.staff_export, name="staff-export"),
]

from __future__ import annotations

from django.urls import path

from credence.accommodations import views

app_name = "accommodations"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("office/", views.office, name="office"),
]

from __future__ import annotations

from django.urls import path

from credence.appeals import views

app_name = "appeals"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/<int:attempt_pk>/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("office/", views.office, name="office"),
    path("<int:pk>/assign/", views.assign, name="assign"),
]

from __future__ import annotations

from django.urls import path

from credence.learning.preparation_views import planner, resources
from credence.learning.views import my_path

app_name = "learning"

urlpatterns = [
    path("", my_path, name="my-path"),
    path("plan/", planner, name="planner"),
    path("resources/", resources, name="resources"),
]

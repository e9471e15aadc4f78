from __future__ import annotations

from django.urls import path

from credence.learning.feeds import SuggestedProjectsFeed
from credence.learning.preparation_views import project_detail, projects

app_name = "projects"

urlpatterns = [
    path("", projects, name="index"),
    path("feed/", SuggestedProjectsFeed(), name="feed"),
    path("<int:project_id>/", project_detail, name="detail"),
]

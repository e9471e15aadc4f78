from django.contrib import admin
from django.urls import include, path

from credence.catalog import views as catalog_views

urlpatterns = [
    path("", catalog_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("path/", include("credence.learning.urls")),
    path("sessions/", include("credence.exams.urls")),
    path("billing/", include("credence.billing.urls")),
    path("psychometrics/", include("credence.psychometrics.urls")),
    path("transparency/", include("credence.psychometrics.public_urls")),
    path("items/", include("credence.items.urls")),
    path("portfolio/", include("credence.portfolios.urls")),
    path("appeals/", include("credence.appeals.urls")),
    path("accommodations/", include("credence.accommodations.urls")),
    path("challenges/", include("credence.challenges.urls")),
    path("", include("credence.recognition.urls")),
    path("projects/", include("credence.learning.project_urls")),
    path("", include("credence.credentials.urls")),
    path("", include("credence.privacy.urls")),
    path("audit/", include("credence.audit.urls")),
    path("api/v1/", include("credence.api_v1")),
    path("admin/", admin.site.urls),
]

"""/api/v1/: the operations of the one NinjaAPI and its OpenAPI document."""

from __future__ import annotations

from credence.webapi.root import api

# ninja names its URL namespace "api-v1" (``urls_namespace``); included from here, the
# namespace is this module's app_name.
urlpatterns, _ninja_app_name, app_name = api.urls

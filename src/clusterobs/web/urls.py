"""URLs: web pages, the REST API under /api/, OpenAPI docs at /api/docs, admin."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from clusterobs.regions.api import RegionViewSet
from clusterobs.registry.api import ClusterViewSet, OrganisationViewSet, SchemeViewSet

router = DefaultRouter()
router.register("clusters", ClusterViewSet, basename="api-cluster")
router.register("organisations", OrganisationViewSet, basename="api-organisation")
router.register("schemes", SchemeViewSet, basename="api-scheme")
router.register("regions", RegionViewSet, basename="api-region")

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include(router.urls)),
    path("admin/", admin.site.urls),
    path("", include("clusterobs.web.pages")),
]

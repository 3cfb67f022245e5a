"""URLs: each app's pages under its prefix, the REST API under /api/, OpenAPI docs, admin."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter, SimpleRouter

from clusterobs.collaboration import api as collaboration_api
from clusterobs.excellence.api import ROUTES as EXCELLENCE_ROUTES
from clusterobs.observatory.across_api import ROUTES as ACROSS_ROUTES
from clusterobs.observatory.api import ROUTES as OBSERVATORY_ROUTES
from clusterobs.observatory.complexity_api import ROUTES as COMPLEXITY_ROUTES
from clusterobs.observatory.spatial_api import ROUTES as SPATIAL_ROUTES
from clusterobs.programmes.api import (
    ApplicationViewSet,
    FundingCalculatorViewSet,
    IndicatorViewSet,
    InitiativeViewSet,
)
from clusterobs.programmes.evaluation_api import EvaluationRunViewSet
from clusterobs.references.api import SourceDocumentViewSet
from clusterobs.regions.api import RegionViewSet
from clusterobs.registry.api import (
    ClusterViewSet,
    OrganisationViewSet,
    SchemeViewSet,
    StatsView,
)
from clusterobs.registry.api import InitiativeViewSet as RegistryInitiativeViewSet
from clusterobs.web.home import home

router = DefaultRouter()
router.register("clusters", ClusterViewSet, basename="api-cluster")
router.register("organisations", OrganisationViewSet, basename="api-organisation")
router.register("schemes", SchemeViewSet, basename="api-scheme")
router.register("initiatives", RegistryInitiativeViewSet, basename="api-initiative")
router.register("regions", RegionViewSet, basename="api-region")
router.register("sources", SourceDocumentViewSet, basename="api-source")
router.register("programme-initiatives", InitiativeViewSet, basename="api-programme-initiative")
router.register("programme-applications", ApplicationViewSet, basename="api-programme-application")
router.register("programme-evaluations", EvaluationRunViewSet, basename="api-programme-evaluation")
router.register("indicators", IndicatorViewSet, basename="api-indicator")
router.register("funding-calculator", FundingCalculatorViewSet, basename="api-funding-calculator")
for _prefix, _viewset in {
    "profiles": collaboration_api.ProfileViewSet,
    "partner-requests": collaboration_api.PartnerRequestViewSet,
    "contacts": collaboration_api.ContactViewSet,
    "agreements": collaboration_api.AgreementViewSet,
    "events": collaboration_api.EventViewSet,
    "me": collaboration_api.PersonalDataViewSet,
}.items():
    router.register(f"collaboration/{_prefix}", _viewset, basename=f"api-collab-{_prefix}")
for _prefix, (_viewset, _basename) in EXCELLENCE_ROUTES.items():
    router.register(f"excellence/{_prefix}", _viewset, basename=_basename)

# The observatory API has its own router under its own prefix: Django tries URL patterns in order,
# and the region dashboard is the busiest endpoint (50 concurrent clients in the benchmark), so it
# should not be matched against every registry, programme and collaboration route first.
observatory_router = SimpleRouter()
for _prefix, (_viewset, _basename) in {
    **OBSERVATORY_ROUTES,
    **SPATIAL_ROUTES,
    **COMPLEXITY_ROUTES,
    **ACROSS_ROUTES,
}.items():
    observatory_router.register(_prefix.removeprefix("observatory/"), _viewset, basename=_basename)

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start script as a file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/stats/", StatsView.as_view(), name="api-stats"),
    path("api/observatory/", include(observatory_router.urls)),
    path("api/library/", include("clusterobs.knowledge.api_urls")),
    path("api/", include(router.urls)),
    # Not at the well-known /admin/ when CLUSTEROBS_ADMIN_PATH says otherwise.
    path(settings.ADMIN_PATH, admin.site.urls),
    # Translations for the observatory's charts (gettext in JavaScript), per language; the
    # catalog only changes with a release, so browsers and the server may cache it.
    path(
        "jsi18n/",
        cache_page(3600)(JavaScriptCatalog.as_view()),
        name="javascript-catalog",
    ),
    # The language switcher posts here (Django's set_language: a cookie, then back to the page).
    path("i18n/", include("django.conf.urls.i18n")),
    path("programmes/", include("clusterobs.programmes.urls")),
    path("collaboration/", include("clusterobs.collaboration.urls")),
    path("excellence/", include("clusterobs.excellence.urls")),
    path("observatory/", include("clusterobs.observatory.urls")),
    path("sources/", include("clusterobs.references.urls")),
    path("library/", include("clusterobs.knowledge.urls")),
    path("accounts/", include("clusterobs.accounts.urls")),
    path("initiatives/", include("clusterobs.programmes.registry_initiative_urls")),
    path("", home, name="home"),
    # Browsers ask for /favicon.ico where a response is not HTML (JSON, CSV, PDF).
    path(
        "favicon.ico",
        RedirectView.as_view(url=staticfiles_storage.url("web/favicon.svg"), permanent=True),
    ),
    path("", include("clusterobs.registry.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
]

# JSON 404 under /api/ (clusterobs.web.guards.not_found).
handler404 = "clusterobs.web.guards.not_found"

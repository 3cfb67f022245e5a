"""API routes of the library, mounted at /api/library/ by ``clusterobs.web.urls``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from clusterobs.knowledge import api

router = SimpleRouter()
router.register("documents", api.DocumentViewSet, basename="api-library-document")
router.register("case-studies", api.CaseStudyViewSet, basename="api-library-case-study")

urlpatterns = [
    path("search/", api.SearchView.as_view(), name="api-library-search"),
    path("what-works/", api.WhatWorksView.as_view(), name="api-library-what-works"),
    *router.urls,
]

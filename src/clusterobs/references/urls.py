"""The sources page, mounted at /sources/ by ``clusterobs.web.urls``."""

from django.urls import path

from clusterobs.references import views

urlpatterns = [path("", views.sources, name="sources")]

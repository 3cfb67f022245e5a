"""The registry's pages (views in ``registry.views``), mounted at the site root by the shell."""

from django.urls import path

from clusterobs.registry import views

app_name = "registry"

urlpatterns = [
    path("clusters/", views.cluster_list, name="cluster-list"),
    path("clusters/new/", views.cluster_create, name="cluster-create"),
    path("clusters/export.csv", views.cluster_export, {"fmt": "csv"}, name="cluster-export-csv"),
    path(
        "clusters/export.geojson",
        views.cluster_export,
        {"fmt": "geojson"},
        name="cluster-export-geojson",
    ),
    path("clusters/<slug:slug>/", views.cluster_detail, name="cluster-detail"),
    path("clusters/<slug:slug>/edit/", views.cluster_edit, name="cluster-edit"),
    path(
        "clusters/<slug:slug>/key-figures/add/",
        views.cluster_add_key_figure,
        name="cluster-add-key-figure",
    ),
    path("clusters/<slug:slug>/stakeholders/", views.cluster_links, name="cluster-links"),
    path("organisations/", views.organisation_list, name="organisation-list"),
    path(
        "organisations/export.<str:fmt>",
        views.organisation_export,
        name="organisation-export",
    ),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation-detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation-edit"),
    path("schemes/", views.scheme_list, name="scheme-list"),
    path("schemes/export.csv", views.scheme_export, name="scheme-export"),
    path("schemes/<slug:slug>/", views.scheme_detail, name="scheme-detail"),
    path("schemes/<slug:slug>/edit/", views.scheme_edit, name="scheme-edit"),
    path("map/", views.map_page, name="map"),
    path("map/points.json", views.map_points, name="map-points"),
]

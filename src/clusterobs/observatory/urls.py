"""Observatory page URLs (their JSON twins are under ``/api/observatory/``)."""

from django.urls import path

from clusterobs.observatory import across_views, complexity_views, spatial_views, views

app_name = "observatory"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("map/", views.map_page, name="map"),
    path("compare/", views.compare, name="compare"),
    path("across/", across_views.common, name="across"),
    path("across/<str:name>/", across_views.cluster, name="across-cluster"),
    path("custom-regions/", views.custom_regions, name="custom-regions"),
    path("custom-regions/<int:pk>/", views.custom_region, name="custom-region"),
    path("custom-clusters/", views.custom_clusters, name="custom-clusters"),
    path("custom-clusters/<int:pk>/", views.custom_cluster, name="custom-cluster"),
    path("complexity/", complexity_views.index, name="complexity"),
    path(
        "complexity/regions/<str:region_type>/<str:code>/",
        complexity_views.region,
        name="complexity-region",
    ),
    path(
        "complexity/regions/<str:region_type>/<str:code>/smart-specialisation/",
        complexity_views.smart_specialisation,
        name="complexity-smart",
    ),
    path(
        "complexity/industries/<str:code>/",
        complexity_views.industry,
        name="complexity-industry",
    ),
    path("complexity/clusters/<str:code>/", complexity_views.cluster, name="complexity-cluster"),
    path("clusters/<str:code>/", views.cluster, name="cluster"),
    path("clusters/<str:code>/hotspots/", spatial_views.hotspots, name="spatial-hotspots"),
    path(
        "clusters/<str:code>/cross-border/",
        spatial_views.cross_border,
        name="spatial-cross-border",
    ),
    path(
        "spatial/custom-region/",
        spatial_views.use_as_custom_region,
        name="spatial-custom-region",
    ),
    path("spatial/concentration/", spatial_views.concentration, name="spatial-concentration"),
    path("spatial/kd/", spatial_views.kd_list, name="spatial-kd-list"),
    path("spatial/kd/<str:name>/", spatial_views.kd_detail, name="spatial-kd"),
    path("clusters/<str:code>/profile.pdf", views.cluster_pdf, name="cluster-pdf"),
    path("regions/<str:region_type>/<str:code>/", views.region, name="region"),
    path("regions/<str:region_type>/<str:code>/profile.pdf", views.region_pdf, name="region-pdf"),
    path(
        "regions/<str:region_type>/<str:code>/cluster/",
        views.region_cluster_pick,
        name="region-cluster-pick",
    ),
    path(
        "regions/<str:region_type>/<str:code>/<str:cluster>/",
        views.region_cluster,
        name="region-cluster",
    ),
]

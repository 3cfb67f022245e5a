"""Pages of the excellence app (mounted at ``/excellence/``, namespace ``excellence``)."""

from __future__ import annotations

from django.urls import path

from clusterobs.excellence import views

app_name = "excellence"

urlpatterns = [
    path("", views.index, name="index"),
    path("assessments/start/", views.start, name="start"),
    path("assessments/<int:pk>/", views.assessment_page, name="assessment"),
    path("assessments/<int:pk>/report/", views.report_page, name="report"),
    path("assessments/<int:pk>/report.pdf", views.report_pdf, name="report-pdf"),
    path("assessments/<int:pk>/apply/", views.apply, name="apply"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("applications/<int:pk>/", views.application_page, name="application"),
    path("applications/<int:pk>/act/", views.application_action, name="application-action"),
    path("labels/", views.label_registry, name="labels"),
    path("labels/points.geojson", views.label_points, name="label-points"),
    path("labels/import/", views.label_import, name="label-import"),
    path("labels/<str:number>/", views.label_page, name="label"),
]

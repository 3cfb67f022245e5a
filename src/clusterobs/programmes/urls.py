"""Programme pages, mounted at /programmes/ by ``clusterobs.web.urls``."""

from django.urls import path

from clusterobs.programmes import views

app_name = "programmes"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.initiative_create, name="create"),
    path("calculator/", views.calculator, name="calculator"),
    path("indicators/", views.indicators, name="indicators"),
    path("policy/", views.policy, name="policy"),
    path("policy.<str:fmt>", views.policy, name="policy-export"),
    path("schemes/<slug:slug>/", views.portfolio, name="portfolio"),
    path("schemes/<slug:slug>/portfolio.<str:fmt>", views.portfolio, name="portfolio-export"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("<slug:slug>/", views.initiative_detail, name="initiative"),
    path("<slug:slug>/stages/", views.stage_add, name="stage-add"),
    path("<slug:slug>/documents/", views.document_upload, name="document-upload"),
    path("<slug:slug>/applications/", views.application_add, name="application-add"),
    path("<slug:slug>/results/", views.result_add, name="result-add"),
    path("<slug:slug>/indicators/", views.indicator_track, name="indicator-track"),
    path("<slug:slug>/measurements/", views.measurement_add, name="measurement-add"),
    path("<slug:slug>/measurements/import/", views.measurement_import, name="measurement-import"),
    path("<slug:slug>/survey/", views.survey_entry, name="survey-entry"),
    path("<slug:slug>/survey/import/", views.survey_import, name="survey-import"),
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/dashboard.<str:fmt>", views.dashboard, name="dashboard-export"),
    path("<slug:slug>/evaluation/", views.evaluation, name="evaluation"),
    path("<slug:slug>/evaluation/<int:pk>/", views.evaluation_run, name="evaluation-run"),
    path(
        "<slug:slug>/evaluation/<int:pk>/report/",
        views.evaluation_report,
        name="evaluation-report",
    ),
]

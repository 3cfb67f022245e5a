"""Library pages, mounted at /library/ by ``clusterobs.web.urls``."""

from django.urls import path

from clusterobs.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.search, name="search"),
    path("add/", views.upload, name="upload"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/file/", views.document_file, name="file"),
    path("documents/<int:pk>/links/<int:link>/", views.link_action, name="link"),
    path("case-studies/", views.case_study_list, name="case-studies"),
    path("case-studies/<slug:slug>/", views.case_study_detail, name="case-study"),
    path("what-works/", views.what_works, name="what-works"),
]

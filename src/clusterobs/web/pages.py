"""Web page URLs (the pages themselves are in ``views``)."""

from django.urls import path

from clusterobs.web import views

urlpatterns = [
    path("", views.home, name="home"),
]

"""The registry initiatives' pages, mounted at /initiatives/ by ``clusterobs.web.urls``.

They live in the programmes app because each links the programme record that manages it.
"""

from django.urls import path

from clusterobs.programmes import registry_initiatives

app_name = "initiatives"

urlpatterns = [
    path("", registry_initiatives.initiative_list, name="initiative-list"),
    path("<slug:slug>/", registry_initiatives.initiative_detail, name="initiative-detail"),
]

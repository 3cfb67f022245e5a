"""Each list of field names is written once: the pages' filter forms offer the selector's
filters (which the API's query parameters and OpenAPI schema are built from), and the
CSV columns the exporter writes are the ones the importer reads."""

from __future__ import annotations

from dataclasses import fields

import pytest

from clusterobs.programmes.registry_initiatives import InitiativeFilterForm
from clusterobs.registry import exporters, forms, importers, selectors


@pytest.mark.parametrize(
    ("form", "filters", "kwargs"),
    [
        (forms.ClusterFilterForm, selectors.ClusterFilters, {"states": []}),
        (forms.OrganisationFilterForm, selectors.OrganisationFilters, {"states": []}),
        (forms.SchemeFilterForm, selectors.SchemeFilters, {}),
        (InitiativeFilterForm, selectors.InitiativeFilters, {}),
    ],
)
def test_filter_forms_offer_the_selectors_filters(form, filters, kwargs, db) -> None:
    extra = {"countries": []}
    if form is forms.ClusterFilterForm or form is InitiativeFilterForm:
        extra["schemes"] = []
    offered = list(form(**extra, **kwargs).fields)
    names = [f.name for f in fields(filters)]
    # in the selector's order; the initiative page leaves the API-only cluster and
    # organisation filters to the links of those records
    assert offered == [n for n in names if n in offered]
    assert offered == names or form is InitiativeFilterForm


def test_openapi_lists_the_selectors_filters(client, db) -> None:
    schema = client.get("/api/schema/?format=json").json()
    listed = {p["name"] for p in schema["paths"]["/api/clusters/"]["get"]["parameters"]}
    assert {f.name for f in fields(selectors.ClusterFilters)} <= listed


def test_exported_columns_are_importable(starter) -> None:
    for entity, known in [
        ("clusters", importers.CLUSTER_COLUMNS),
        ("organisations", importers.ORGANISATION_COLUMNS),
        ("schemes", importers.SCHEME_COLUMNS),
    ]:
        header = exporters.export(entity, "csv", include_unpublished=True).splitlines()[0]
        assert set(header.split(",")) <= known, entity

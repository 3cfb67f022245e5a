"""Editors maintain industry codes and key figures in the browser."""

from __future__ import annotations

from clusterobs.registry.models import KeyFigure


def test_editor_sets_industry_codes_in_the_cluster_form(client, users, registry) -> None:
    cluster = registry["foundry"]
    client.force_login(users["editor"])
    page = client.get(f"/clusters/{cluster.slug}/edit/")
    assert page.status_code == 200
    data = {
        "name": cluster.name,
        "product": cluster.product,
        "place": cluster.place,
        "country": "IN",
        "version": "1",
        "source": "test",
        "published": "on",
        "industry_codes": "NIC2008:24319; NAICS2017:331511",
    }
    response = client.post(f"/clusters/{cluster.slug}/edit/", data)
    assert response.status_code == 302, response.content[:2000]
    codes = sorted((c.classification, c.code) for c in cluster.industry_codes.all())
    assert codes == [("NAICS2017", "331511"), ("NIC2008", "24319")]
    cluster.refresh_from_db()
    assert cluster.version == 2
    bad = client.post(
        f"/clusters/{cluster.slug}/edit/",
        {**data, "version": "2", "industry_codes": "NAICS2017:33X"},
    )
    assert bad.status_code == 200 and b"not a valid NAICS2017 code" in bad.content


def test_key_figures_are_added_by_editors_only(client, users, registry) -> None:
    cluster = registry["leather"]
    url = f"/clusters/{cluster.slug}/key-figures/add/"
    figure = {
        "indicator": "employment",
        "value": "150000",
        "unit": "persons",
        "year": "2015",
        "source": "Cluster diagnostic study",
    }
    client.force_login(users["viewer"])
    assert client.post(url, figure).status_code == 403
    client.force_login(users["editor"])
    assert client.post(url, {**figure, "value": "-3"}).status_code == 200
    assert client.post(url, {**figure, "year": ""}).status_code == 200
    assert client.post(url, figure).status_code == 302
    years = sorted(cluster.key_figures.values_list("indicator", "year"))
    assert years == [("employment", 2015), ("units", 2010)]
    assert KeyFigure.objects.get(year=2015).history.first().history_user == users["editor"]

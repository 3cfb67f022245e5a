"""The sources page and its JSON twin: every cited document with its full citation."""

from __future__ import annotations

import pytest

from clusterobs.references.catalogue import cite, documents
from clusterobs.references.models import SourceDocument


@pytest.fixture
def catalogue(db):
    from clusterobs.references.starter import load

    return load()


def test_the_catalogue_loads_idempotently(catalogue) -> None:
    assert catalogue == {"source documents": len(documents())}
    from clusterobs.references.starter import load

    assert load() == {"source documents": 0}


def test_sources_page_lists_full_citations(catalogue, client) -> None:
    response = client.get("/sources/")
    assert response.status_code == 200
    body = response.content.decode()
    for key in ("changing-paradigms-2014", "india-gate-d5-3-2012", "nic-2008", "nace-rev2"):
        assert f'id="{key}"' in body
    # the INDIA GATE deliverable as its own header states it
    assert "Europa Media Non-profit Ltd." in body
    assert "grant agreement no. 244442" in body
    assert "2012-12-31" in body
    assert 'href="http://www.access4.eu/india/193.php"' in body
    assert "Foundation for MSME Clusters (FMC) (2014)" in body
    assert "no public address known" in body  # the theme paper: no URL is invented
    assert "seeds/" not in body and ".txt" not in body


def test_sources_api_twin(catalogue, api_client) -> None:
    data = api_client.get("/api/sources/").json()
    keys = {d["key"] for d in data}
    assert {"changing-paradigms-2014", "india-gate-d5-3-2012", "isic-rev4"} <= keys
    one = api_client.get("/api/sources/india-gate-d5-3-2012/").json()
    assert one["year"] == 2012
    assert one["citation"].startswith("INDIA GATE project consortium")
    assert "Report on Cluster Existence and Cooperation" in one["citation"]
    assert api_client.get("/api/sources/", {"kind": "classification"}).json()[0]["kind"] == (
        "classification"
    )
    assert "/api/sources/" in api_client.get("/api/schema/").content.decode()


def test_cite_links_known_titles_and_leaves_other_text_alone(catalogue) -> None:
    from django.template import Context, Template

    template = Template("{% load references %}{% cite text %}")
    linked = template.render(Context({"text": cite("changing-paradigms-2014", "section V.I")}))
    assert linked == (
        '<a href="/sources/#changing-paradigms-2014" class="cite">Changing Paradigms of Cluster '
        "Development</a>, section V.I"
    )
    plain = template.render(Context({"text": "Udyam <b>2024</b>"}))
    assert plain == "Udyam &lt;b&gt;2024&lt;/b&gt;"  # escaped, not linked
    # a title must be followed by the section separator, not just share a prefix
    other = template.render(Context({"text": "Changing Paradigms of Cluster Development II"}))
    assert "<a" not in other
    assert template.render(Context({"text": ""})) == "—"


def test_an_administrator_may_add_a_source_that_records_then_cite(catalogue, client) -> None:
    SourceDocument.objects.create(
        key="udyam-2024",
        title="Udyam Registration statistics",
        authors="Ministry of MSME",
        year=2024,
    )
    from django.template import Context, Template

    html = Template("{% load references %}{% cite text %}").render(
        Context({"text": "Udyam Registration statistics, table 3"})
    )
    assert 'href="/sources/#udyam-2024"' in html
    assert "Ministry of MSME (2024)" in client.get("/sources/").content.decode()


def test_unknown_catalogue_key_is_named() -> None:
    with pytest.raises(KeyError, match="no source document 'nope'"):
        cite("nope", "section 1")

"""Full-text search on SQLite FTS5 and PostgreSQL tsvector, kept in sync with the tables."""

from __future__ import annotations

from clusterobs.registry import search, selectors, services
from clusterobs.registry.models import Cluster, Organisation


def names(qs) -> list[str]:
    return sorted(c.name for c in qs)


def test_words_match_as_prefixes_in_any_order(registry) -> None:
    qs = Cluster.objects.all()
    assert names(search.search(qs, "leath")) == ["Leather footwear cluster, Agra"]
    assert names(search.search(qs, "agra footwear")) == ["Leather footwear cluster, Agra"]
    assert names(search.search(qs, "castings")) == ["Foundry cluster, Coimbatore"]
    assert names(search.search(qs, "leather coimbatore")) == []


def test_one_letter_words_match_whole_words_only(registry, users) -> None:
    qs = Cluster.objects.all()
    assert names(search.search(qs, "f")) == []  # not every "f..." word
    assert names(search.search(qs, "fo")) == [
        "Foundry cluster, Coimbatore",
        "Leather footwear cluster, Agra",
    ]
    services.update_record(
        registry["foundry"],
        user=users["editor"],
        expected_version=registry["foundry"].version,
        changes={"description": "Grade A castings"},
    )
    assert names(search.search(qs, "grade a")) == ["Foundry cluster, Coimbatore"]


def test_punctuation_is_not_query_syntax(registry) -> None:
    qs = Cluster.objects.all()
    assert names(search.search(qs, '"leather*" (')) == ["Leather footwear cluster, Agra"]
    assert search.search(qs, "  ").count() == 3  # no words: no restriction


def test_index_follows_updates_and_deletes(registry, users) -> None:
    foundry = registry["foundry"]
    services.update_record(
        foundry,
        user=users["editor"],
        expected_version=1,
        changes={"description": "grey iron pump castings"},
    )
    assert names(search.search(Cluster.objects.all(), "pump")) == ["Foundry cluster, Coimbatore"]
    Cluster.objects.filter(pk=foundry.pk).delete()
    assert search.search(Cluster.objects.all(), "pump").count() == 0


def test_anonymous_search_never_shows_unpublished(registry, users) -> None:
    from django.contrib.auth.models import AnonymousUser

    anon = selectors.cluster_list(AnonymousUser(), selectors.ClusterFilters(q="biotech"))
    assert anon.count() == 0
    editor = selectors.cluster_list(users["editor"], selectors.ClusterFilters(q="biotech"))
    assert names(editor) == ["Draft biotech cluster, Lucknow"]


def test_search_finds_industry_codes(registry) -> None:
    from django.contrib.auth.models import AnonymousUser

    hits = selectors.cluster_list(AnonymousUser(), selectors.ClusterFilters(q="15201"))
    assert names(hits) == ["Leather footwear cluster, Agra"]


def test_filters_combine(registry) -> None:
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    f = selectors.ClusterFilters
    assert names(selectors.cluster_list(anon, f(challenge="pollution-intensive"))) == [
        "Leather footwear cluster, Agra"
    ]
    assert names(selectors.cluster_list(anon, f(scheme=registry["scheme"].slug))) == [
        "Leather footwear cluster, Agra"
    ]
    assert names(
        selectors.cluster_list(anon, f(industry_code="152", classification="nic2008"))
    ) == ["Leather footwear cluster, Agra"]
    assert names(selectors.cluster_list(anon, f(cluster_type="traditional_manufacturing"))) == [
        "Foundry cluster, Coimbatore"
    ]
    assert selectors.cluster_list(anon, f(country="DE")).count() == 0
    orgs = selectors.organisation_list(anon, selectors.OrganisationFilters(q="footwear"))
    assert [o.name for o in orgs] == ["Agra Footwear Association"]
    assert Organisation.objects.count() == 2

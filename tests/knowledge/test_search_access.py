"""Search (full-text, semantic, hybrid), facets and access per role, through the real index."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile

from clusterobs.knowledge import selectors, semantic, services
from clusterobs.knowledge.models import Document
from clusterobs.knowledge.selectors import Filters
from tests.knowledge.conftest import make_pdf

FUNDING = (
    "Funding contribution continues to be largely from public agencies. Cluster initiatives "
    "rely on government grants for common facility centres."
)
TRUST = "Trust building among entrepreneurs comes first: firms meet, visit each other and plan."
EXPORTS = "Exporters in the cluster reached new markets in Europe after joint trade fairs."
FRENCH = "Le financement des pôles vient surtout des agences publiques et des subventions."


@pytest.fixture
def library(registry, users):
    """Three public documents with facets, and one for editors only."""
    editor = users["editor"]

    def add(name, data, **meta):
        return services.import_files(user=editor, files=[(name, data)], metadata=meta).added[0]

    funding = add(
        "funding.pdf",
        make_pdf([TRUST, FUNDING]),
        doc_type="policy",
        year=2014,
        country="IN",
        title="Funding of cluster initiatives",
    )
    trust_text = f"# Trust\n\n{TRUST} As in the Leather footwear cluster, Agra."
    trust = add("trust.md", trust_text.encode(), doc_type="guide", year=2012)
    exports = add("exports.txt", EXPORTS.encode(), doc_type="evaluation", year=2014, country="DE")
    internal = add(
        "internal.md", f"# Internal\n\n{FUNDING} Confidential.".encode(), visibility="editors"
    )
    services.add_link(user=editor, document=funding, target="scheme", record=registry["scheme"])
    return {"funding": funding, "trust": trust, "exports": exports, "internal": internal}


def _titles(result):
    return [h.document.title for h in result.hits]


def test_fulltext_ranks_the_passage_with_the_words_and_gives_its_page(library, users):
    result = selectors.search(users["viewer"], "public agencies funding", mode="fulltext")
    assert result.mode == "fulltext"
    top = result.hits[0]
    assert top.document == library["funding"] and top.passage.page == 2
    assert top.passage.open_url.endswith(f"/library/documents/{library['funding'].pk}/file/#page=2")
    assert "Internal" not in _titles(result)


def test_semantic_finds_meaning_across_languages(library, users):
    if not semantic.available():
        pytest.skip("the semantic extra is not installed")
    result = selectors.search(users["viewer"], "qui paie pour les clusters ?", mode="semantic")
    assert result.mode == "semantic"
    assert result.hits[0].document == library["funding"]
    assert result.hits[0].passage.page == 2


def test_hybrid_fuses_both_rankings(library, users):
    if not semantic.available():
        pytest.skip("the semantic extra is not installed")
    result = selectors.search(users["viewer"], "government grants for clusters", mode="hybrid")
    top = result.hits[0]
    assert top.fulltext_rank is not None and top.semantic_rank is not None
    question = "government grants for clusters"
    full = selectors.search(users["viewer"], question, mode="fulltext", limit=50).hits
    near = selectors.search(users["viewer"], question, mode="semantic", limit=50).hits
    full_score = next(h.score for h in full if h.passage == top.passage)
    cosine = next(h.score for h in near if h.passage == top.passage)
    share = selectors.fulltext_share()
    assert top.score == pytest.approx(share * full_score / full[0].score + (1 - share) * cosine)
    assert [h.score for h in result.hits] == sorted((h.score for h in result.hits), reverse=True)


def test_convex_fusion_keeps_a_confident_match_and_adds_meaning():
    full = [(1, 10.0), (2, 2.0)]
    near = [(3, 0.9), (2, 0.8), (1, 0.1)]
    fused = {pk: score for pk, score, _r in selectors._convex(full, near, share=0.6)}
    assert fused[1] == pytest.approx(0.6 + 0.04)
    assert fused[2] == pytest.approx(0.6 * 0.2 + 0.4 * 0.8)
    assert fused[3] == pytest.approx(0.4 * 0.9)
    assert sorted(fused, key=lambda pk: -fused[pk]) == [1, 2, 3]


def test_reciprocal_rank_fusion_prefers_agreement():
    fused = selectors._fuse([[(1, 9.0), (2, 8.0), (3, 7.0)], [(3, 0.9), (2, 0.8), (4, 0.7)]])
    order = [pk for pk, _s, _r in fused]
    # 3 (ranks 3 and 1: 1/63 + 1/61) edges 2 (ranks 2 and 2: 2/62); both beat 1 (rank 1 once)
    assert order == [3, 2, 1, 4]
    assert dict((pk, r) for pk, _s, r in fused)[4] == [None, 3]


def test_without_the_semantic_extra_search_falls_back_and_says_so(library, users, monkeypatch):
    monkeypatch.setattr(semantic, "_encoder", lambda: None)
    result = selectors.search(users["viewer"], "public agencies", mode="hybrid")
    assert result.mode == "fulltext"
    assert "not installed" in result.notice
    assert result.hits[0].document == library["funding"]


def test_facets_count_and_filter(library, users):
    result = selectors.search(users["viewer"], "cluster firms trust funding exporters")
    facets = {name: {v: n for v, _label, n in values} for name, values in result.facets.items()}
    assert facets["type"] == {"policy": 1, "guide": 1, "evaluation": 1}
    assert facets["year"] == {"2014": 2, "2012": 1}
    assert facets["country"] == {"IN": 1, "DE": 1}
    assert facets["scheme"] == {library["funding"].links.get(target="scheme").scheme.slug: 1}
    filtered = selectors.search(users["viewer"], "cluster", filters=Filters(year="2014"))
    assert set(_titles(filtered)) <= {"Funding of cluster initiatives", "exports"}
    by_scheme = selectors.filtered_documents(
        users["viewer"], Filters(scheme=library["funding"].links.get(target="scheme").scheme.slug)
    )
    assert list(by_scheme) == [library["funding"]]


# --- access per role --------------------------------------------------------------------------


@pytest.fixture
def initiative_document(programme, users, django_capture_on_commit_callbacks):
    """A DSR uploaded to the unpublished Coimbatore initiative (implemented by other_org),
    indexed by the library when the upload commits."""
    from clusterobs.programmes import services as programme_services

    data = make_pdf(["Foundry diagnostic: sand reclamation and energy audits for castings."])
    with django_capture_on_commit_callbacks(execute=True):
        upload = programme_services.upload_document(
            user=users["editor"],
            initiative=programme["other"],
            kind="dsr",
            title="Coimbatore foundry DSR",
            file=ContentFile(data, name="dsr.pdf"),
            document_date=dt.date(2021, 3, 1),
        )
    return upload


ROLE_SEES_PRIVATE = {
    "anonymous": False,
    "viewer": False,
    "manager": False,  # manages the Agra organisation, not this initiative's
    "other_manager": True,  # manages the implementing agency
    "funder": False,  # funds the MSE-CDP scheme; this initiative has no scheme
    "editor": True,
    "admin": True,
}


@pytest.mark.parametrize(("role", "sees"), ROLE_SEES_PRIVATE.items())
def test_initiative_documents_are_found_only_by_its_readers(
    role, sees, initiative_document, programme, users, client
):
    from django.contrib.auth.models import AnonymousUser

    document = Document.objects.get(initiative_document=initiative_document)
    assert document.visibility == "initiative" and document.passages.exists()
    assert document.doc_type == "diagnostic_study" and document.year == 2021
    user = {"anonymous": AnonymousUser(), "funder": programme["funder"], **users}[role]
    result = selectors.search(user, "sand reclamation castings", mode="fulltext")
    assert (document in [h.document for h in result.hits]) is sees
    if role != "anonymous":
        client.force_login(user)
    page = client.get(f"/library/documents/{document.pk}/")
    assert page.status_code == (200 if sees else 404)
    file = client.get(f"/library/documents/{document.pk}/file/")
    assert file.status_code == (200 if sees else 404)
    api = client.get("/api/library/search/", {"q": "sand reclamation", "mode": "fulltext"})
    assert (document.pk in [h["document"] for h in api.json()["hits"]]) is sees


def test_editors_only_documents(library, users):
    from django.contrib.auth.models import AnonymousUser

    for user, sees in [
        (AnonymousUser(), False),
        (users["viewer"], False),
        (users["manager"], False),
        (users["editor"], True),
        (users["admin"], True),
    ]:
        found = selectors.search(user, "confidential", mode="fulltext")
        assert (library["internal"] in [h.document for h in found.hits]) is sees


def test_links_confirmed_only_by_editors_through_the_page(library, users, client):
    link = library["trust"].links.get(target="cluster", status="suggested")
    url = f"/library/documents/{library['trust'].pk}/links/{link.pk}/"
    client.force_login(users["viewer"])
    assert client.post(url, {"action": "confirm"}).status_code == 403
    client.force_login(users["editor"])
    assert client.post(url, {"action": "confirm"}).status_code == 302
    link.refresh_from_db()
    assert link.status == "confirmed"
    page = client.get(f"/clusters/{link.cluster.slug}/")
    assert "Trust" in page.content.decode().split("record-knowledge", 1)[1]


@pytest.mark.parametrize("overfetch", [1, 2, 4])
def test_fulltext_ranks_then_filters_with_the_exact_answer(registry, users, monkeypatch, overfetch):
    """FTS5 ranks first and the access filter runs on the best ``OVERFETCH x limit``; when
    those hold too few readable passages the exact one-pass query runs. Either way a reader
    gets the passages an editor's ranking gives, less the hidden ones, in the same order.
    The hidden document's passages match best, so small overfetches take the fallback
    (SQLite; PostgreSQL filters in its one query, and the same must hold there)."""
    from django.contrib.auth.models import AnonymousUser

    from clusterobs.knowledge import access, fulltext
    from clusterobs.knowledge.models import Passage

    editor = users["editor"]
    short = "Funding agencies fund exporters; exporters ask funding agencies."
    hidden = "\n\n".join(f"## Part {i}\n\n{short}" for i in range(6))
    shown = "\n\n".join(f"## Part {i}\n\n{EXPORTS} {FUNDING}" for i in range(6))
    services.import_files(
        user=editor, files=[("hidden.md", hidden.encode())], metadata={"visibility": "editors"}
    )
    services.import_files(user=editor, files=[("shown.md", shown.encode())])
    monkeypatch.setattr(fulltext, "OVERFETCH", overfetch)
    question = "funding agencies exporters"
    everything = fulltext.ranked(question, Document.objects.all(), 100)
    readable = access.visible_documents(Document.objects.all(), AnonymousUser())
    doc_of = dict(Passage.objects.values_list("pk", "document__visibility"))
    assert doc_of[everything[0][0]] == "editors"  # the hidden passages rank first
    for limit in (1, 3, 6, 10):
        expected = [(pk, s) for pk, s in everything if doc_of[pk] == "public"][:limit]
        assert fulltext.ranked(question, readable, limit) == expected

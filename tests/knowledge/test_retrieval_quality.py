"""The retrieval evaluation (benchmarks/knowledge/evaluate.py) through the real import and
search: 60 labelled questions over the seed documents and the docs; hybrid must beat
full-text alone."""

from __future__ import annotations

import pytest
from benchmarks.knowledge import evaluate

from clusterobs.knowledge import semantic


@pytest.fixture
def seeds():
    if not evaluate.SEEDS.exists():
        pytest.skip("needs the seed documents in ../shared/seeds beside the checkout")
    return evaluate.SEEDS


@pytest.fixture
def report(seeds, db, settings, tmp_path):
    if not semantic.available():
        pytest.skip("the semantic extra is not installed")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    assert evaluate.load_corpus() > 200
    return evaluate.evaluate()


def test_labelled_questions_and_floors(report):
    assert report["questions"] >= 60
    assert report["unlabelled"] == []
    scores = report["scores"]
    print(evaluate.table(report))
    assert scores["fulltext"]["recall@5"] > 0.7  # SQLite 0.97, PostgreSQL 0.78 (no IDF)
    assert scores["semantic"]["recall@5"] > 0.5


def test_hybrid_beats_fulltext(report):
    hybrid = report["scores"]["hybrid (convex, default)"]
    full = report["scores"]["fulltext"]
    assert hybrid["mrr"] > full["mrr"]
    assert hybrid["recall@5"] >= full["recall@5"]


def test_cross_validated_hybrid_beats_fulltext_and_heldout_is_labelled(report):
    """The fusion's share chosen by leave-one-out on the labelled questions (an estimate
    that does not score a question at a share chosen on it) still beats full text; the
    held-out questions all have an answer passage (their scores are reported, not tested:
    a threshold here would become a target to tune to)."""
    from benchmarks.knowledge import crossval

    curve = crossval.share_curve(evaluate.load_queries())
    crossval.check_reproduces(curve, report)
    cv = crossval.cross_validate(curve)
    print(crossval.cv_table(cv, report))
    assert cv["questions"] == report["questions"]
    assert cv["scores"]["mrr"] > report["scores"]["fulltext"]["mrr"]
    for path in (evaluate.HELDOUT, evaluate.HELDOUT2):
        heldout = evaluate.evaluate(evaluate.load_queries(path))
        print(path.name, evaluate.table(heldout), sep="\n")
        assert heldout["questions"] >= 20
        assert heldout["unlabelled"] == []

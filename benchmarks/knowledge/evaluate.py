"""Retrieval quality of the library: recall@5 and MRR of full-text, semantic and hybrid search.

The labelled set (``queries.json``): 60 questions a practitioner would ask about the two seed
documents (``../shared/seeds`` beside the checkout) and the platform's ``docs/``, each with the
phrases that stand in the passage answering it, judged by reading. The documents go through
the real import (extraction, passages, vectors, full-text index) and the questions through the
real search, as an anonymous reader.

* recall@5: share of questions with a relevant passage among the first five answers (each
  question has one answer passage, so this is also its recall at 5);
* MRR: mean over questions of 1 / rank of the first relevant passage (0 beyond the 10th).

Run: ``.venv/bin/python benchmarks/knowledge/evaluate.py`` (a temporary database; ~1 min).
The same evaluation runs as ``tests/knowledge/test_retrieval_quality.py``.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
QUERIES = HERE / "queries.json"
#: questions written after the fusion was chosen, never used to choose anything
HELDOUT = HERE / "heldout.json"
#: the second held-out set, written before the per-database share was set
HELDOUT2 = HERE / "heldout2.json"
DEPTH = 10


def corpus(seeds: Path = SEEDS, docs: Path = REPO / "docs") -> list[tuple[str, bytes]]:
    """The documents of the evaluation, named by the keys ``queries.json`` uses."""
    files = [(f"seed-{p.name[:3]}.txt", p.read_bytes()) for p in sorted(seeds.glob("*.txt"))]
    files += [
        (f"docs--{p.name}", p.read_bytes())
        for p in sorted(docs.glob("*.md"))
        if p.name != "knowledge.md"  # describes this evaluation: it would answer itself
    ]
    return files


def _key(document: Any) -> str:
    name = document.file_name
    return name.removesuffix(".txt") if name.startswith("seed-") else name.replace("--", "/")


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def _docs(query: dict[str, Any]) -> list[str]:
    """The documents that answer ``query`` ("doc" is one key or, where two answer, a list)."""
    doc = query["doc"]
    return [doc] if isinstance(doc, str) else list(doc)


def _first_relevant(hits: list[Any], query: dict[str, Any]) -> int | None:
    answers = [_normal(a) for a in query["answers"]]
    for rank, hit in enumerate(hits, start=1):
        text = _normal(f"{hit.passage.heading} {hit.passage.text}")
        if _key(hit.document) in _docs(query) and any(a in text for a in answers):
            return rank
    return None


def check_labels(queries: list[dict[str, Any]]) -> list[str]:
    """Questions whose answer phrase stands in no passage (a label to fix, not a miss)."""
    from clusterobs.knowledge.models import Passage

    texts: dict[str, list[str]] = {}
    for passage in Passage.objects.select_related("document"):
        text = _normal(f"{passage.heading} {passage.text}")
        texts.setdefault(_key(passage.document), []).append(text)
    return [
        q["q"]
        for q in queries
        if not any(
            _normal(a) in t for a in q["answers"] for d in _docs(q) for t in texts.get(d, [])
        )
    ]


#: (label, search mode, hybrid fusion)
RUNS = (
    ("fulltext", "fulltext", ""),
    ("semantic", "semantic", ""),
    ("hybrid (RRF, k=60)", "hybrid", "rrf"),
    ("hybrid (convex, default)", "hybrid", "convex"),
)


def _scores(ranks: list[int | None]) -> dict[str, float]:
    return {
        "recall@5": sum(1 for r in ranks if r and r <= 5) / len(ranks),
        "mrr": sum(1 / r for r in ranks if r) / len(ranks),
        "found@10": sum(1 for r in ranks if r) / len(ranks),
    }


def load_queries(path: Path = QUERIES) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text())["queries"])


def evaluate(queries: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Search every question (``queries.json`` unless given) in every run over the imported
    corpus; the scores per run, on all questions and on the odd and even halves, and each
    question's rank per run (``ranks``: None when not in the first ``DEPTH``)."""
    from django.contrib.auth.models import AnonymousUser

    from clusterobs.knowledge import selectors

    queries = load_queries() if queries is None else queries
    scores: dict[str, dict[str, float]] = {}
    all_ranks: dict[str, list[int | None]] = {}
    default = selectors.FUSION
    try:
        for label, mode, fusion in RUNS:
            selectors.FUSION = fusion or default
            ranks = []
            for query in queries:
                result = selectors.search(AnonymousUser(), query["q"], mode=mode, limit=DEPTH)
                if result.mode != mode:
                    raise RuntimeError(f"{mode} search is not available: {result.notice}")
                ranks.append(_first_relevant(result.hits, query))
            all_ranks[label] = ranks
            scores[label] = _scores(ranks)
            scores[label]["mrr odd"] = _scores(ranks[1::2])["mrr"]
            scores[label]["mrr even"] = _scores(ranks[0::2])["mrr"]
    finally:
        selectors.FUSION = default
    return {
        "questions": len(queries),
        "scores": scores,
        "ranks": all_ranks,
        "unlabelled": check_labels(queries),
    }


def load_corpus() -> int:
    """Import the corpus as the first admin (created if missing); returns passages indexed."""
    from django.contrib.auth.models import User

    from clusterobs.knowledge import services
    from clusterobs.knowledge.models import Passage

    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "evaluation", password=None
    )
    services.import_files(user=admin, files=corpus(), collection="evaluation")
    return Passage.objects.count()


def table(report: dict[str, Any]) -> str:
    lines = [
        "| search | recall@5 | MRR | found in top 10 | MRR odd half | MRR even half |",
        "|---|---|---|---|---|---|",
    ]
    for label, s in report["scores"].items():
        lines.append(
            f"| {label} | {s['recall@5']:.3f} | {s['mrr']:.3f} | {s['found@10']:.3f} "
            f"| {s['mrr odd']:.3f} | {s['mrr even']:.3f} |"
        )
    return "\n".join(lines)


def main() -> None:
    if not SEEDS.exists():
        sys.exit(f"{SEEDS} is missing: the seed documents sit beside the checkout")
    tmp = tempfile.mkdtemp(prefix="clusterobs-eval-")
    os.environ.setdefault("CLUSTEROBS_DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterobs.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    sys.path.insert(0, str(REPO))
    from benchmarks.knowledge import crossval

    passages = load_corpus()
    sets = (("labelled set", QUERIES), ("held-out set", HELDOUT), ("second held-out set", HELDOUT2))
    for title, path in sets:
        queries = load_queries(path)
        report = evaluate(queries)
        print(f"\n{title} ({path.name}): {report['questions']} questions, {passages} passages")
        print(table(report))
        if report["unlabelled"]:
            print("answer phrase in no passage:", *report["unlabelled"], sep="\n  ")
        curve = crossval.share_curve(queries)
        crossval.check_reproduces(curve, report)
        if path == QUERIES:
            print("\nleave-one-out cross-validation of the full-text share (labelled set):")
            print(crossval.cv_table(crossval.cross_validate(curve), report))
        print(f"\nMRR and recall@5 by full-text share ({title}; not used to choose it):")
        print(crossval.curve_table(curve))


if __name__ == "__main__":
    main()

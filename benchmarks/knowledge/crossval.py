"""A held-out estimate of hybrid search: cross-validation of the fusion's full-text share.

Why: the convex fusion's one parameter (``selectors.fulltext_share()``: 0.6 on SQLite, 0.3 on
PostgreSQL) was chosen on the
same 60 labelled questions that ``evaluate.py`` reports on, so its hybrid score is optimistic.
Leave-one-out cross-validation gives the score of the *procedure* "choose the share on the
labelled questions": for each question, the share is chosen on the other 59 (best MRR, then
recall@5, then the share nearest 0.5) and the question is scored at that share. Full text and
semantic search have no parameter chosen on the set, so their scores need no such correction.

Each question's full-text and semantic candidates are fetched once (``selectors.candidates``,
the same call search makes) and fused at every share of ``SHARES``; ``check_reproduces``
makes sure the fusion at the default share gives the ranks the real search gave.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from benchmarks.knowledge.evaluate import DEPTH, _docs, _key, _normal, _scores

#: full-text shares tried (0: semantic only, 1: full text only, the other list filling in)
SHARES = tuple(round(0.1 * i, 1) for i in range(11))
#: the run of ``evaluate.RUNS`` that the fusion at the default share must reproduce
DEFAULT_RUN = "hybrid (convex, default)"


def relevant_passages(queries: list[dict[str, Any]]) -> list[set[int]]:
    """Per question, the ids of the passages that answer it (the labelling rule of
    ``evaluate._first_relevant``: a passage of an answering document with an answer phrase)."""
    from clusterobs.knowledge.models import Passage

    rows = [
        (p.pk, _key(p.document), _normal(f"{p.heading} {p.text}"))
        for p in Passage.objects.select_related("document")
    ]
    out = []
    for query in queries:
        docs, answers = _docs(query), [_normal(a) for a in query["answers"]]
        out.append(
            {pk for pk, key, text in rows if key in docs and any(a in text for a in answers)}
        )
    return out


def _rank(ids: list[int], relevant: set[int]) -> int | None:
    for rank, pk in enumerate(ids[:DEPTH], start=1):
        if pk in relevant:
            return rank
    return None


def share_curve(queries: list[dict[str, Any]]) -> dict[float, list[int | None]]:
    """Rank of the first relevant passage of each question, per full-text share."""
    from django.contrib.auth.models import AnonymousUser

    from clusterobs.knowledge import selectors

    documents = selectors.filtered_documents(AnonymousUser(), selectors.Filters())
    curve: dict[float, list[int | None]] = {share: [] for share in SHARES}
    for query, relevant in zip(queries, relevant_passages(queries), strict=True):
        full, near, used = selectors.candidates(query["q"], documents, "hybrid")
        if used != "hybrid":
            raise RuntimeError("semantic search is not installed: nothing to fuse")
        for share in SHARES:
            fused = selectors.fuse(full, near, share=share)
            curve[share].append(_rank([pk for pk, _score, _ranks in fused], relevant))
    return curve


def check_reproduces(curve: dict[float, list[int | None]], report: dict[str, Any]) -> None:
    """The fusion at the default share must give the ranks the real search gave."""
    from clusterobs.knowledge import selectors

    if curve[selectors.fulltext_share()] != report["ranks"][DEFAULT_RUN]:
        raise AssertionError("the fused candidates differ from what search returned")


def _training_score(ranks: list[int | None], share: float) -> tuple[float, float, float]:
    scores = _scores(ranks)
    return (round(scores["mrr"], 9), scores["recall@5"], -abs(share - 0.5))


def cross_validate(curve: dict[float, list[int | None]]) -> dict[str, Any]:
    """Leave-one-out: each question scored at the share chosen on all the others."""
    n = len(curve[SHARES[0]])
    held: list[int | None] = []
    chosen: list[float] = []
    for i in range(n):
        best = max(
            SHARES,
            key=lambda s: _training_score([r for j, r in enumerate(curve[s]) if j != i], s),
        )
        chosen.append(best)
        held.append(curve[best][i])
    return {"scores": _scores(held), "chosen": Counter(chosen), "questions": n}


def cv_table(cv: dict[str, Any], report: dict[str, Any]) -> str:
    """The cross-validated hybrid beside the in-sample numbers of the same questions."""
    s = report["scores"]
    rows = [
        ("fulltext (no parameter)", s["fulltext"]),
        ("semantic (no parameter)", s["semantic"]),
        ("hybrid, default share (chosen on these questions: in-sample)", s[DEFAULT_RUN]),
        ("hybrid, share chosen by leave-one-out (held-out)", cv["scores"]),
    ]
    lines = ["| search | recall@5 | MRR | found in top 10 |", "|---|---|---|---|"]
    lines += [
        f"| {label} | {v['recall@5']:.3f} | {v['mrr']:.3f} | {v['found@10']:.3f} |"
        for label, v in rows
    ]
    shares = ", ".join(f"{k} ({n}x)" for k, n in sorted(cv["chosen"].items()))
    return "\n".join(lines) + f"\n\nshares chosen in the {cv['questions']} folds: {shares}"


def curve_table(curve: dict[float, list[int | None]]) -> str:
    """MRR and recall@5 at every share (0 = semantic ranking, 1 = full-text ranking)."""
    header = "| full-text share | " + " | ".join(f"{s:.1f}" for s in SHARES) + " |"
    rule = "|---|" + "---|" * len(SHARES)
    mrr = "| MRR | " + " | ".join(f"{_scores(curve[s])['mrr']:.3f}" for s in SHARES) + " |"
    recall = (
        "| recall@5 | " + " | ".join(f"{_scores(curve[s])['recall@5']:.3f}" for s in SHARES) + " |"
    )
    return "\n".join([header, rule, mrr, recall])

"""Offline evaluation of the matchmaking ranking on real data (no Django).

Protocol (leave-one-out, held-out cluster tags): every organisation in turn is the query. Its own
cluster codes *and their titles* are hidden, so the query is only what a newcomer would type: its
name and description. All other organisations keep their codes. A candidate is *relevant* when it
shares at least one (hidden) cluster code with the query. We report precision at 10 (relevant
among the top 10 / 10), averaged over queries with at least one relevant candidate, for

* ``matcher``: :class:`~clusterobs.collaboration.matchmaking.MatchIndex` (text similarity, sector
  codes inferred from the text, cluster relatedness);
* ``matcher_no_relatedness``: the same without the relatedness table;
* ``keyword`` and ``keyword_stemmed``: a keyword search over the same texts
  (:func:`~clusterobs.collaboration.matchmaking.keyword_baseline`).

What this measures: how well an organisation's *name/description* recovers partners of its own
cluster(s) — a proxy for "find me peers", not for complementary (value-chain) partners, for
which no ground truth exists in the data. Organisations sharing a cluster tag are treated as
relevant even if a human would not pick them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from clusterobs.collaboration.matchmaking import MatchIndex, Profile, Relatedness, keyword_baseline


@dataclass(frozen=True)
class EvaluationResult:
    queries: int
    candidates: int
    precision_at_10: dict[str, float]
    random_expectation: float


ALL_VARIANTS = ("matcher", "matcher_no_relatedness", "keyword", "keyword_stemmed")


def evaluate(
    profiles: Sequence[Profile],
    relatedness: Relatedness,
    *,
    query_text: dict[int, str],
    variants: Sequence[str] = ALL_VARIANTS,
) -> EvaluationResult:
    """``profiles`` carry the true sector codes; ``query_text`` the text of each org without its
    sector titles (what the query may use)."""
    totals = dict.fromkeys(variants, 0.0)
    random_total = 0.0
    n_queries = 0
    for q in profiles:
        if not q.sectors:
            continue
        others = [p for p in profiles if p.id != q.id]
        relevant = {p.id for p in others if p.sectors & q.sectors}
        if not relevant:
            continue
        n_queries += 1
        random_total += len(relevant) / len(others)
        query = replace(q, sectors=frozenset(), text=query_text[q.id])
        for name, rel in (("matcher", relatedness), ("matcher_no_relatedness", Relatedness())):
            if name not in totals:
                continue
            ranked = [s.id for s in MatchIndex(others, relatedness=rel).suggest(query, limit=10)]
            totals[name] += len(set(ranked) & relevant) / 10
        for name, stemmed in (("keyword", False), ("keyword_stemmed", True)):
            if name not in totals:
                continue
            ranked = keyword_baseline(query.text, others, limit=10, stemmed=stemmed)
            totals[name] += len(set(ranked) & relevant) / 10
    return EvaluationResult(
        queries=n_queries,
        candidates=len(profiles) - 1,
        precision_at_10={k: round(v / max(n_queries, 1), 4) for k, v in totals.items()},
        random_expectation=round(random_total / max(n_queries, 1), 4),
    )

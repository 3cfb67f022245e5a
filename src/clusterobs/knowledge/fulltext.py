"""Full-text index over passages: SQLite FTS5 or a PostgreSQL ``tsvector``, as the registry.

The same approach as ``clusterobs.registry.search`` (an external-content FTS5 table kept in step
by triggers on SQLite; a generated, GIN-indexed ``tsvector`` column on PostgreSQL; the 'simple'
configuration, because the library is multilingual and a stemmer is one language's), with one
difference: a question is not a filter. A practitioner types "how are clusters funded in India",
so the words are OR-ed (stop words dropped) and passages are *ranked*: FTS5 ``bm25`` (a
passage with more, rarer query words comes first), PostgreSQL ``ts_rank`` normalised by length
(it has no inverse document frequency, so common words weigh as much as rare ones: on the
labelled questions MRR 0.58 against 0.87 for FTS5; ``ts_rank_cd`` gave 0.45).
"""

from __future__ import annotations

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet

from clusterobs.registry.search import MIN_PREFIX, query_terms

TABLE = "knowledge_passage"
#: indexed columns, heading weighted above text
COLUMNS = ("heading", "text")
#: words that carry no meaning in a question (English, French, German, Spanish basics)
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "there",
        "these",
        "this",
        "to",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "le",
        "la",
        "les",
        "des",
        "du",
        "de",
        "et",
        "en",
        "un",
        "une",
        "est",
        "pour",
        "que",
        "qui",
        "dans",
        "der",
        "die",
        "das",
        "und",
        "ist",
        "mit",
        "von",
        "zu",
        "den",
        "el",
        "los",
        "las",
        "y",
        "para",
        "por",
        "con",
        "del",
        "se",
    ]
)


def _sqlite_ddl() -> list[str]:
    fts, cols = f"{TABLE}_fts", ", ".join(COLUMNS)
    new = ", ".join(f"new.{c}" for c in COLUMNS)
    old = ", ".join(f"old.{c}" for c in COLUMNS)
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{TABLE}', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {TABLE} BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {TABLE} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {cols} ON {TABLE} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def _postgres_ddl() -> list[str]:
    vector = (
        "setweight(to_tsvector('simple', coalesce(heading, '')), 'A') || "
        "setweight(to_tsvector('simple', coalesce(text, '')), 'B')"
    )
    return [
        f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS search_vector tsvector "
        f"GENERATED ALWAYS AS ({vector}) STORED",
        f"CREATE INDEX IF NOT EXISTS {TABLE}_search_idx ON {TABLE} USING GIN (search_vector)",
    ]


def ensure_index(conn: BaseDatabaseWrapper | None = None) -> None:
    """Create the passage index (and its triggers) if missing; rebuild FTS5 from the rows."""
    conn = conn or connection
    with conn.cursor() as cursor:
        if TABLE not in conn.introspection.table_names(cursor):
            return
        statements = {"sqlite": _sqlite_ddl, "postgresql": _postgres_ddl}.get(conn.vendor)
        if conn.vendor == "postgresql" and "search_vector" in {
            c.name for c in conn.introspection.get_table_description(cursor, TABLE)
        }:
            return  # an ALTER TABLE inside a transaction with pending deletes would fail
        for sql in statements() if statements else []:
            cursor.execute(sql)


def question_terms(text: str) -> list[str]:
    """The meaningful words of a question, in order, without repeats or stop words."""
    seen: dict[str, None] = {}
    for term in query_terms(text):
        if term not in STOP_WORDS and term not in seen:
            seen[term] = None
    return list(seen)


#: SQLite: the first try ranks this many times ``limit`` passages before the access filter
OVERFETCH = 4


def ranked(text: str, documents: QuerySet, limit: int) -> list[tuple[int, float]]:
    """Ids of the passages of ``documents`` that contain any word of ``text``, best first, with
    a score where higher is better (the database's own ranking)."""
    terms = question_terms(text)
    if not terms:
        return []
    subquery, params = documents.order_by().values("pk").query.sql_with_params()
    if connection.vendor == "postgresql":
        tsquery = " | ".join(f"{t}:*" if len(t) >= MIN_PREFIX else t for t in terms)
        sql = (
            f"SELECT id, ts_rank(search_vector, q, 1) AS score FROM {TABLE}, "
            "to_tsquery('simple', %s) q WHERE search_vector @@ q "
            f"AND document_id IN ({subquery}) ORDER BY score DESC, id LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [tsquery, *params, limit])
            return [(int(pk), float(score)) for pk, score in cursor.fetchall()]
    match = " OR ".join(f'"{t}"*' if len(t) >= MIN_PREFIX else f'"{t}"' for t in terms)
    return _sqlite_ranked(match, subquery, list(params), limit)


def _sqlite_ranked(match: str, subquery: str, params: list, limit: int) -> list[tuple[int, float]]:
    """FTS5 ranking, then the access filter on the best few.

    Why two steps: reading a passage's ``document_id`` for the access filter costs a walk
    through the row's overflow pages (the column comes after the text and the vectors), about
    8 us a row; a question with a common word matches most of the 10,900 passages of the
    benchmark library, so filtering every match took 60-70 ms of a search against 16 ms for
    ``bm25`` over all of them. Ranking first and filtering only the ``OVERFETCH * limit`` best
    gives the same passages in the same order whenever enough of them are readable (the
    filter keeps the order); otherwise the exact one-pass query runs. The FTS table drives
    that query (``CROSS JOIN`` keeps it the outer loop): a ``rowid IN (...)`` constraint on it
    would run the MATCH once per allowed row (194 s for one question over 10,000 passages).
    """
    take = limit * OVERFETCH
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -bm25({TABLE}_fts, 2.0, 1.0) AS score FROM {TABLE}_fts "
            f"WHERE {TABLE}_fts MATCH %s ORDER BY score DESC, rowid LIMIT %s",
            [match, take],
        )
        best = [(int(pk), float(score)) for pk, score in cursor.fetchall()]
        if not best:
            return []
        marks = ", ".join(["%s"] * len(best))
        # "+document_id": without the unary plus SQLite probes the document_id index once
        # per (allowed document, id) pair (27 ms) instead of looking the ids up (1.3 ms)
        cursor.execute(
            f"SELECT id FROM {TABLE} WHERE id IN ({marks}) AND +document_id IN ({subquery})",
            [pk for pk, _score in best] + params,
        )
        readable = {int(pk) for (pk,) in cursor.fetchall()}
        found = [(pk, score) for pk, score in best if pk in readable]
        if len(found) >= limit or len(best) < take:
            return found[:limit]
        cursor.execute(
            f"SELECT f.rowid, -bm25({TABLE}_fts, 2.0, 1.0) AS score FROM {TABLE}_fts f "
            f"CROSS JOIN {TABLE} p ON p.id = f.rowid "
            f"WHERE {TABLE}_fts MATCH %s AND p.document_id IN ({subquery}) "
            "ORDER BY score DESC, f.rowid LIMIT %s",
            [match, *params, limit],
        )
        return [(int(pk), float(score)) for pk, score in cursor.fetchall()]

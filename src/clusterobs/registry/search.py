"""Full-text search over registry tables: SQLite FTS5 or PostgreSQL ``tsvector``.

Why not a search engine: the registry must run embedded (SQLite) and in production (PostgreSQL)
with nothing else to operate, and both databases ship a real full-text index. The index
definitions live here, are (re)created idempotently after every ``migrate`` (Django rebuilds
SQLite tables on some schema changes, which would drop triggers), and the query side turns the
user's words into prefix terms so that search-as-you-type works the same on both databases.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Model, Q, QuerySet
from django.db.models.expressions import RawSQL

#: table -> text columns that are indexed, most important first
SEARCHABLE: dict[str, tuple[str, ...]] = {
    "registry_cluster": ("name", "product", "place", "description"),
    "registry_organisation": ("name", "city", "description"),
    "registry_scheme": ("name", "acronym", "institution", "description"),
}

_TOKEN = re.compile(r"\w+", re.UNICODE)


def _sqlite_ddl(table: str, columns: tuple[str, ...]) -> list[str]:
    fts = f"{table}_fts"
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{table}', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def _postgres_ddl(table: str, columns: tuple[str, ...]) -> list[str]:
    weights = "ABCD"
    parts = " || ".join(
        f"setweight(to_tsvector('simple', coalesce({c}, '')), '{weights[min(i, 3)]}')"
        for i, c in enumerate(columns)
    )
    return [
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector "
        f"GENERATED ALWAYS AS ({parts}) STORED",
        f"CREATE INDEX IF NOT EXISTS {table}_search_idx ON {table} USING GIN (search_vector)",
    ]


def ensure_search_indexes(conn: BaseDatabaseWrapper | None = None) -> None:
    """Create the full-text indexes and their maintenance triggers if they are missing."""
    conn = conn or connection
    with conn.cursor() as cursor:
        existing = set(conn.introspection.table_names(cursor))
        for table, columns in SEARCHABLE.items():
            if table not in existing:
                continue
            if conn.vendor == "sqlite":
                statements = _sqlite_ddl(table, columns)
            elif conn.vendor == "postgresql":
                statements = _postgres_ddl(table, columns)
            else:  # pragma: no cover - other databases are not supported
                continue
            for sql in statements:
                cursor.execute(sql)


#: Words shorter than this match whole words only: a one-letter prefix ("s*") matches most of
#: the registry (35,804 of 50,000 organisations in the benchmark, 70-90 ms), which filters
#: nothing and costs the most.
MIN_PREFIX = 2


def _fts5_term(term: str) -> str:
    return f'"{term}"*' if len(term) >= MIN_PREFIX else f'"{term}"'


def _tsquery_term(term: str) -> str:
    return f"{term}:*" if len(term) >= MIN_PREFIX else term


def query_terms(text: str) -> list[str]:
    """The words of a search box, lower-cased; punctuation is ignored, not interpreted."""
    return [t.lower() for t in _TOKEN.findall(text or "")]


def matches(model: type[Model], text: str) -> Q:
    """A condition on ``model`` rows: their indexed text matches every word (as a prefix, for
    words of at least ``MIN_PREFIX`` characters).

    On PostgreSQL it is a predicate on the row's own ``tsvector`` column (no self-join, so the
    planner can use the GIN index); on SQLite the FTS5 table yields the matching row ids.
    """
    terms = query_terms(text)
    table = model._meta.db_table
    if table not in SEARCHABLE:
        raise ValueError(f"{table} has no full-text index")
    if connection.vendor == "postgresql":
        tsquery = " & ".join(_tsquery_term(t) for t in terms)
        return Q(
            RawSQL(
                f'"{table}"."search_vector" @@ to_tsquery(\'simple\', %s)',
                [tsquery],
                output_field=BooleanField(),
            )
        )
    match = " ".join(_fts5_term(t) for t in terms)
    return Q(pk__in=RawSQL(f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s", [match]))


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Restrict ``queryset`` to rows whose indexed text matches every word (as a prefix)."""
    if not query_terms(text):
        return queryset
    return queryset.filter(matches(queryset.model, text))

"""Reads of the sources catalogue."""

from __future__ import annotations

from django.db.models import QuerySet

from clusterobs.references.models import SourceDocument


def source_documents(kind: str = "") -> QuerySet[SourceDocument]:
    qs = SourceDocument.objects.all()
    return qs.filter(kind=kind) if kind else qs


def source_document(key: str) -> SourceDocument | None:
    return SourceDocument.objects.filter(key=key).first()


def cited_titles() -> list[tuple[str, str]]:
    """``(title, key)`` pairs, longest title first, so that a citation matches the most
    specific title it starts with."""
    pairs = SourceDocument.objects.values_list("title", "key")
    return sorted(pairs, key=lambda p: -len(p[0]))


def split_citation(text: str, titles: list[tuple[str, str]]) -> tuple[str, str, str] | None:
    """``(key, title, rest)`` when ``text`` cites a known title (``"<title>"`` or
    ``"<title>, <section>"``), else None."""
    for title, key in titles:
        if text == title or text.startswith(f"{title},"):
            return key, title, text[len(title) :]
    return None

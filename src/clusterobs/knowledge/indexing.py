"""Turn a file's bytes into the library's rows: passages with pages, language, vectors.

Pure preparation (no writes) is kept apart from storing, so an import can read and check every
file first and write all of them or none.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from clusterobs.knowledge import extraction, passages, semantic
from clusterobs.knowledge.models import Document, Passage
from clusterobs.knowledge.passages import PassageText

#: formats whose page numbers are real (the others get one "page" per explicit page break)
PAGED = {"application/pdf"}


@dataclass
class Prepared:
    """A file read and cut into passages, not yet stored."""

    name: str
    data: bytes
    content_hash: str
    extracted: extraction.Extracted
    language: str
    passages: list[PassageText]
    vectors: list[bytes | None] = field(default_factory=list)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prepare(name: str, data: bytes, *, embed: bool = True) -> Prepared:
    """Read ``data`` (file ``name``): text by page, language, passages, and their vectors when
    the semantic extra is installed. Raises ``ExtractionError`` naming the file."""
    extracted = extraction.extract(name, data)
    cut = passages.split_pages(extracted.pages, paged=extracted.media_type in PAGED)
    prepared = Prepared(
        name=name,
        data=data,
        content_hash=content_hash(data),
        extracted=extracted,
        language=passages.detect_language(extracted.text),
        passages=cut,
    )
    if embed:
        prepared.vectors = embed_passages(cut)
    return prepared


def embed_passages(cut: list[PassageText]) -> list[bytes | None]:
    """Vectors of each passage's windows (``semantic.windows``), stored together, or Nones
    without the semantic extra."""
    if not semantic.available():
        return [None] * len(cut)
    windows = [semantic.windows(p.heading, p.text) for p in cut]
    vectors = semantic.encode([w for group in windows for w in group])
    out: list[bytes | None] = []
    start = 0
    for group in windows:
        out.append(semantic.to_bytes(vectors[start : start + len(group)]))
        start += len(group)
    return out


def store_passages(document: Document, prepared: Prepared) -> int:
    """Replace the document's passages with the prepared ones; returns how many."""
    document.passages.all().delete()
    vectors = prepared.vectors or [None] * len(prepared.passages)
    Passage.objects.bulk_create(
        Passage(
            document=document,
            ordinal=i,
            page=p.page,
            heading=p.heading,
            text=p.text,
            embedding=vector,
        )
        for i, (p, vector) in enumerate(zip(prepared.passages, vectors, strict=True))
    )
    semantic.changed()
    return len(prepared.passages)

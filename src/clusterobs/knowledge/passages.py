"""Cut a document's pages into passages, and tell its language.

Why passages of about a paragraph or two (``TARGET_CHARS``): full-text ranking and sentence
embeddings both work best on a stretch of text that answers one question; a whole page mixes
topics, a single line loses its context. A passage never crosses a page, so it keeps one page
number, and it remembers the last heading above it (shown with the answer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: a passage grows paragraph by paragraph until it reaches this many characters
TARGET_CHARS = 700
#: a paragraph longer than this is cut at sentence ends
MAX_CHARS = 1500

_HEADING = re.compile(
    r"^(#{1,6}\s+.+|[IVX]+\.[IVX0-9.]*\s+\S.*|\d{1,2}(\.\d{1,2})*\.?\s+[A-Z].*|Annex\s+\d+.*)$"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


@dataclass(frozen=True)
class PassageText:
    page: int | None
    heading: str
    text: str


def _paragraphs(page: str) -> list[str]:
    """Paragraphs of a page: blank-line separated blocks; a heading line is its own block."""
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", page):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        current: list[str] = []
        for line in lines:
            if _is_heading(line):
                if current:
                    blocks.append(" ".join(current))
                    current = []
                blocks.append(line)
            else:
                current.append(line)
        if current:
            blocks.append(" ".join(current))
    return blocks


def _is_heading(line: str) -> bool:
    return len(line) <= 120 and bool(_HEADING.match(line)) and not line.endswith((",", ";"))


def _split_long(paragraph: str) -> list[str]:
    if len(paragraph) <= MAX_CHARS:
        return [paragraph]
    pieces, current = [], ""
    for sentence in _SENTENCE_END.split(paragraph):
        if current and len(current) + len(sentence) > TARGET_CHARS:
            pieces.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return pieces


def split_pages(pages: list[str], *, paged: bool = True) -> list[PassageText]:
    """Passages of ``pages`` in reading order; ``paged`` False gives them no page number."""
    passages: list[PassageText] = []
    heading = ""
    for number, page in enumerate(pages, start=1):
        current: list[str] = []
        for paragraph in _paragraphs(page):
            if _is_heading(paragraph):
                if current:
                    passages.append(_passage(number, paged, heading, current))
                    current = []
                heading = paragraph.lstrip("# ").strip()[:300]
                continue
            for piece in _split_long(paragraph):
                current.append(piece)
                if sum(len(p) for p in current) >= TARGET_CHARS:
                    passages.append(_passage(number, paged, heading, current))
                    current = []
        if current:
            passages.append(_passage(number, paged, heading, current))
    return passages


def _passage(number: int, paged: bool, heading: str, parts: list[str]) -> PassageText:
    return PassageText(page=number if paged else None, heading=heading, text="\n".join(parts))


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language (py3langid, 97 languages), "" when too short."""
    sample = " ".join(text.split())[:5000]
    if len(sample) < 20:
        return ""
    import py3langid

    code, _score = py3langid.classify(sample)
    return code

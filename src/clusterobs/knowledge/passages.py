"""Cut a document's pages into passages, and tell its language.

Why passages of about a paragraph or two (``TARGET_CHARS``): full-text ranking and sentence
embeddings both work best on a stretch of text that answers one question; a whole page mixes
topics, a single line loses its context. A passage never crosses a page, so it keeps one page
number, and it remembers the last heading above it (shown with the answer).

No text is lost on the way: a numbered list ("1. Align funding ...", "2. Enhance ...") looks
like a run of numbered headings, and a heading followed at once by another heading has no
passage of its own. Runs of numbered lines in one block are kept as text, and a heading left
without text beneath it is carried into the text of the next passage.
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
_NUMBERED = re.compile(r"^(\d{1,2})[.)]\s+\S")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


@dataclass(frozen=True)
class PassageText:
    page: int | None
    heading: str
    text: str


def _list_items(lines: list[str]) -> set[int]:
    """Indexes of lines in runs of consecutively numbered lines (1., 2., 3. ...): a list,
    whose items would otherwise each pass for a numbered heading."""
    numbers = [m and int(m.group(1)) for m in (_NUMBERED.match(line) for line in lines)]
    items: set[int] = set()
    for i in range(1, len(lines)):
        before, now = numbers[i - 1], numbers[i]
        if before is not None and now is not None and now == before + 1:
            items.update((i - 1, i))
    return items


def _paragraphs(page: str) -> list[tuple[str, bool]]:
    """Paragraphs of a page, each with whether it is a heading: blank-line separated blocks;
    a heading line is its own block; a numbered list stays text."""
    blocks: list[tuple[str, bool]] = []
    for block in re.split(r"\n\s*\n", page):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        items = _list_items(lines)
        current: list[str] = []
        for i, line in enumerate(lines):
            if i not in items and _is_heading(line):
                if current:
                    blocks.append((" ".join(current), False))
                    current = []
                blocks.append((line, True))
            else:
                current.append(line)
        if current:
            blocks.append((" ".join(current), False))
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
    #: headings with no text beneath them yet (a heading followed at once by another one)
    bare: list[str] = []
    heading_bare = False
    for number, page in enumerate(pages, start=1):
        current: list[str] = []
        for paragraph, is_heading in _paragraphs(page):
            if is_heading:
                if current:
                    passages.append(_passage(number, paged, heading, current))
                    current = []
                if heading and heading_bare:
                    bare.append(heading)
                heading, heading_bare = paragraph.lstrip("# ").strip(), True
                continue
            if bare:  # carried into the text, so that it stays searchable
                current.extend(bare)
                bare = []
            heading_bare = False
            for piece in _split_long(paragraph):
                current.append(piece)
                if sum(len(p) for p in current) >= TARGET_CHARS:
                    passages.append(_passage(number, paged, heading, current))
                    current = []
        if current:
            passages.append(_passage(number, paged, heading, current))
    if bare or (heading and heading_bare):  # the document ends with headings only
        passages.append(_passage(len(pages), paged, heading, [*bare, heading]))
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

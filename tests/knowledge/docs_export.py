"""The platform's own documentation exported to PDF and DOCX, as a writer would export it.

Markdown is parsed with markdown-it-py (CommonMark and tables). The PDF is laid out by
WeasyPrint (the platform's PDF engine) from the rendered HTML, images included; the page of
each heading comes from WeasyPrint's own layout (its bookmark tree, the PDF's outline), not
from the text extractor under test. The DOCX is written with python-docx: headings in the
Heading styles, lists, code and tables, and a page break before each second-level heading
(so its pages are known by construction; DOCX has no fixed pages otherwise).
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
#: a known phrase is the start of the first sentence of a section's first paragraph, this many
#: words at most: short enough to stay on the heading's page (headings are kept with the lines
#: after them), and within one sentence, since a long paragraph is cut into passages at
#: sentence ends (where the cut falls moves as the docs change)
PHRASE_WORDS = 10


@dataclass
class Section:
    """A heading of the document and the opening words of the paragraph right under it."""

    level: int
    title: str
    opening: str  # "" when the heading is not followed by a paragraph
    sentence: str  # the paragraph's first sentence ("" likewise)
    docx_page: int = 0  # 1-based page in the DOCX export (page breaks before level-2 headings)


@dataclass
class Exported:
    name: str
    title: str
    sections: list[Section] = field(default_factory=list)
    pdf: bytes = b""
    pdf_pages: int = 0
    pdf_heading_pages: dict[str, int] = field(default_factory=dict)  # title -> 1-based page
    docx: bytes = b""
    docx_pages: int = 0


def squash(text: str) -> str:
    """Text compared across formats: compatibility forms (ligatures), lower case, no white
    space (a PDF line may end anywhere, also inside "SHA-256")."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def _plain(inline: Any) -> str:
    """The visible text of an inline token (code spans and link texts kept, markup dropped)."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def sections(markdown: str) -> list[Section]:
    tokens = _parser().parse(markdown)
    found: list[Section] = []
    page = 1
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        level = int(token.tag[1])
        if level == 2 and found:
            page += 1
        title = _plain(tokens[i + 1])
        opening = sentence = ""
        if i + 4 < len(tokens) and tokens[i + 3].type == "paragraph_open":
            text = _plain(tokens[i + 4])
            sentence = re.split(r"(?<=[.!?:])\s", text)[0]
            opening = " ".join(sentence.split()[:PHRASE_WORDS])
        found.append(Section(level, title, opening, sentence, docx_page=page))
    return found


def to_pdf(markdown: str, title: str) -> tuple[bytes, int, dict[str, int]]:
    """The PDF, its page count and the 1-based page of each heading, from WeasyPrint's layout."""
    from weasyprint import HTML

    body = _parser().render(markdown)
    html = f"<html><head><title>{title}</title></head><body>{body}</body></html>"
    document = HTML(string=html, base_url=str(REPO) + "/").render()
    pages: dict[str, int] = {}

    def walk(tree: list) -> None:
        for label, target, children, _state in tree:
            pages.setdefault(" ".join(label.split()), target[0] + 1)
            walk(children)

    walk(document.make_bookmark_tree())
    return document.write_pdf(), len(document.pages), pages


def to_docx(markdown: str, title: str) -> tuple[bytes, int]:
    """The DOCX and its number of pages (one more than the page breaks it holds)."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    tokens = _parser().parse(markdown)
    breaks, lists, i = 0, [], 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            level = int(token.tag[1])
            if level == 2 and len(document.paragraphs) > 0:
                document.add_page_break()
                breaks += 1
            document.add_heading(_plain(tokens[i + 1]), level=min(level, 9))
            i += 3
            continue
        if token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append("List Number" if token.type == "ordered_list_open" else "List Bullet")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "inline" and tokens[i - 1].type == "paragraph_open":
            document.add_paragraph(_plain(token), style=lists[-1] if lists else None)
        elif token.type in ("fence", "code_block"):
            document.add_paragraph(token.content.rstrip("\n"))
        elif token.type == "table_open":
            i = _table(document, tokens, i)
            continue
        i += 1
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), breaks + 1


def _table(document: Any, tokens: list, start: int) -> int:
    """Write the Markdown table starting at ``tokens[start]``; returns the index after it."""
    rows: list[list[str]] = []
    i = start
    while tokens[i].type != "table_close":
        if tokens[i].type == "tr_open":
            rows.append([])
        elif tokens[i].type == "inline":
            rows[-1].append(_plain(tokens[i]))
        i += 1
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    return i + 1


def export(relative: str) -> Exported:
    """``relative`` (a Markdown file of the repository) exported to PDF and DOCX."""
    markdown = (REPO / relative).read_text(encoding="utf-8")
    found = sections(markdown)
    title = found[0].title if found and found[0].level == 1 else Path(relative).stem
    pdf, pdf_pages, heading_pages = to_pdf(markdown, title)
    docx_bytes, docx_pages = to_docx(markdown, title)
    return Exported(
        name=Path(relative).stem,
        title=title,
        sections=found,
        pdf=pdf,
        pdf_pages=pdf_pages,
        pdf_heading_pages=heading_pages,
        docx=docx_bytes,
        docx_pages=docx_pages,
    )

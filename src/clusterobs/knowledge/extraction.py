"""Text out of a file, page by page: PDF (pypdf), DOCX (python-docx), HTML (the standard
library's parser), Markdown and plain text.

Why pages: an answer shows the passage *and* opens the document where it stands, so the page a
text came from is kept from the start. Formats without pages (DOCX, HTML, Markdown, text) give
one "page" per explicit page break (a DOCX page break, a form feed), else one page in all.
Every failure is an ``ExtractionError`` whose message names the file and says what to do.
"""

from __future__ import annotations

import html.parser
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: suffix -> media type of the formats the library reads
MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".html": "text/html",
    ".htm": "text/html",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".txt": "text/plain",
}
#: A file larger than this is refused before it is read (a whole book is ~10 MB of PDF).
MAX_BYTES = 50 * 1024 * 1024
#: Fewer extracted characters per page than this and the PDF is taken for a scan.
MIN_CHARS_PER_PAGE = 5


class ExtractionError(ValueError):
    """The file cannot be read as a document; the message names the file."""


@dataclass(frozen=True)
class Extracted:
    """The text of a file: ``pages[i]`` is page i+1; ``title`` if the file names one."""

    pages: list[str]
    media_type: str
    title: str = ""

    @property
    def text(self) -> str:
        return "\n\n".join(self.pages)


def media_type(name: str) -> str:
    """The media type for a file name, or ``ExtractionError`` for a format the library skips."""
    suffix = Path(name).suffix.lower()
    if suffix not in MEDIA_TYPES:
        raise ExtractionError(
            f"{name}: unsupported format {suffix or '(no suffix)'}; the library reads "
            f"{', '.join(sorted(MEDIA_TYPES))}."
        )
    return MEDIA_TYPES[suffix]


def extract(name: str, data: bytes) -> Extracted:
    """Extract the text of ``data`` (the content of file ``name``), page by page."""
    kind = media_type(name)
    if len(data) > MAX_BYTES:
        raise ExtractionError(
            f"{name}: {len(data) / 1e6:.0f} MB is over the library's limit of "
            f"{MAX_BYTES // (1024 * 1024)} MB; split the document or compress its images."
        )
    if not data.strip():
        raise ExtractionError(f"{name}: the file is empty.")
    reader = {
        "application/pdf": _pdf,
        MEDIA_TYPES[".docx"]: _docx,
        "text/html": _html,
    }.get(kind, _text)
    extracted = reader(name, data)
    if not any(page.strip() for page in extracted.pages):
        raise ExtractionError(f"{name}: no text found in the file.")
    return Extracted(pages=extracted.pages, media_type=kind, title=extracted.title)


def _pdf(name: str, data: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PdfStreamError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError(f"{name}: the PDF is password-protected.")
        pages = [_clean(page.extract_text() or "") for page in reader.pages]
        title = str((reader.metadata or {}).get("/Title") or "")
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, OSError) as exc:
        if isinstance(exc, ExtractionError):
            raise
        raise ExtractionError(f"{name}: not a readable PDF ({exc}).") from exc
    if not pages:
        raise ExtractionError(f"{name}: the PDF has no pages.")
    if sum(len(p) for p in pages) < MIN_CHARS_PER_PAGE * len(pages):
        raise ExtractionError(
            f"{name}: the PDF has {len(pages)} page(s) but (almost) no text layer; it looks "
            "scanned. Run it through OCR (e.g. ocrmypdf) and import the result."
        )
    return Extracted(pages=pages, media_type="application/pdf", title=title)


def _docx(name: str, data: bytes) -> Extracted:
    import zipfile

    import docx
    import docx.table
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExtractionError(f"{name}: not a readable DOCX file ({exc}).") from exc
    footnotes = _notes(document, "footnotes", "footnote")
    endnotes = _notes(document, "endnotes", "endnote")
    pages: list[list[str]] = [[]]
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                pages[-1].append(" | ".join(cell.text.strip() for cell in row.cells))
            continue
        if block.paragraph_format.page_break_before and pages[-1]:
            pages.append([])
        line: list[str] = []
        notes: list[str] = []
        for node in block._p.iter():
            if node.tag == qn("w:t"):
                line.append(node.text or "")
            elif node.tag == qn("w:br") and node.get(qn("w:type")) == "page":
                pages[-1].append("".join(line).strip())
                pages.append([])
                line = []
            elif node.tag == qn("w:footnoteReference"):
                notes.append(footnotes.get(node.get(qn("w:id")) or "", ""))
        pages[-1].append("".join(line).strip())
        pages[-1].extend(n for n in notes if n)  # a footnote stands on its reference's page
    pages[-1].extend(endnotes.values())  # endnotes stand at the end of the document
    title = document.core_properties.title or ""
    return Extracted(pages=[_clean("\n".join(p)) for p in pages], media_type="", title=title)


def _notes(document: Any, part_name: str, tag: str) -> dict[str, str]:
    """The text of a DOCX's footnotes or endnotes by id (python-docx reads neither; without
    this their text, often the sources and links of a report, would be lost). Word's
    separator notes are left out."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn
    from lxml import etree

    reltype = RT.FOOTNOTES if part_name == "footnotes" else RT.ENDNOTES
    try:
        part = document.part.part_related_by(reltype)
    except KeyError:
        return {}
    root = etree.fromstring(part.blob)
    found: dict[str, str] = {}
    for note in root.iter(qn(f"w:{tag}")):
        if note.get(qn("w:type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        text = " ".join("".join(t.text or "" for t in note.iter(qn("w:t"))).split())
        if text:
            found[note.get(qn("w:id")) or ""] = text
    return found


class _HTMLText(html.parser.HTMLParser):
    """Visible text of an HTML page, block elements as line breaks, scripts and styles out."""

    SKIP = {"script", "style", "noscript", "template"}
    #: elements that end a line; table cells too, or "<td>Textiles</td><td>Leather</td>"
    #: would read "TextilesLeather" and neither word could be found
    BLOCK = {
        "p", "div", "br", "hr", "li", "dt", "dd", "tr", "td", "th", "caption", "table", "ul",
        "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header",
        "footer", "main", "nav", "aside", "blockquote", "pre", "figure", "figcaption",
        "address", "details", "summary",
    }  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data)


def _decode(name: str, data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractionError(f"{name}: the text is neither UTF-8 nor Windows-1252.")


def _html(name: str, data: bytes) -> Extracted:
    parser = _HTMLText()
    parser.feed(_decode(name, data))
    text = _clean("".join(parser.parts))
    return Extracted(pages=[text], media_type="text/html", title=parser.title.strip())


def _text(name: str, data: bytes) -> Extracted:
    text = _decode(name, data)
    if "\x00" in text:
        raise ExtractionError(f"{name}: binary content in a text file.")
    title = ""
    first = text.lstrip().split("\n", 1)[0]
    if first.startswith("# "):
        title = first[2:].strip()
    pages = [_clean(page) for page in text.split("\f")]
    return Extracted(pages=pages, media_type="", title=title)


_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANKS = re.compile(r"\n\s*\n\s*(\n\s*)+")


def _clean(text: str) -> str:
    text = _SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _BLANKS.sub("\n\n", text).strip()

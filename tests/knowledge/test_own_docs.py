"""The platform's own documentation exported to PDF and DOCX and re-imported (issue 18, "Done
means"): through the real import service and search, the page count, the page of known
sentences and the page of a search answer are checked against the exporter's own layout.

The known sentences are the opening words of each section of the Markdown source (read at
run time, so the test follows the docs as they change); their expected page in the PDF is
the page WeasyPrint put the section's heading on (headings are kept with the lines after
them); in the DOCX it is the page after the n-th page break (one before each second-level
heading).
"""

from __future__ import annotations

import pytest

from clusterobs.knowledge import extraction, selectors, services
from clusterobs.knowledge.models import Document
from tests.knowledge.docs_export import Exported, export, squash

DOCS = ("README.md", "docs/knowledge.md")
#: sections whose page is checked, at least, per document
MIN_CHECKED = 4


@pytest.fixture(scope="module")
def exported() -> dict[str, Exported]:
    return {relative: export(relative) for relative in DOCS}


def _unique(item: Exported, markdown_phrase: str) -> bool:
    """The phrase stands once in the whole export (else its page is ambiguous)."""
    texts = [squash(s.opening) for s in item.sections]
    return texts.count(squash(markdown_phrase)) == 1


def _import(users, name: str, data: bytes) -> Document:
    report = services.import_files(user=users["editor"], files=[(name, data)])
    (document,) = report.added
    return document


def _checked_sections(item: Exported, pages: dict[str, int] | None = None) -> list:
    return [
        s
        for s in item.sections
        if len(s.opening.split()) >= 5
        and _unique(item, s.opening)
        and (pages is None or s.title in pages)
    ]


@pytest.mark.parametrize("relative", DOCS)
def test_pdf_export_reimported_with_its_pages(exported, users, relative):
    item = exported[relative]
    document = _import(users, f"{item.name}.pdf", item.pdf)
    assert document.media_type == "application/pdf"
    assert document.title == item.title and document.language == "en"
    assert item.pdf_pages >= 3  # a real multi-page export, not a one-pager
    assert document.page_count == item.pdf_pages
    passages = list(document.passages.order_by("ordinal"))
    assert [p.page for p in passages] == sorted(p.page for p in passages)  # reading order
    assert {p.page for p in passages} <= set(range(1, item.pdf_pages + 1))
    checked = _checked_sections(item, item.pdf_heading_pages)
    assert len(checked) >= MIN_CHECKED
    for section in checked:
        where = {p.page for p in passages if squash(section.opening) in squash(p.text)}
        expected = item.pdf_heading_pages[section.title]
        assert where == {expected}, (section.title, section.opening, where, expected)


@pytest.mark.parametrize("relative", DOCS)
def test_docx_export_reimported_with_its_page_breaks(exported, users, relative):
    item = exported[relative]
    document = _import(users, f"{item.name}.docx", item.docx)
    assert document.title == item.title and document.language == "en"
    assert document.page_count == item.docx_pages >= 3
    # DOCX pages are explicit breaks, not laid-out pages: passages carry no page number
    assert set(document.passages.values_list("page", flat=True)) == {None}
    pages = [squash(page) for page in extraction.extract("x.docx", item.docx).pages]
    checked = _checked_sections(item)
    assert len(checked) >= MIN_CHECKED
    for section in checked:
        where = [n for n, text in enumerate(pages, start=1) if squash(section.opening) in text]
        assert where == [section.docx_page], (section.title, where, section.docx_page)
    texts = [squash(p.text) for p in document.passages.all()]
    assert all(any(squash(s.opening) in t for t in texts) for s in checked)


def test_search_answers_with_the_page_of_the_exported_pdf(exported, users):
    """Both formats of both documents in one library; a search for a section's first
    sentence answers, among its first five passages, with the PDF passage on the page of
    the section's heading."""
    documents = {}
    for relative, item in exported.items():
        documents[relative] = _import(users, f"{item.name}.pdf", item.pdf)
        _import(users, f"{item.name}.docx", item.docx)
    asked = 0
    for relative, item in exported.items():
        for section in _checked_sections(item, item.pdf_heading_pages)[:3]:
            result = selectors.search(users["viewer"], section.sentence, limit=5)
            pages = [
                h.passage.page
                for h in result.hits
                if h.document == documents[relative]
                and squash(section.opening) in squash(h.passage.text)
            ]
            assert pages == [item.pdf_heading_pages[section.title]], (section.sentence, pages)
            asked += 1
    assert asked >= 6

"""Fixtures of the knowledge tests: files of every format made on the spot, a library."""

from __future__ import annotations

import io

import pytest

from tests.programmes.conftest import programme, reference  # noqa: F401 (shared fixtures)


@pytest.fixture(autouse=True)
def library_in_tmp(settings, tmp_path):
    """Stored files of each test go to its own media directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def make_pdf(pages: list[str], title: str = "") -> bytes:
    """A real PDF with one text page per item (fpdf2, core font)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    if title:
        pdf.set_title(title)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def make_blank_pdf(pages: int = 2) -> bytes:
    """A PDF with pages but no text layer (as a scan without OCR looks to a text extractor)."""
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.rect(20, 20, 100, 150, style="F")
    return bytes(pdf.output())


def make_docx(pages: list[list[str]], title: str = "") -> bytes:
    """A DOCX with a page break between the pages, paragraphs as given."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.core_properties.title = title
    for i, paragraphs in enumerate(pages):
        for text in paragraphs:
            document.add_paragraph(text)
        if i < len(pages) - 1:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

"""Text extraction of every format, page numbers, bad files (no database)."""

from __future__ import annotations

import os
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterobs.knowledge import extraction, passages
from clusterobs.knowledge.extraction import ExtractionError, extract
from tests.knowledge.conftest import make_blank_pdf, make_docx, make_pdf

PAGE_ONE = "Common facility centres give small foundries access to testing equipment."
PAGE_TWO = "The diagnostic study maps the leather footwear value chain in Agra."
PAGE_THREE = "Trust building among firms comes before joint investment in the cluster."


def test_pdf_pages_and_title():
    data = make_pdf([PAGE_ONE, PAGE_TWO, PAGE_THREE], title="Foundry note")
    result = extract("note.pdf", data)
    assert result.media_type == "application/pdf"
    assert result.title == "Foundry note"
    assert len(result.pages) == 3
    assert "testing equipment" in result.pages[0]
    assert "leather footwear" in result.pages[1]
    assert "joint investment" in result.pages[2]
    cut = passages.split_pages(result.pages)
    assert [p.page for p in cut if "value chain" in p.text] == [2]


def test_docx_page_breaks_and_tables():
    data = make_docx([[PAGE_ONE, "Second paragraph."], [PAGE_TWO]], title="Agra DSR")
    result = extract("dsr.docx", data)
    assert result.title == "Agra DSR"
    assert len(result.pages) == 2
    assert "Second paragraph." in result.pages[0]
    assert "value chain" in result.pages[1]
    assert "value chain" not in result.pages[0]


def test_html_visible_text_only():
    html = (
        "<html><head><title>Cluster guide</title><style>p{color:red}</style>"
        "<script>var secret = 1;</script></head><body><h1>Guide</h1>"
        f"<p>{PAGE_ONE}</p><p>Caf&eacute; owners &amp; firms</p></body></html>"
    )
    result = extract("guide.html", html.encode())
    assert result.title == "Cluster guide"
    assert "testing equipment" in result.text
    assert "Café owners & firms" in result.text
    assert "secret" not in result.text and "color" not in result.text


def test_markdown_and_text_form_feed_pages():
    result = extract("notes.md", f"# Lessons\n\n{PAGE_ONE}\n".encode())
    assert result.title == "Lessons"
    assert result.media_type == "text/markdown"
    text = extract("plain.txt", f"{PAGE_ONE}\f{PAGE_TWO}".encode("cp1252"))
    assert len(text.pages) == 2 and "value chain" in text.pages[1]


def test_unpaged_formats_have_no_page_numbers_but_pdf_does():
    from clusterobs.knowledge.indexing import prepare

    assert {p.page for p in prepare("a.md", PAGE_ONE.encode(), embed=False).passages} == {None}
    pdf = prepare("a.pdf", make_pdf([PAGE_ONE]), embed=False)
    assert {p.page for p in pdf.passages} == {1}


def test_scanned_pdf_gives_a_clear_message():
    with pytest.raises(ExtractionError, match=r"scan\.pdf: .*no text layer.*OCR"):
        extract("scan.pdf", make_blank_pdf())


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", r"broken\.pdf: not a readable PDF"),
        ("broken.docx", b"PK\x03\x04 not a zip", r"broken\.docx: not a readable DOCX"),
        ("empty.txt", b"   ", r"empty\.txt: the file is empty"),
        ("image.png", b"\x89PNG", r"image\.png: unsupported format \.png"),
        ("binary.txt", b"abc\x00def", r"binary\.txt: binary content"),
    ],
)
def test_bad_files_are_refused_with_the_file_named(name, data, message):
    with pytest.raises(ExtractionError, match=message):
        extract(name, data)


def test_oversized_file_is_refused(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_BYTES", 1000)
    with pytest.raises(ExtractionError, match=r"big\.txt: .*over the library's limit"):
        extract("big.txt", b"x" * 1001)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Les pôles de compétitivité rassemblent des entreprises et des laboratoires.", "fr"),
        ("Clusters bring together firms, universities and public agencies in one place.", "en"),
        ("Die Clusterinitiative fördert die Zusammenarbeit kleiner Unternehmen.", "de"),
        ("Los clústeres reúnen a empresas y universidades de una misma región.", "es"),
    ],
)
def test_language_detection(text, language):
    assert passages.detect_language(text) == language


def test_passages_keep_headings_and_stay_within_a_page():
    pages = [
        "I. Introduction\n\n" + ("Clusters grow. " * 80),
        "II. Funding\n\nPublic agencies fund most cluster initiatives.",
    ]
    cut = passages.split_pages(pages)
    assert cut[0].heading == "I. Introduction"
    assert cut[-1].heading == "II. Funding" and cut[-1].page == 2
    assert all(len(p.text) <= passages.MAX_CHARS + passages.TARGET_CHARS for p in cut)


def test_a_numbered_list_stays_text_under_its_heading():
    """Seen on the INDIA GATE report: the eight numbered actions of "3. Recommendations" each
    passed for a numbered heading, replaced the one before, and seven were in no passage."""
    page = (
        "3. Recommendations\n\nThe eight actions proposed are:\n\n"
        "1. Align funding priorities in the EU budget with competitiveness\n"
        "2. Enhance cluster-related framework conditions\n"
        "3. Review current profile of funding recipients\n\n"
        "4. Next section\n\nMore text."
    )
    cut = passages.split_pages([page])
    first = next(p for p in cut if "Align funding" in p.text)
    assert first.heading == "3. Recommendations"
    assert "Enhance cluster-related" in first.text and "Review current profile" in first.text
    assert cut[-1].heading == "4. Next section"


def test_a_heading_without_text_beneath_it_stays_searchable():
    cut = passages.split_pages(["II. Funding\nIII. Results\nGrants rose.", "IV. Annex only"])
    assert [(p.heading, p.text) for p in cut] == [
        ("III. Results", "II. Funding\nGrants rose."),
        ("IV. Annex only", "IV. Annex only"),
    ]


_LINES = st.one_of(
    st.sampled_from(["", "I. Introduction", "II. Funding", "# Title", "Annex 2 Tables"]),
    st.builds(lambda n, w: f"{n}. {w}", st.integers(1, 12), st.sampled_from(["Align", "Review"])),
    st.text(alphabet="abc XYZ.,;12", min_size=1, max_size=30),
)


@settings(
    max_examples=int(os.environ.get("CLUSTEROBS_FUZZ_EXAMPLES", "200")),
    derandomize=os.environ.get("CI", "").lower() == "true",
    deadline=None,
)
@given(st.lists(st.lists(_LINES, max_size=12).map("\n".join), min_size=1, max_size=3))
def test_every_word_of_a_page_lands_in_a_passage(pages):
    """Whatever the mix of headings, numbered lines and text, every word of the pages is in
    some passage's heading or text, as often as it occurs (no line is dropped)."""
    cut = passages.split_pages(pages)
    words = Counter(w for page in pages for w in re.findall(r"\w+", page))
    kept = Counter(w for p in cut for w in re.findall(r"\w+", f"{p.heading} {p.text}"))
    assert not words - kept


def _with_notes(data: bytes, marker: str) -> bytes:
    """``data`` (a DOCX) with a footnote referenced after ``marker`` and one endnote: Word's
    own parts (python-docx cannot write notes)."""
    import io as _io
    import zipfile

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    sep = '<w:{0} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{0}>'
    parts = {
        "footnotes": f'<w:footnotes {w}>{sep.format("footnote")}<w:footnote w:id="1"><w:p><w:r>'
        "<w:t>Source: annual report of the ministry, 2012.</w:t></w:r></w:p></w:footnote>"
        "</w:footnotes>",
        "endnotes": f'<w:endnotes {w}>{sep.format("endnote")}<w:endnote w:id="1"><w:p><w:r>'
        "<w:t>Glossary of cluster terms.</w:t></w:r></w:p></w:endnote></w:endnotes>",
    }
    out = _io.BytesIO()
    with zipfile.ZipFile(_io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if not item.filename.endswith((".xml", ".rels")):  # e.g. the thumbnail
                dst.writestr(item, src.read(item.filename))
                continue
            body = src.read(item.filename).decode()
            if item.filename == "word/document.xml":
                body = body.replace(
                    f"{marker}</w:t></w:r>",
                    f'{marker}</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>',
                )
            elif item.filename == "word/_rels/document.xml.rels":
                rels = "".join(
                    f'<Relationship Id="rId{k}9" Type="http://schemas.openxmlformats.org/'
                    f'officeDocument/2006/relationships/{k}" Target="{k}.xml"/>'
                    for k in parts
                )
                body = body.replace("</Relationships>", rels + "</Relationships>")
            elif item.filename == "[Content_Types].xml":
                types = "".join(
                    f'<Override PartName="/word/{k}.xml" ContentType="application/vnd.'
                    f'openxmlformats-officedocument.wordprocessingml.{k}+xml"/>'
                    for k in parts
                )
                body = body.replace("</Types>", types + "</Types>")
            dst.writestr(item, body)
        for k, xml in parts.items():
            dst.writestr(f"word/{k}.xml", xml)
    return out.getvalue()


def test_docx_footnotes_and_endnotes_are_text_on_their_pages():
    """python-docx reads neither footnotes nor endnotes; a report's sources live there."""
    data = _with_notes(make_docx([[PAGE_ONE], [PAGE_TWO]]), "Agra.")
    pages = extract("notes.docx", data).pages
    assert "annual report of the ministry" in pages[1]
    assert "annual report" not in pages[0] and "separator" not in " ".join(pages)
    assert pages[-1].endswith("Glossary of cluster terms.")


def test_html_table_cells_and_list_items_stay_apart():
    """ "<td>Textiles</td><td>Leather</td>" read "TextilesLeather": neither word was found."""
    page = extract(
        "t.html",
        b"<html><body><table><tr><th>Sector</th><td>Textiles</td><td>Leather</td></tr></table>"
        b"<dl><dt>Agra</dt><dd>Footwear</dd></dl><blockquote>Quoted</blockquote>after</body></html>",
    ).pages[0]
    words = page.split()
    assert {"Sector", "Textiles", "Leather", "Agra", "Footwear", "Quoted", "after"} <= set(words)

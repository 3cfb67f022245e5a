"""End to end in headless Chromium: search the library, read the best passage, open the
document at its page (the PDF served by the platform, with access checks)."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, expect

from tests.knowledge.conftest import make_pdf

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

PAGES = [
    "Cluster diagnostic study of the Agra footwear cluster: firms, workers and markets.",
    "Common facility centres were funded mostly by public agencies, with a small share "
    "from the firms themselves; the centre tests leather for chromium.",
    "Lessons: build trust among entrepreneurs before asking them to invest together.",
]


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 1000}, base_url=live_server.url
    )
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((live_server.url, "data:")) else outside.append(r.url),
    )
    yield page
    context.close()
    assert outside == [], f"page requested external URLs: {outside}"


def test_search_passage_then_document_at_its_page(page: Page, users, registry) -> None:
    from pypdf import PdfReader

    from clusterobs.knowledge import services

    services.import_files(
        user=users["editor"],
        files=[("agra-dsr.pdf", make_pdf(PAGES, title="Agra footwear diagnostic study"))],
        metadata={"doc_type": "diagnostic_study", "year": 2019, "country": "IN"},
    )
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Library").click()
    expect(page.get_by_role("heading", name="Library", level=1)).to_be_visible()
    page.get_by_label("Question or words").fill("who funds common facility centres")
    page.get_by_role("button", name="Search").click()
    hit = page.locator("li.hit").first
    expect(hit).to_contain_text("Agra footwear diagnostic study")
    expect(hit).to_contain_text("page 2")
    expect(hit.locator("blockquote")).to_contain_text("public agencies")
    expect(page.locator("a[data-facet='type']")).to_contain_text("Diagnostic study")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "library-search.png"), full_page=True)
    link = hit.get_by_role("link", name="Open the document at page 2")
    href = link.get_attribute("href") or ""
    assert re.fullmatch(r"/library/documents/\d+/file/#page=2", href)
    response = page.request.get(href.split("#")[0])
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.body()))
    assert "public agencies" in pdf.pages[1].extract_text()
    # the document page shows the same passage under its page number
    hit.get_by_role("link", name="Agra footwear diagnostic study").click()
    expect(page.locator("#passage-1")).to_contain_text("Page 2")
    expect(page.locator("#passage-1")).to_contain_text("public agencies")

"""What several test modules share and fixtures cannot hand over: where things are, and the one
air-gapped browser page (the ``page`` fixture in ``conftest.py`` is built on it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

REPO = Path(__file__).resolve().parents[1]
#: the full public datasets beside the checkout (the ``shared_data`` fixture skips without them)
SHARED_DATA = REPO.parent / "shared" / "data"
#: small public files kept with the tests (see tests/fixtures/SOURCE.md)
FIXTURES = REPO / "tests" / "fixtures"
#: screenshots of the browser tests
ARTIFACTS = REPO / "test-artifacts"


@contextmanager
def air_gapped_page(
    browser: Browser,
    base_url: str,
    *,
    width: int = 1280,
    height: int = 900,
    fail_on_js_errors: bool = False,
) -> Iterator[Page]:
    """A fresh page on ``base_url``; the test fails if the page requested anything outside the
    server (air-gapped by design: a CDN or tile URL is a bug), and with ``fail_on_js_errors``
    if a script raised."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, base_url=base_url, accept_downloads=True
    )
    page = context.new_page()
    outside: list[str] = []
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: None if r.url.startswith((base_url, "data:", "blob:")) else outside.append(r.url),
    )
    yield page
    context.close()
    assert outside == [], f"page requested external URLs: {outside}"
    if fail_on_js_errors:
        assert errors == [], f"JavaScript errors: {errors}"


def screenshot(page: Page, name: str) -> None:
    """A full-page screenshot into ``test-artifacts/<name>.png`` (for the docs and reviewers)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

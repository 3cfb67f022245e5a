"""End to end in headless Chromium: post a partner search, see a suggested partner, express
interest, accept it, and schedule a bilateral meeting at an event (two users, two browsers)."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support import ARTIFACTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def _login(
    browser: Browser, live_server, username: str, password: str
) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    return context, page


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"collaboration-{name}.png"), full_page=True)


def test_partner_search_to_scheduled_meeting(browser: Browser, live_server, collab, event, users):
    from clusterobs.collaboration.services import events as event_services

    event_services.register(event=event, organisation=collab["other"], user=users["other_manager"])
    ctx_a, a = _login(browser, live_server, "manager", "pw-manager-123")
    ctx_b, b = _login(browser, live_server, "other_manager", "pw-other-123")
    try:
        # A posts a partner search and gets B as a suggested partner, with reasons
        a.goto("/collaboration/requests/new/")
        a.get_by_label("Title").fill("Partner for leather tanning technology")
        a.get_by_label("Technologies (comma separated)").fill("leather tanning")
        a.get_by_label("Sector or cluster codes (e.g. USCMP:23, comma separated)").fill("USCMP:25")
        a.get_by_role("button", name="Publish").click()
        a.wait_for_url("**/collaboration/requests/*/")
        suggestion = a.locator(".suggestions > li").first
        expect(suggestion.locator(".suggestion-name")).to_have_text(
            "Coimbatore Foundry Cluster Organisation"
        )
        expect(suggestion).to_contain_text("offers what you need: leather tanning machinery")
        _shot(a, "1-request-suggestions")
        request_url = a.url

        # B expresses interest (no e-mail address is shown anywhere)
        b.goto(request_url)
        b.get_by_label("Message").fill("We build tanning machinery.")
        b.get_by_role("button", name="Express interest").click()
        expect(b.get_by_role("status").first).to_contain_text("Your interest was sent")
        assert "@example.org" not in b.content()

        # A accepts the contact
        a.goto("/collaboration/contacts/")
        a.get_by_role(
            "link", name="Coimbatore Foundry Cluster Organisation → Agra Footwear"
        ).click()
        a.get_by_role("button", name="Accept").click()
        expect(a.locator("#contact-status")).to_have_text("Accepted")
        assert "@example.org" not in a.content()
        _shot(a, "2-contact-accepted")

        # A registers at the event and asks B for a meeting; B accepts and schedules it
        a.goto(f"/collaboration/events/{event.slug}/")
        a.get_by_role("button", name="Register").click()
        a.get_by_role("button", name="Request meeting").click()
        expect(a.get_by_role("status").first).to_contain_text("Meeting requested")
        b.goto(f"/collaboration/events/{event.slug}/")
        b.get_by_role("button", name="Accept meeting").click()
        b.get_by_role("button", name="Schedule").click()
        expect(b.get_by_role("status").first).to_contain_text("Meeting scheduled")
        expect(b.locator(".schedule .meeting").first).to_have_text(
            "Agra Footwear Association – Coimbatore Foundry Cluster Organisation"
        )
        _shot(b, "3-meeting-scheduled")
    finally:
        ctx_a.close()
        ctx_b.close()

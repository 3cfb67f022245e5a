"""End to end in headless Chromium: the benchmarking report renders (charts, groups, findings);
a manager goes from the questionnaire to a submitted assessment and its report; an assessor
scores an application and a label admin decides it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.excellence.conftest import answer_all, generate_population

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

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
    page.screenshot(path=str(ARTIFACTS / f"excellence-{name}.png"), full_page=True)


def test_report_renders_with_charts_groups_and_findings(browser, live_server, world, frameworks):
    from clusterobs.excellence import assessments

    fw = frameworks["cluster-benchmark"]
    generate_population(fw, 60, countries=("IN", "DE"))
    a = assessments.start(user=world["manager"], organisation=world["org"], framework=fw, year=2026)
    answer_all(a, {"management_fte": "1", "strategy_written": "no"})
    assessments.submit(user=world["manager"], assessment=a)
    ctx, page = _login(browser, live_server, "manager", "pw-manager-123")
    try:
        page.goto(f"/excellence/assessments/{a.pk}/report/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Benchmarking report")
        expect(page.locator("svg.radar polygon.radar-own")).to_be_visible()
        assert page.locator("svg.radar text.radar-label").count() == 6
        expect(page.locator("#bench-table tbody tr")).to_have_count(36)
        assert page.locator("#bench-table svg.distribution circle.own-value").count() >= 30
        expect(page.locator(".group-all")).to_contain_text("61 organisations")
        expect(page.locator("#recommendations")).to_contain_text("triggered by: 1 FTE < 2 FTE")
        expect(page.locator("#recommendations")).to_contain_text("answered no")
        # the nav marks the section
        expect(page.locator("nav a[aria-current=page]")).to_have_text("Excellence")
        _shot(page, "report")
        pdf = page.request.get(f"/excellence/assessments/{a.pk}/report.pdf")
        assert pdf.ok and pdf.body()[:5] == b"%PDF-"
    finally:
        ctx.close()


def test_manager_from_questionnaire_to_submitted_assessment_and_report(
    browser, live_server, world, frameworks
):
    fw = frameworks["cluster-benchmark"]
    generate_population(fw, 15)
    ctx, page = _login(browser, live_server, "manager", "pw-manager-123")
    try:
        page.goto("/excellence/")
        page.get_by_label("Organisation").select_option(label="Agra Footwear Association")
        page.get_by_label("Framework").select_option(label=str(fw))
        page.get_by_label("Year").fill("2026")
        page.get_by_role("button", name="Open the questionnaire").click()
        page.wait_for_url("**/excellence/assessments/*/")
        members = page.locator("#q-members_total")
        expect(page.locator("#value_members_total")).to_have_value("140")
        expect(members).to_contain_text("Source: Registry profile of Agra Footwear Association")
        _shot(page, "questionnaire-prefilled")
        # an invalid answer is refused and named; the others are kept (save and resume)
        page.locator("#value_members_foreign_share").fill("150")
        page.locator("#value_awards").fill("2")
        page.get_by_role("button", name="Save and continue later").click()
        expect(page.locator("#q-members_foreign_share .error")).to_contain_text("between 0 and 100")
        expect(page.locator("#value_awards")).to_have_value("2")
        for ind in fw.indicators.all():
            field = page.locator(f"#value_{ind.key}")
            if ind.type in ("yes_no", "evidence"):
                field.select_option("no")
            elif field.input_value() == "" or ind.key == "members_foreign_share":
                field.fill("3" if ind.type == "scale" else "12")
        for box in page.locator("input[type=checkbox][name^=confirm_]").all():
            box.check()
        page.get_by_role("button", name="Save and continue later").click()
        expect(page.locator("#completeness")).to_contain_text("36 of 36 questions answered (100 %)")
        page.get_by_role("button", name="Submit the assessment").click()
        page.wait_for_url("**/report/")
        expect(page.get_by_role("status").first).to_contain_text("The assessment is submitted")
        expect(page.locator(".group-all")).to_contain_text("16 organisations")
        expect(page.locator("#recommendations")).to_contain_text("answered no")
        _shot(page, "submitted-report")
    finally:
        ctx.close()


def test_assessor_scores_and_label_admin_decides(browser, live_server, world, frameworks):
    from django.utils import timezone

    from clusterobs.excellence import assessments, lifecycle
    from clusterobs.excellence.models import LabelLevel

    a = assessments.start(
        user=world["manager"],
        organisation=world["org"],
        framework=frameworks["cluster-quality"],
        year=timezone.localdate().year,
    )
    answer_all(a, {"members_total": "60"})
    assessments.submit(user=world["manager"], assessment=a)
    app = lifecycle.apply(
        user=world["manager"],
        organisation=world["org"],
        level=LabelLevel.objects.get(key="gold"),
        assessment=a,
    )
    lifecycle.accept(user=world["label_admin"], application=app)
    lifecycle.assign(user=world["label_admin"], application=app, assessor=world["foreign"])
    for key in app.level.framework.indicators.values_list("key", flat=True):
        lifecycle.score(user=world["foreign"].user, application=app, indicator_key=key, value=90)
    lifecycle.assign(user=world["label_admin"], application=app, assessor=world["national"])
    ctx, page = _login(browser, live_server, "assessor_in", "pw-assessor-in-1")
    try:
        page.goto("/excellence/")
        page.get_by_role("link", name="Agra Footwear Association: Gold-like quality label").click()
        rows = page.locator("#scoring tbody tr")
        expect(rows).to_have_count(31)
        # scores start from the thresholds met by the self-assessment (members 60 >= 50)
        expect(page.locator("#score-members_total")).to_have_value("100")
        for i in range(31):
            form = page.locator("#scoring tbody tr").nth(i).locator("form")
            form.locator("input[name=score]").fill("85")
            form.locator("button[type=submit]").click()
            page.wait_for_load_state()
        expect(page.locator("#overall-score")).to_have_text("87.50 %")
        _shot(page, "assessor-scored")
    finally:
        ctx.close()
    ctx, page = _login(browser, live_server, "labeladmin", "pw-labeladmin-1")
    try:
        page.goto(f"/excellence/applications/{app.pk}/")
        page.get_by_label("Decision").select_option("award")
        page.get_by_label("Reasons").fill("Both assessors score above the pass mark.")
        page.get_by_role("button", name="Record the decision").click()
        expect(page.locator("#application-status")).to_have_text("Label awarded")
        number = page.locator("#label-number").inner_text()
        page.locator("#label-number").click()
        expect(page.locator("#label-status")).to_contain_text("Valid")
        assert number in page.url
        _shot(page, "label-verified")
        page.goto("/excellence/labels/")
        expect(page.locator("#labels")).to_contain_text(number)
        expect(page.locator("#map-status")).to_have_text("1 place shown.")
    finally:
        ctx.close()

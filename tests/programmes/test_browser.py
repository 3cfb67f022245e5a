"""End to end in headless Chromium: one initiative from diagnostic study to evaluation report.

The implementing agency's manager logs in, records the lifecycle stages, uploads the DSR,
sets a baseline and target, imports the firm survey, estimates the impact and saves the
evaluation report. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Page, expect

from tests.support import ARTIFACTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def _survey_csv(path: Path) -> Path:
    from clusterobs.programmes.evaluation import simulate_firm_panel

    panel = simulate_firm_panel(seed=5, n_clusters=12, firms_per_cluster=5, periods=6, start=3,
                                effect=0.5)  # fmt: skip
    lines = ["firm,cluster,treated_cluster,participant,year,employment"]
    for r in panel.itertuples():
        lines.append(
            f"f{r.firm},c{r.cluster},{'yes' if r.treated else 'no'},"
            f"{'yes' if r.participant else 'no'},{2017 + r.period},{100 + 20 * r.y:.2f}"
        )
    path.write_text("\n".join(lines) + "\n")
    return path


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"programmes-{name}.png"), full_page=True)


def test_initiative_from_diagnostic_study_to_evaluation_report(page, programme, tmp_path):
    initiative = programme["initiative"]
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", "pw-manager-123")
    page.click("button[type=submit], input[type=submit]")
    page.goto(f"/programmes/{initiative.slug}/")
    expect(page.locator("#current-stage")).to_have_text("Cluster selection")

    stages = [
        ("trust-building", "2020-06-01"), ("diagnostic-study", "2020-09-01"),
        ("action-plan", "2021-01-15"), ("soft-interventions", "2021-04-01"),
        ("dpr", "2021-10-01"), ("hard-interventions", "2022-04-01"),
    ]  # fmt: skip
    for key, date in stages:
        page.select_option("#stage-form select[name=stage]", key)
        page.fill("#stage-form input[name=reached_on]", date)
        page.click("#stage-form button")
        expect(page.locator(".message-success")).to_contain_text("Recorded stage")
        if key == "diagnostic-study":
            dsr = tmp_path / "dsr-agra.pdf"
            dsr.write_bytes(b"%PDF-1.4 diagnostic study report")
            page.select_option("#document-form select[name=kind]", "dsr")
            page.fill("#document-form input[name=title]", "Diagnostic study report, Agra")
            page.set_input_files("#document-form input[name=file]", str(dsr))
            page.click("#document-form button")
            expect(page.locator("#documents")).to_contain_text("Diagnostic study report, Agra")
    expect(page.locator("#current-stage")).to_contain_text("Hard interventions")

    page.click("text=Track an indicator (baseline and target)")
    page.select_option("#track-form select[name=indicator]", "employment")
    page.fill("#track-form input[name=baseline]", "5000")
    page.fill("#track-form input[name=baseline_date]", "2020-09-01")
    page.fill("#track-form input[name=target]", "6000")
    page.click("#track-form button")
    page.click("text=Record a measurement")
    page.select_option("#measurement-form select[name=indicator]", "employment")
    page.fill("#measurement-form input[name=measured_on]", "2023-03-31")
    page.fill("#measurement-form input[name=value]", "5750")
    page.fill("#measurement-form input[name=source]", "firm survey 2023")
    page.click("#measurement-form button")
    expect(page.locator("#indicator-table")).to_contain_text("75.00%")

    page.set_input_files("#survey-form input[name=file]", str(_survey_csv(tmp_path / "s.csv")))
    page.click("#survey-form button")
    expect(page.locator(".message-success")).to_contain_text("Imported 360 survey responses")
    _shot(page, "initiative")

    page.select_option("#stage-form select[name=stage]", "me-exit")
    page.fill("#stage-form input[name=reached_on]", "2023-04-01")
    page.click("#stage-form button")
    page.goto(f"/programmes/{initiative.slug}/evaluation/")
    page.select_option("#evaluation-form select[name=outcome]", "employment")
    page.fill("#evaluation-form input[name=programme_start]", "2020")
    page.click("#evaluation-form button")
    expect(page.locator("#evaluation-result")).to_contain_text("Pre-trend check")
    expect(page.locator("#evaluation-result svg.event-study")).to_be_visible()
    assert float(page.locator("#att").inner_text()) > 0
    _shot(page, "evaluation")

    page.click("#save-report")
    expect(page.locator(".message-success")).to_contain_text("Saved the evaluation report")
    expect(page.locator("#documents")).to_contain_text("Evaluation report: Impact evaluation")
    expect(page.locator("#current-stage")).to_have_text("M&E and exit")
    _shot(page, "report-saved")
    page.goto(f"/programmes/{initiative.slug}/dashboard/")
    expect(page.locator("svg.attainment")).to_be_visible()
    _shot(page, "dashboard")

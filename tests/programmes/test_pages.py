"""Programme pages and exports: dashboards (HTML, CSV, PDF), portfolio with seed figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from clusterobs.programmes import services


def test_pages_and_exports(programme, users, client, starter):
    initiative = programme["initiative"]
    services.track_indicator(
        user=users["editor"], initiative=initiative, indicator_key="employment",
        baseline=Decimal(5000), baseline_date=dt.date(2020, 4, 1), target=Decimal(6000),
    )  # fmt: skip
    services.record_measurement(
        user=users["editor"], tracked=initiative.indicators.get(), measured_on=dt.date(2023, 3, 31),
        value=Decimal(5500), source="survey",
    )  # fmt: skip
    anonymous = client.get(f"/programmes/{initiative.slug}/").content.decode()
    assert initiative.name in anonymous and "300" not in anonymous  # no budget for the public
    assert client.get(f"/programmes/{programme['other'].slug}/").status_code == 404
    assert client.get(f"/programmes/{initiative.slug}/dashboard/").status_code == 403
    client.force_login(programme["funder"])
    page = client.get(f"/programmes/{initiative.slug}/").content.decode()
    assert "Lifecycle" in page and "Record stage" not in page  # funders read, never edit
    dashboard = client.get(f"/programmes/{initiative.slug}/dashboard/").content.decode()
    assert "50.00%" in dashboard and "<svg" in dashboard
    csv = client.get(f"/programmes/{initiative.slug}/dashboard.csv").content.decode()
    assert csv.splitlines()[1].startswith("employment,persons,higher,5000")
    pdf = client.get(f"/programmes/{initiative.slug}/dashboard.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    for url in ("/programmes/", "/programmes/indicators/", "/programmes/calculator/",
                "/programmes/policy/", "/programmes/policy.csv"):  # fmt: skip
        assert client.get(url).status_code == 200, url


def test_portfolio_shows_msecdp_seed_figures(reference, starter, client):
    page = client.get("/programmes/schemes/msecdp/").content.decode()
    assert "soft interventions" in page and "304" in page and "diagnostic studies" in page
    csv = client.get("/programmes/schemes/msecdp/portfolio.csv").content.decode()
    assert "reported,soft interventions,304" in csv
    assert "reported,hard interventions share,20" in csv
    pdf = client.get("/programmes/schemes/msecdp/portfolio.pdf")
    assert pdf.content.startswith(b"%PDF")
    policy = client.get("/programmes/policy/").content.decode()
    assert "Micro and Small Enterprises Cluster Development Programme" in policy

"""Fixtures of the programmes tests: reference data, an initiative, its agencies and funder."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    """Uploaded documents of each test go to its own directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def reference(db):
    from clusterobs.programmes.starter import load

    return load()


@pytest.fixture
def programme(reference, registry, users):
    """An MSE-CDP initiative in Agra implemented by ``org`` (managed by ``manager``), funded
    by a ministry organisation managed by ``funder``; a second initiative by ``other_org``."""
    from django.contrib.auth.models import User

    from clusterobs.programmes import services
    from clusterobs.programmes.models import SchemeFunder
    from clusterobs.registry import services as registry_services
    from clusterobs.registry.models import Organisation

    funder = User.objects.create_user("funder", password="pw-funder-123")
    ministry = registry_services.create_record(
        Organisation, user=users["editor"], name="Ministry of MSME", kind="government_agency",
        country="IN", source="test fixture",
    )  # fmt: skip
    ministry.managers.add(funder)
    SchemeFunder.objects.create(scheme=registry["scheme"], organisation=ministry)
    initiative = services.create_initiative(
        user=users["editor"],
        name="Agra footwear cluster development",
        cluster=registry["leather"],
        scheme=registry["scheme"],
        implementing_agency=registry["org"],
        cluster_development_agent="R. Sharma",
        start_date=dt.date(2020, 4, 1),
        budget=300,
        budget_unit="lakh",
        stage_key="selection",
        published=True,
    )
    other = services.create_initiative(
        user=users["editor"],
        name="Coimbatore foundry cluster development",
        cluster=registry["foundry"],
        implementing_agency=registry["other_org"],
        published=False,
    )
    return {"initiative": initiative, "other": other, "funder": funder, "ministry": ministry}

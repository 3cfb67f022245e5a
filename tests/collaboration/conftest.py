"""Fixtures of the collaboration tests: two organisations with profiles, an event with slots."""

from __future__ import annotations

import datetime as dt

import pytest

from clusterobs.data.catalog import path as data_path
from tests.support import FIXTURES

RELATEDNESS_CSV = data_path("uscmp_relatedness")
US_ORGS_CSV = FIXTURES / "uscmp_cluster_organizations.csv"


@pytest.fixture
def collab(db, users, registry):
    """``org`` (managed by ``manager``) and ``other_org`` (by ``other_manager``), with
    collaboration profiles, sector codes and e-mail addresses on the users."""
    from clusterobs.collaboration.models import CollaborationProfile
    from clusterobs.registry.models import OrganisationSector

    for name in ("manager", "other_manager", "viewer", "admin"):
        users[name].email = f"{name}@example.org"
        users[name].save()
    org, other = registry["org"], registry["other_org"]
    OrganisationSector.objects.create(organisation=org, classification="USCMP", code="25")
    OrganisationSector.objects.create(organisation=other, classification="USCMP", code="14")
    profile = CollaborationProfile.objects.create(
        organisation=org,
        summary="Footwear makers seeking tanning technology",
        needs={"technologies": ["leather tanning"]},
        offers={"products": ["footwear design"]},
        target_countries=["IN"],
        languages=["en"],
    )
    other_profile = CollaborationProfile.objects.create(
        organisation=other,
        summary="Foundry cluster with metal casting capacity",
        offers={"technologies": ["leather tanning machinery", "metal casting"]},
        languages=["en", "ta"],
    )
    return {"org": org, "other": other, "profile": profile, "other_profile": other_profile}


@pytest.fixture
def event(db, users, collab):
    from django.utils import timezone

    from clusterobs.collaboration.services import events as event_services

    ev = event_services.create_event(
        user=users["editor"],
        name="EU-India cluster matchmaking",
        kind="c2c",
        starts_on=dt.date(2030, 3, 1),
        ends_on=dt.date(2030, 3, 2),
        place="Bengaluru",
    )
    first = timezone.make_aware(dt.datetime(2030, 3, 1, 9, 0))
    event_services.add_slots(event=ev, user=users["editor"], first=first, count=3)
    return ev

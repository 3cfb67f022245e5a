"""Shared fixtures: users of every role, registry records, the real data beside the checkout.

Tests run on SQLite by default and on PostgreSQL when ``CLUSTEROBS_DATABASE_URL`` is set
(``scripts/test.sh`` runs the suite both ways).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# One data directory per test process: pytest-xdist workers inherit the controller's
# environment, and two workers building results into one directory race each other.
os.environ["CLUSTEROBS_DATA_DIR"] = os.path.join(
    os.environ.get("CLUSTEROBS_DATA_DIR") or tempfile.mkdtemp(prefix="clusterobs-test-"),
    os.environ.get("PYTEST_XDIST_WORKER", ""),
)
os.environ.setdefault("CLUSTEROBS_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest

from tests.support import ARTIFACTS, SHARED_DATA, air_gapped_page


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many users: a fast hasher keeps them quick (production keeps PBKDF2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that read the full public datasets carry the ``shared_data`` marker."""
    for item in items:
        if "shared_data" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.shared_data)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The full public datasets placed beside the checkout (``../shared/data``), for the few
    tests that need more than the embedded data and the fixtures; skipped when absent."""
    if not SHARED_DATA.exists():
        pytest.skip("needs the full public datasets in ../shared/data beside the checkout")
    return SHARED_DATA


@pytest.fixture
def starter(db):
    """The starter content from the seed documents, and the catalogue of the sources it cites."""
    from clusterobs.references.starter import load as load_sources
    from clusterobs.registry.starter import load_starter_content

    load_sources()
    return load_starter_content()


@pytest.fixture
def users(db):
    """One user per role: viewer, editor, admin, manager (of ``managed_org``), other manager."""
    from django.contrib.auth.models import Group, User

    from clusterobs.registry.permissions import EDITORS_GROUP

    editors, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    viewer = User.objects.create_user("viewer", password="pw-viewer-123")
    editor = User.objects.create_user("editor", password="pw-editor-123")
    editor.groups.add(editors)
    admin = User.objects.create_user(
        "admin", password="pw-admin-123", is_staff=True, is_superuser=True
    )
    manager = User.objects.create_user("manager", password="pw-manager-123")
    other_manager = User.objects.create_user("other_manager", password="pw-other-123")
    return {
        "viewer": viewer,
        "editor": editor,
        "admin": admin,
        "manager": manager,
        "other_manager": other_manager,
    }


@pytest.fixture
def registry(db, users):
    """A small registry: published and unpublished clusters, organisations and a scheme."""
    from clusterobs.registry import services
    from clusterobs.registry.models import (
        ClusterIndustryCode,
        ClusterLink,
        KeyFigure,
        Organisation,
        OrganisationProfile,
        Scheme,
        ThematicChallenge,
    )

    ThematicChallenge.objects.get_or_create(
        key="pollution-intensive",
        defaults={"name": "Pollution intensive", "products": ["Leather", "Dyes", "Chemicals"]},
    )
    ThematicChallenge.objects.get_or_create(
        key="energy-intensive",
        defaults={"name": "Energy intensive", "products": ["Castings & Forging", "Foundry"]},
    )
    editor = users["editor"]
    leather = services.create_cluster(
        user=editor,
        name="Leather footwear cluster, Agra",
        product="Leather footwear",
        place="Agra",
        country="IN",
        latitude=27.18,
        longitude=78.01,
        cluster_type="micro",
        source="test fixture",
    )
    ClusterIndustryCode.objects.create(cluster=leather, classification="NIC2008", code="15201")
    KeyFigure.objects.create(
        cluster=leather,
        indicator="units",
        value=5000,
        unit="enterprises",
        year=2010,
        source="test fixture",
    )
    foundry = services.create_cluster(
        user=editor,
        name="Foundry cluster, Coimbatore",
        product="Foundry castings",
        place="Coimbatore",
        country="IN",
        latitude=11.0,
        longitude=76.96,
        cluster_type="traditional_manufacturing",
        source="test fixture",
    )
    hidden = services.create_cluster(
        user=editor,
        name="Draft biotech cluster, Lucknow",
        product="Biotechnology",
        place="Lucknow",
        country="IN",
        published=False,
        source="test fixture",
    )
    org = services.create_record(
        Organisation,
        user=editor,
        name="Agra Footwear Association",
        kind="business_membership_organisation",
        country="IN",
        city="Agra",
        source="test fixture",
    )
    OrganisationProfile.objects.create(organisation=org, members_sme=120, founding_year=1998)
    org.managers.add(users["manager"])
    other = services.create_record(
        Organisation,
        user=editor,
        name="Coimbatore Foundry Cluster Organisation",
        kind="cluster_organisation",
        country="IN",
        source="test fixture",
    )
    other.managers.add(users["other_manager"])
    ClusterLink.objects.create(
        cluster=leather, organisation=org, role="business_membership_organisation"
    )
    scheme = services.create_record(
        Scheme,
        user=editor,
        name="Micro and Small Enterprises Cluster Development Programme",
        acronym="MSE-CDP",
        kind="scheme",
        institution="Ministry of MSME",
        country="IN",
        focus_areas=["Infrastructure"],
        source="test fixture",
    )
    scheme.clusters.add(leather)
    return {
        "leather": leather,
        "foundry": foundry,
        "hidden": hidden,
        "org": org,
        "other_org": other,
        "scheme": scheme,
    }


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def token_for(db):
    """``token_for(user)`` -> an APIClient authenticated with that user's token."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def make(user):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


# --- browser tests --------------------------------------------------------------------------

#: Debian's Chromium, installed by scripts/system-deps.sh (never ``playwright install``: the
#: machine is air-gapped). The flags keep it from calling home, which the closed network refuses.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test worker, driven by Playwright's sync API."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system-deps.sh")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A page on the live server that fails the test if it reaches outside it (air-gapped)."""
    with air_gapped_page(browser, live_server.url) as pg:
        yield pg

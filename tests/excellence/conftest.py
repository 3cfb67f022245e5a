"""Fixtures of the excellence tests: the shipped frameworks, a labelled world of users (manager,
label admin, national and foreign assessors) and a generated benchmarking population."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture
def frameworks(db):
    from clusterobs.excellence.frameworks import load_shipped
    from clusterobs.excellence.models import Framework

    load_shipped()
    return {f.key: f for f in Framework.objects.all()}


@pytest.fixture
def world(db, users, registry, frameworks):
    """``org`` (a cluster organisation in IN managed by ``manager``, verified profile),
    ``rival`` (managed by ``other_manager``), a label admin, assessors from IN and DE, and one
    assessor employed by the organisation itself."""
    from django.contrib.auth.models import Group, User

    from clusterobs.collaboration.models import CollaborationProfile
    from clusterobs.excellence.models import Assessor
    from clusterobs.excellence.permissions import LABEL_ADMINS_GROUP
    from clusterobs.registry.models import Organisation, OrganisationProfile

    org = registry["org"]
    org.kind = "cluster_organisation"
    org.latitude, org.longitude = 27.18, 78.01
    org.save()
    OrganisationProfile.objects.filter(organisation=org).update(
        members_sme=120,
        members_large=10,
        members_research=3,
        members_other=7,
        management_fte=4,
        founding_year=1998,
    )
    org = Organisation.objects.get(pk=org.pk)  # not the cached profile of the registry fixture
    CollaborationProfile.objects.create(organisation=org, summary="Footwear", verified=True)
    rival = registry["other_org"]
    foreign_org = Organisation.objects.create(
        name="Bavarian Cluster Agency",
        slug="bavarian-cluster-agency",
        kind="cluster_organisation",
        country="DE",
    )
    admins = Group.objects.get_or_create(name=LABEL_ADMINS_GROUP)[0]
    label_admin = User.objects.create_user(
        "labeladmin", password="pw-labeladmin-1", email="la@example.org"
    )
    label_admin.groups.add(admins)
    for name in ("manager", "other_manager"):
        users[name].email = f"{name}@example.org"
        users[name].save()
    national = User.objects.create_user(
        "assessor_in", password="pw-assessor-in-1", email="ain@example.org"
    )
    foreign = User.objects.create_user(
        "assessor_de", password="pw-assessor-de-1", email="ade@example.org"
    )
    second_national = User.objects.create_user("assessor_in2", password="pw-assessor-in-2")
    insider = User.objects.create_user("insider", password="pw-insider-123")
    rival_staff = User.objects.create_user("rival_staff", password="pw-rival-123")
    return {
        "org": org,
        "rival": rival,
        "foreign_org": foreign_org,
        "label_admin": label_admin,
        "national": Assessor.objects.create(user=national, country="IN"),
        "foreign": Assessor.objects.create(user=foreign, country="DE", organisation=foreign_org),
        "second_national": Assessor.objects.create(user=second_national, country="IN"),
        "insider": Assessor.objects.create(user=insider, country="IN", organisation=org),
        "rival_staff": Assessor.objects.create(user=rival_staff, country="IN", organisation=rival),
        "manager": users["manager"],
        "other_manager": users["other_manager"],
        "viewer": users["viewer"],
    }


def answer_all(assessment, values: dict[str, str] | None = None) -> None:
    """Answer every question (numbers 5, yes for yes/no, a note for evidence) and confirm."""
    from clusterobs.excellence import assessments

    values = values or {}
    given, texts = {}, {}
    for ind in assessment.framework.indicators.all():
        if ind.type in ("yes_no", "evidence"):
            given[ind.key] = values.get(ind.key, "yes")
            texts[ind.key] = "Shown on our website" if ind.type == "evidence" else ""
        elif ind.type == "scale":
            given[ind.key] = values.get(ind.key, "4")
        else:
            given[ind.key] = values.get(ind.key, "5")
    manager = assessment.organisation.managers.first()
    keys = set(given)
    errors = assessments.save_answers(
        user=manager, assessment=assessment, values=given, texts=texts, confirm=keys
    )
    assert errors == {}


def generate_population(
    framework,
    n: int,
    *,
    seed: int = 7,
    countries=("IN", "DE", "FR", "IT", "ES"),
    sectors=("USCMP:25", "USCMP:14", "USCMP:6"),
):
    """``n`` organisations, each with one submitted (latest) assessment of random answers; every
    other one without its packed ``vector`` (as a bulk import may write them), so both ways the
    population is read are exercised."""
    from django.utils import timezone

    from clusterobs.excellence.models import Assessment
    from clusterobs.registry.models import Organisation

    rng = np.random.default_rng(seed)
    keys = list(framework.indicators.values_list("key", "type"))
    orgs = Organisation.objects.bulk_create(
        Organisation(
            name=f"Generated cluster {i}",
            slug=f"gen-{seed}-{i}",
            kind="cluster_organisation",
            country=str(rng.choice(countries)),
        )
        for i in range(n)
    )
    now = timezone.now()
    from clusterobs.excellence.models import score_vector

    ordered = list(framework.indicators.order_by("position").values_list("key", flat=True))
    rows = []
    for i, org in enumerate(orgs):
        scores = {}
        for key, typ in keys:
            if rng.random() < 0.05:
                continue  # some unanswered
            if typ in ("yes_no", "evidence"):
                scores[key] = float(rng.integers(0, 2))
            elif typ == "scale":
                scores[key] = float(rng.integers(1, 6))
            elif typ == "share":
                scores[key] = float(round(rng.uniform(0, 100), 1))
            else:
                scores[key] = float(rng.integers(0, 400))
        rows.append(
            Assessment(
                organisation=org,
                framework=framework,
                year=2026,
                status="submitted",
                submitted_at=now,
                latest=True,
                country=org.country,
                sector=str(rng.choice(sectors)),
                age_years=int(rng.integers(0, 40)),
                members=int(rng.integers(5, 900)),
                scores=scores,
                vector=score_vector(ordered, scores) if i % 2 == 0 else b"",
            )
        )
    return Assessment.objects.bulk_create(rows, batch_size=500)

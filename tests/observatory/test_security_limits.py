"""Items 8 and 10 of issue 12: the observatory search survives missing titles, and background
jobs have per-user and global limits (429 with a clear message, nothing saved)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from clusterobs.observatory.models import CustomCluster, Job
from clusterobs.observatory.selectors.search import search

CODES = ["335911", "335912", "336111"]


@pytest.mark.parametrize("q", ["11", "111", "112", "a11", "33"])
def test_search_by_short_codes_never_crashes(client, db, store, q) -> None:
    api = client.get("/api/observatory/search/", {"q": q})
    assert api.status_code == 200, api.content[:300]
    page = client.get("/observatory/search/", {"q": q})
    assert page.status_code in (200, 302)


def test_search_with_a_missing_industry_title(db, store, monkeypatch) -> None:
    """A definition row without a title (pandas' NA) is labelled by its code alone."""
    import pandas as pd

    definition = store.definition.copy()
    definition["industry_title"] = definition["industry_title"].astype("string")
    definition.loc[definition["industry_code"].str.startswith("11"), "industry_title"] = pd.NA
    monkeypatch.setattr(type(store), "definition", property(lambda self: definition))
    hits = search(store, "11", limit=50)
    industry = [h for h in hits if h["kind"] == "industry"]
    assert industry and all(h["label"].startswith("11") for h in industry)


def _queued(user, n: int) -> None:
    for _ in range(n):
        Job.objects.create(owner=user, kind="custom_cluster", status=Job.Status.QUEUED)


def _post(user):
    api = APIClient()
    api.force_authenticate(user)
    return api.post(
        "/api/observatory/custom-clusters/", {"name": "cars", "industries": CODES}, format="json"
    )


def test_a_user_over_the_job_limit_gets_429(django_user_model, store, settings) -> None:
    settings.JOBS_PER_USER, settings.JOBS_GLOBAL = 2, 10
    user = django_user_model.objects.create_user("dora", password="pw-dora-12345")
    _queued(user, 2)
    response = _post(user)
    assert response.status_code == 429
    assert "at most 2" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    assert not CustomCluster.objects.filter(owner=user).exists()


def test_the_global_job_limit_holds_for_everyone(django_user_model, store, settings) -> None:
    settings.JOBS_PER_USER, settings.JOBS_GLOBAL = 2, 3
    busy = [django_user_model.objects.create_user(f"u{i}", password="pw-x-123456") for i in "abc"]
    for user in busy:
        _queued(user, 1)
    newcomer = django_user_model.objects.create_user("eve", password="pw-eve-12345")
    response = _post(newcomer)
    assert response.status_code == 429
    assert "busy" in response.json()["detail"]


def test_finished_jobs_do_not_count(django_user_model, store, settings) -> None:
    settings.JOBS_PER_USER, settings.JOBS_GLOBAL = 1, 1
    user = django_user_model.objects.create_user("fay", password="pw-fay-12345")
    Job.objects.create(owner=user, kind="custom_cluster", status=Job.Status.DONE)
    Job.objects.create(owner=user, kind="custom_cluster", status=Job.Status.FAILED)
    assert _post(user).status_code == 201


def test_the_html_page_answers_429_too(client, django_user_model, store, settings) -> None:
    settings.JOBS_PER_USER = 1
    user = django_user_model.objects.create_user("gil", password="pw-gil-12345")
    _queued(user, 1)
    client.force_login(user)
    response = client.post("/observatory/custom-clusters/", {"name": "x", "industries": "336111"})
    assert response.status_code == 429
    assert "at most 1" in response.content.decode()

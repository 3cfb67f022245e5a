"""Benchmarking report for one organisation among 10,000 submitted assessments.

Loads (once, into a kept data directory or PostgreSQL database) 10,000 cluster organisations with
one submitted assessment each of the shipped 36-indicator framework, plus one organisation whose
manager asks for the report, then times:

* ``report``: :func:`clusterobs.excellence.benchmarking.report` (population cached, as between
  two submissions);
* ``page``: the HTML report page through Django's test client (report + SVG charts + template);
* ``api``: the JSON twin ``/api/excellence/assessments/<id>/report/``;
* ``cold``: the report right after a submission (the population matrix is rebuilt);
* ``pdf``: the PDF (WeasyPrint), a few runs.

    .venv/bin/python benchmarks/excellence/bench.py --data-dir /tmp/exc-bench [--runs 200]
    .venv/bin/python benchmarks/excellence/bench.py --data-dir /tmp/exc-bench \\
        --database-url postgres://postgres@127.0.0.1:5432/clusterobs_exc_bench

Target (issue 17): under 300 ms at the 95th percentile.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

N_ORGS = 10_000


def setup(data_dir: str, database_url: str | None) -> None:
    os.environ["CLUSTEROBS_DATA_DIR"] = data_dir
    os.environ.setdefault("CLUSTEROBS_SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterobs.web.settings")
    if database_url:
        os.environ["CLUSTEROBS_DATABASE_URL"] = database_url
        admin = database_url.rsplit("/", 1)[0] + "/postgres"
        name = database_url.rsplit("/", 1)[1]
        exists = subprocess.run(
            ["psql", admin, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not exists:
            subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    else:
        os.environ.pop("CLUSTEROBS_DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def load() -> int:
    """The population and the measured organisation; returns the measured assessment's id."""
    import numpy as np
    from django.contrib.auth.models import User
    from django.utils import timezone

    from clusterobs.excellence.frameworks import load_shipped
    from clusterobs.excellence.models import Assessment, Framework, score_vector
    from clusterobs.registry.models import Organisation

    load_shipped()
    fw = Framework.objects.get(key="cluster-benchmark")
    mine = Assessment.objects.filter(organisation__slug="bench-measured", framework=fw).first()
    if mine:
        return mine.pk
    rng = np.random.default_rng(17)
    kinds = list(fw.indicators.values_list("key", "type"))
    ordered = list(fw.indicators.order_by("position").values_list("key", flat=True))
    countries = ["IN", "DE", "FR", "IT", "ES", "PL", "NL", "SE", "AT", "BE"]
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Bench cluster {i}",
                slug=f"bench-{i}",
                kind="cluster_organisation",
                country=countries[i % len(countries)],
            )
            for i in range(N_ORGS + 1)
        ],
        batch_size=1000,
    )
    orgs[-1].slug = "bench-measured"
    orgs[-1].save()
    now = timezone.now()

    def scores() -> dict[str, float]:
        out = {}
        for key, typ in kinds:
            if typ in ("yes_no", "evidence"):
                out[key] = float(rng.integers(0, 2))
            elif typ == "scale":
                out[key] = float(rng.integers(1, 6))
            elif typ == "share":
                out[key] = float(round(rng.uniform(0, 100), 1))
            else:
                out[key] = float(rng.integers(0, 500))
        return out

    Assessment.objects.bulk_create(
        [
            Assessment(
                organisation=o,
                framework=fw,
                year=2026,
                status="submitted",
                submitted_at=now,
                latest=True,
                country=o.country,
                sector=f"USCMP:{int(rng.integers(1, 40))}",
                age_years=int(rng.integers(0, 40)),
                members=int(rng.integers(5, 900)),
                scores=(values := scores()),
                vector=score_vector(ordered, values),
            )
            for o in orgs
        ],
        batch_size=1000,
    )
    manager = User.objects.create_user("bench-manager", password="bench-only-pw-1")
    orgs[-1].managers.add(manager)
    return Assessment.objects.get(organisation=orgs[-1]).pk


def timed(fn: Callable[[], object], runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "runs": runs,
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[max(round(0.95 * runs) - 1, 0)], 1),
        "max_ms": round(samples[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    setup(args.data_dir, args.database_url)
    start = time.perf_counter()
    pk = load()
    print(f"data ready in {time.perf_counter() - start:.1f} s", file=sys.stderr)

    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from clusterobs.excellence import benchmarking
    from clusterobs.excellence.models import Assessment

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    assessment = Assessment.objects.select_related("organisation", "framework").get(pk=pk)
    client = Client()
    client.force_login(User.objects.get(username="bench-manager"))
    page, api = f"/excellence/assessments/{pk}/report/", f"/api/excellence/assessments/{pk}/report/"
    assert client.get(page).status_code == 200
    assert client.get(api).status_code == 200
    n = len(benchmarking.population(assessment.framework).organisation_ids)

    def cold() -> None:
        benchmarking._CACHE.clear()
        benchmarking.report(assessment)

    results = {
        "database": connection.vendor,
        "population": n,
        "report": timed(lambda: benchmarking.report(assessment), args.runs),
        "page": timed(lambda: client.get(page), max(args.runs // 2, 10)),
        "api": timed(lambda: client.get(api), max(args.runs // 2, 10)),
        "cold": timed(cold, 10),
        "pdf": timed(lambda: client.get(f"/excellence/assessments/{pk}/report.pdf"), 3),
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

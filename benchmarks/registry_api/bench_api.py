"""Latency of a filtered, searched registry API page (50 records) on SQLite and PostgreSQL.

Loads 10,000 clusters and 50,000 organisations built from real vocabularies (NAICS 2017 titles
for products and sectors, U.S. county and Indian district names for places, from
``../shared/data``), starts the platform's own server (``clusterobs serve``, gunicorn) on
loopback, and times sequential HTTP requests with keep-alive. Reports p50/p95 per query, over
HTTP and (``--in-process-requests``, default 100) in process through Django's test client on the
same data, and the load average at the end.

    .venv/bin/python benchmarks/registry_api/bench_api.py [--requests 300] [--skip-postgres]
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data"
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/test"
PG_BENCH_DB = "clusterobs_bench"

SUFFIXES = ["Association", "Ltd", "Centre"]
QUERIES = {
    "clusters: q=manufacturing, country=IN": "/api/clusters/?q=manufacturing&country=IN&limit=50",
    "clusters: q=steel, type=traditional": (
        "/api/clusters/?q=steel&cluster_type=traditional_manufacturing&limit=50"
    ),
    "clusters: q=machin (prefix), offset 100": "/api/clusters/?q=machin&limit=50&offset=100",
    "organisations: q=services, kind=bds": (
        "/api/organisations/?q=services&kind=bds_provider&limit=50"
    ),
    "organisations: q=chemical, country=US": ("/api/organisations/?q=chemical&country=US&limit=50"),
}


def vocabularies() -> tuple[list[str], list[str], list[str]]:
    with (DATA / "industry_classifications" / "naics2017_titles.csv").open() as handle:
        titles = [
            r["title"].rstrip("T").strip()
            for r in csv.DictReader(handle)
            if r["level_digits"] == "6"
        ]
    with (DATA / "india_boundaries" / "india_2011_district_codes.csv").open() as handle:
        india = [r["district"] for r in csv.DictReader(handle)]
    codes = []
    with (DATA / "industry_classifications" / "naics2017_6digit_official.csv").open() as h:
        codes = [r["code"] for r in csv.DictReader(h)]
    return titles, india, codes


def load(n_clusters: int, n_orgs: int) -> None:
    """Bulk-load synthetic records through the ORM (FTS triggers / generated columns fire)."""
    from django.core.management import call_command

    from clusterobs.registry.models import (
        Cluster,
        ClusterIndustryCode,
        Organisation,
        ThematicChallenge,
    )
    from clusterobs.registry.vocabularies import ClusterType, OrganisationKind

    call_command("migrate", interactive=False, verbosity=0)
    titles, places, codes = vocabularies()
    rng = random.Random(42)
    types = ClusterType.values
    kinds = OrganisationKind.values
    clusters = []
    for i in range(n_clusters):
        product = rng.choice(titles)
        place = rng.choice(places)
        clusters.append(
            Cluster(
                name=f"{product} cluster, {place}",
                slug=f"c-{i}",
                product=product,
                place=place,
                country=rng.choice(["IN", "IN", "IN", "US", "DE", "IT", "PK"]),
                cluster_type=rng.choice(types),
                latitude=rng.uniform(8, 35),
                longitude=rng.uniform(68, 90),
                source="benchmark",
                description=f"{rng.choice(titles)}; {rng.choice(titles)}",
            )
        )
    Cluster.objects.bulk_create(clusters, batch_size=2000)
    ids = list(Cluster.objects.values_list("id", flat=True))
    ClusterIndustryCode.objects.bulk_create(
        [
            ClusterIndustryCode(cluster_id=cid, classification="NAICS2017", code=rng.choice(codes))
            for cid in ids
        ],
        batch_size=5000,
    )
    ThematicChallenge.objects.get_or_create(key="energy-intensive", defaults={"name": "Energy"})
    orgs = []
    for i in range(n_orgs):
        sector = rng.choice(titles)
        orgs.append(
            Organisation(
                name=f"{rng.choice(places)} {sector} {rng.choice(SUFFIXES)}",
                slug=f"o-{i}",
                kind=rng.choice(kinds),
                country=rng.choice(["IN", "US", "DE"]),
                city=rng.choice(places),
                description=f"{sector}; {rng.choice(titles)}",
                source="benchmark",
            )
        )
    Organisation.objects.bulk_create(orgs, batch_size=2000)
    from django.db import connection

    if connection.vendor == "postgresql":
        # A settled database, as a running server has one: planner statistics, visibility map
        # and hint bits set. Otherwise autovacuum runs during the measurement.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def measure(port: int, n_requests: int) -> dict[str, dict[str, float]]:
    results = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for label, url in QUERIES.items():
        for _ in range(5):  # warm-up
            conn.request("GET", url)
            conn.getresponse().read()
        times = []
        count = None
        for _ in range(n_requests):
            start = time.perf_counter()
            conn.request("GET", url)
            response = conn.getresponse()
            body = response.read()
            times.append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                raise RuntimeError(f"{url}: HTTP {response.status}")
            count = json.loads(body)["count"]
        times.sort()
        results[label] = {
            "matches": count,
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[int(0.95 * len(times)) - 1], 2),
        }
    conn.close()
    return results


def in_process(env: dict[str, str], n_requests: int) -> dict:
    """The same pages through Django's test client on the loaded data: no HTTP server."""
    command = [sys.executable, str(Path(__file__).with_name("profile_inprocess.py"))]
    command += ["--data-dir", env["CLUSTEROBS_DATA_DIR"], "--requests", str(n_requests), "--json"]
    if env.get("CLUSTEROBS_DATABASE_URL"):
        command += ["--database-url", env["CLUSTEROBS_DATABASE_URL"]]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return json.loads(done.stdout)["results"]


def run_backend(
    name: str, env: dict[str, str], n_requests: int, port: int, n_in_process: int
) -> dict:
    loader = subprocess.run(
        [sys.executable, __file__, "--load-only"], env=env, capture_output=True, text=True
    )
    if loader.returncode != 0:
        raise RuntimeError(loader.stderr)
    in_process_results = in_process(env, n_in_process) if n_in_process else None
    server = subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "clusterobs"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/api/")
                break
            except OSError:
                time.sleep(0.2)
        results = {"http": measure(port, n_requests)}
        if in_process_results is not None:
            results["in_process"] = in_process_results
        return results
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clusters", type=int, default=10_000)
    parser.add_argument("--organisations", type=int, default=50_000)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument(
        "--in-process-requests",
        type=int,
        default=100,
        help="also time each page through Django's test client (0: skip)",
    )
    parser.add_argument("--load-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load_only:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterobs.web.settings")
        import django

        django.setup()
        start = time.perf_counter()
        load(int(os.environ["BENCH_CLUSTERS"]), int(os.environ["BENCH_ORGS"]))
        print(f"loaded in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        return
    report = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = {
            **os.environ,
            "CLUSTEROBS_DATA_DIR": tmp,
            "BENCH_CLUSTERS": str(args.clusters),
            "BENCH_ORGS": str(args.organisations),
            "CLUSTEROBS_SECRET_KEY": "benchmark-only",
        }
        base.pop("CLUSTEROBS_DATABASE_URL", None)
        report["sqlite"] = run_backend(
            "sqlite", base, args.requests, 8091, args.in_process_requests
        )
        if not args.skip_postgres:
            subprocess.run(
                ["psql", PG_ADMIN_URL, "-qc", f"DROP DATABASE IF EXISTS {PG_BENCH_DB}"], check=True
            )
            subprocess.run(
                ["psql", PG_ADMIN_URL, "-qc", f"CREATE DATABASE {PG_BENCH_DB}"], check=True
            )
            pg_env = {
                **base,
                "CLUSTEROBS_DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{PG_BENCH_DB}",
            }
            try:
                report["postgresql"] = run_backend(
                    "postgresql", pg_env, args.requests, 8092, args.in_process_requests
                )
            finally:
                subprocess.run(
                    ["psql", PG_ADMIN_URL, "-qc", f"DROP DATABASE IF EXISTS {PG_BENCH_DB}"],
                    check=False,
                )
    print(
        json.dumps(
            {
                "clusters": args.clusters,
                "organisations": args.organisations,
                "requests_per_query": args.requests,
                "in_process_requests_per_query": args.in_process_requests,
                "load_average": [round(x, 2) for x in os.getloadavg()],
                "results": report,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

"""In-process cost of the benchmark's API pages (Django test client, no HTTP server).

Loads the same data as ``bench_api.py`` once into a kept data directory (SQLite) or a kept
PostgreSQL database, then times each benchmark query through Django's test client, and can show
the SQL of one request with its timings, ``EXPLAIN`` plans, or a cProfile of one request.

    .venv/bin/python benchmarks/registry_api/profile_inprocess.py --data-dir /tmp/obs-prof
    .venv/bin/python benchmarks/registry_api/profile_inprocess.py --data-dir /tmp/obs-prof \\
        --database-url postgres://postgres@127.0.0.1:5432/clusterobs_prof [--sql] [--explain] \\
        [--cprofile LABEL-PREFIX] [--requests 100]

The PostgreSQL database is created if missing and kept between runs (drop it when done).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_api


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

    from clusterobs.registry.models import Cluster

    call_command("migrate", interactive=False, verbosity=0)
    if not Cluster.objects.exists():
        start = time.perf_counter()
        bench_api.load(10_000, 50_000)
        print(f"loaded in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--sql", action="store_true", help="show the SQL of one request")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN each SQL statement")
    parser.add_argument("--cprofile", metavar="LABEL", help="cProfile one query (label prefix)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--only", metavar="LABEL", help="only queries whose label starts so")
    args = parser.parse_args()
    setup(args.data_dir, args.database_url)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    results = {}
    for label, url in bench_api.QUERIES.items():
        if args.only and not label.startswith(args.only):
            continue
        for _ in range(5):
            assert client.get(url).status_code == 200
        if args.sql or args.explain:
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            print(f"== {label}: {len(ctx.captured_queries)} queries")
            for q in ctx.captured_queries:
                print(f"  {float(q['time']) * 1000:7.2f} ms  {q['sql'][:2000]}")
                if args.explain and q["sql"].lstrip().upper().startswith("SELECT"):
                    prefix = (
                        "EXPLAIN QUERY PLAN "
                        if connection.vendor == "sqlite"
                        else "EXPLAIN (ANALYZE, BUFFERS) "
                    )
                    with connection.cursor() as cursor:
                        cursor.execute(prefix + q["sql"])
                        for row in cursor.fetchall():
                            print("      ", " | ".join(str(c) for c in row))
        if args.cprofile and label.startswith(args.cprofile):
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(20):
                client.get(url)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(
                os.environ.get("PROFILE_SORT", "cumulative")
            ).print_stats(45)
        times = []
        count = None
        for _ in range(args.requests):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            count = response.json()["count"]
        times.sort()
        results[label] = {
            "matches": count,
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[int(0.95 * len(times)) - 1], 2),
        }
    if args.json:
        print(json.dumps({"database": connection.vendor, "results": results}, indent=2))
        return
    print(f"{connection.vendor}: p50 / p95 ms (matches)")
    for label, r in results.items():
        print(f"  {label:42s} {r['p50_ms']:6.1f} / {r['p95_ms']:6.1f}  ({r['matches']})")


if __name__ == "__main__":
    main()

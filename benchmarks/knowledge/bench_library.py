"""Indexing throughput and query latency of the library on a generated library.

The library: ``--passages`` passages (10,000 by default) in documents of 10 passages, whose
text is drawn from the sentences of the seed documents and docs/ (each passage 4-8 sentences
picked at random, seeded), written as Markdown files and imported through the real service
(extraction, passages, vectors, full-text index) in batches of 100 files.

Measured: import throughput (passages per second, with and without the encoder), then
p50/p95 latency of full-text, semantic and hybrid search for 200 different questions (the
labelled questions of ``queries.json`` and random 3-6 word queries from the vocabulary), as an
anonymous reader, on the configured database (SQLite by default).

Run: ``.venv/bin/python benchmarks/knowledge/bench_library.py [--passages N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from benchmarks.knowledge.evaluate import QUERIES, corpus  # noqa: E402

PER_DOCUMENT = 10
BATCH = 100


def sentences() -> list[str]:
    text = " ".join(data.decode("utf-8", "replace") for _name, data in corpus())
    found = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    return [s for s in found if 40 <= len(s) <= 400]


def generated_files(n_passages: int, rng: random.Random) -> list[tuple[str, bytes]]:
    pool = sentences()
    files = []
    for d in range(n_passages // PER_DOCUMENT):
        paragraphs = [" ".join(rng.sample(pool, rng.randint(4, 8))) for _ in range(PER_DOCUMENT)]
        body = "\n\n".join(f"## Part {i}\n\n{p}" for i, p in enumerate(paragraphs))
        files.append((f"generated-{d:05d}.md", f"# Generated {d}\n\n{body}\n".encode()))
    return files


def import_all(files, admin) -> float:
    from clusterobs.knowledge import services

    start = time.perf_counter()
    for i in range(0, len(files), BATCH):
        services.import_files(user=admin, files=files[i : i + BATCH], collection="bench")
    return time.perf_counter() - start


def latencies(questions: list[str], mode: str) -> list[float]:
    from django.contrib.auth.models import AnonymousUser

    from clusterobs.knowledge import selectors

    selectors.search(AnonymousUser(), questions[0], mode=mode)  # warm the caches
    out = []
    for q in questions:
        start = time.perf_counter()
        selectors.search(AnonymousUser(), q, mode=mode, limit=10)
        out.append((time.perf_counter() - start) * 1000)
    return out


def questions(rng: random.Random, n: int = 200) -> list[str]:
    labelled = [q["q"] for q in json.loads(QUERIES.read_text())["queries"]]
    words = sorted({w for s in sentences() for w in re.findall(r"[A-Za-z]{4,}", s)})
    while len(labelled) < n:
        labelled.append(" ".join(rng.sample(words, rng.randint(3, 6))))
    return labelled[:n]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passages", type=int, default=10_000)
    args = parser.parse_args()
    os.environ.setdefault("CLUSTEROBS_DATA_DIR", tempfile.mkdtemp(prefix="clusterobs-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterobs.web.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from clusterobs.knowledge.models import Passage

    call_command("migrate", interactive=False, verbosity=0)
    admin = User.objects.create_superuser("bench", password=None)
    rng = random.Random(2026)
    files = generated_files(args.passages, rng)
    seconds = import_all(files, admin)
    n = Passage.objects.count()
    print(f"database: {connection.vendor}; {len(files)} documents, {n} passages")
    print(f"import: {seconds:.1f} s, {n / seconds:.0f} passages/s (extraction, vectors, index)")
    asked = questions(rng)
    print("| search | p50 ms | p95 ms | max ms |\n|---|---|---|---|")
    for mode in ("fulltext", "semantic", "hybrid"):
        times = latencies(asked, mode)
        print(f"| {mode} | {statistics.median(times):.1f} | {p95(times):.1f} | {max(times):.1f} |")


if __name__ == "__main__":
    main()

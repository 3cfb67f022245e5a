"""Latency of top-20 partner suggestions among N profiles (default 100,000).

    .venv/bin/python benchmarks/matchmaking/bench.py [--profiles 100000] [--queries 200]

Profiles are synthetic but shaped like real ones: 1-3 of the 51 U.S. Cluster Mapping traded
cluster codes (with the real relatedness table when ``../shared/data`` is present), 2-6 offered
and needed phrases, a country, target countries, languages, emerging fields, labels and a
25-60 word description drawn from a Zipf-distributed 20,000-word vocabulary. Each query is a
profile (with reasons computed for every suggestion, as the web page does).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clusterobs.collaboration.matchmaking import MatchIndex, Profile, Relatedness

COUNTRIES = [
    "US",
    "IN",
    "DE",
    "FR",
    "IT",
    "AT",
    "DK",
    "NL",
    "ES",
    "PL",
    "BR",
    "CN",
    "JP",
    "KR",
    "CA",
    "MX",
    "GB",
    "SE",
    "FI",
    "BE",
    "CZ",
    "PT",
    "IE",
    "CL",
    "ZA",
    "KE",
    "MA",
    "VN",
    "TH",
    "MY",
]
LANGUAGES = ["en", "de", "fr", "it", "es", "hi", "pt", "zh", "ja", "pl"]
FIELDS = [f"field{i}" for i in range(60)]
LABELS = ["gold", "silver", "bronze", "go-cluster", "esca"]


def relatedness() -> Relatedness:
    try:
        from evaluate import load_relatedness

        return load_relatedness()
    except FileNotFoundError:
        return Relatedness()


def synthetic(n: int, seed: int = 7) -> list[Profile]:
    rng = np.random.default_rng(seed)
    vocab = np.array([f"w{i}" for i in range(20_000)])
    zipf = 1.0 / np.arange(1, len(vocab) + 1)
    zipf /= zipf.sum()
    phrase_words = vocab[:2_000]
    profiles = []
    for i in range(n):

        def phrases(k: int) -> tuple[str, ...]:
            return tuple(" ".join(rng.choice(phrase_words, 2)) for _ in range(k))

        profiles.append(
            Profile(
                id=i,
                name=f"Organisation {i}",
                country=str(rng.choice(COUNTRIES)),
                kind="cluster_organisation",
                sectors=frozenset(f"USCMP:{c}" for c in rng.integers(1, 52, rng.integers(1, 4))),
                offers=phrases(int(rng.integers(2, 7))),
                needs=phrases(int(rng.integers(2, 7))),
                target_countries=frozenset(rng.choice(COUNTRIES, 3).tolist()),
                emerging_fields=frozenset(rng.choice(FIELDS, 2).tolist()),
                labels=frozenset(rng.choice(LABELS, 1).tolist()),
                languages=frozenset(rng.choice(LANGUAGES, 2).tolist()),
                text=" ".join(rng.choice(vocab, int(rng.integers(25, 61)), p=zipf)),
            )
        )
    return profiles


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    t0 = time.perf_counter()
    profiles = synthetic(args.profiles)
    t1 = time.perf_counter()
    index = MatchIndex(profiles, relatedness=relatedness())
    t2 = time.perf_counter()
    rng = np.random.default_rng(1)
    queries = [profiles[i] for i in rng.choice(len(profiles), args.queries, replace=False)]
    index.suggest(queries[0], limit=20)  # warm-up
    times = []
    for q in queries:
        start = time.perf_counter()
        result = index.suggest(q, limit=20)
        times.append((time.perf_counter() - start) * 1000)
        assert len(result) == 20
    times.sort()
    p95 = times[int(0.95 * len(times)) - 1]
    print(f"python {platform.python_version()}, {platform.machine()}, numpy {np.__version__}")
    print(f"profiles: {args.profiles:,}; matrix {index.matrix.shape}, nnz {index.matrix.nnz:,}")
    print(f"generate {t1 - t0:.1f} s, build index {t2 - t1:.1f} s")
    print(
        f"top-20 with reasons, {args.queries} queries: p50 {statistics.median(times):.1f} ms, "
        f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()

"""Precision at 10 of the matchmaking ranking vs a keyword search, on the U.S. cluster
organisations (clustermapping.us) — see ``clusterobs.collaboration.evaluation`` for the protocol.

    .venv/bin/python benchmarks/matchmaking/evaluate.py

Reads ``../shared/data`` beside the checkout; writes nothing (the numbers go in RESULTS.md).
"""

from __future__ import annotations

import csv
from pathlib import Path

from clusterobs.collaboration.evaluation import evaluate
from clusterobs.collaboration.matchmaking import Profile, Relatedness

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def load_relatedness() -> Relatedness:
    rel = Relatedness()
    path = DATA / "us_cluster_definitions" / "traded_cluster_relatedness_uscmp.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            a, b = f"USCMP:{row['cluster_code']}", f"USCMP:{row['cluster_code_2']}"
            io = row["cr_io_pc"].strip()
            rel.pairs.setdefault(a, {})[b] = (
                int(float(row["cr_all_pc"])),
                int(float(io)) if io else None,
            )
            rel.names[a], rel.names[b] = row["cluster_name"], row["cluster_name_2"]
    return rel


def load_profiles() -> tuple[list[Profile], dict[int, str]]:
    orgs: dict[int, dict] = {}
    path = DATA / "us_cluster_organizations" / "uscmp_cluster_organizations.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            org = orgs.setdefault(int(row["org_id"]), {"name": row["org_title"], "codes": {}})
            org["codes"][f"USCMP:{row['cluster_code']}"] = row["cluster_name"]
    profiles = [
        Profile(
            id=i,
            name=o["name"],
            country="US",
            sectors=frozenset(o["codes"]),
            text=" ".join([o["name"], *o["codes"].values()]),
        )
        for i, o in orgs.items()
    ]
    return profiles, {i: o["name"] for i, o in orgs.items()}


if __name__ == "__main__":
    profiles, names = load_profiles()
    result = evaluate(profiles, load_relatedness(), query_text=names)
    print(f"queries: {result.queries}, candidates per query: {result.candidates}")
    for name, value in result.precision_at_10.items():
        print(f"P@10 {name:24s} {value:.3f}")
    print(f"P@10 random (expected)          {result.random_expectation:.3f}")

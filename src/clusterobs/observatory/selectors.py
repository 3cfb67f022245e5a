"""Reads behind every observatory page and its JSON twin.

Each public function returns plain JSON-ready data (dicts, lists of row dicts): the page renders
it, the API returns it unchanged, and the CSV export flattens one of its ``tables``, so the three
can never disagree. Results are memoised per result version (see :mod:`.store`).

Conventions shown to users (``FIELDS``): employment includes imputed values for suppressed cells
(midpoint of the size class by default) and every row says how much was imputed
(``employment_status``: ``reported``, ``partly_imputed``, ``imputed``); wages use reported cells
only and are ``null`` with ``wage_status = "suppressed"`` when no cell was published.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from django.db.models import Q
from django.urls import reverse

from clusterobs.mapping.conventions import GLOSSARY
from clusterobs.mapping.service import warnings as build_warnings
from clusterobs.observatory.store import ResultsStore

# Colour-blind-safe palettes: viridis (sequential, 5 classes) and Okabe-Ito (categorical).
VIRIDIS5 = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"]
NO_DATA = "#d9d9d9"
# Seconds a page may show registry records (database) located in a region or tagged with a
# cluster before re-reading them; statistics themselves are cached per result version.
DB_TTL = 60.0
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]

FIELDS: dict[str, dict[str, str]] = {
    "employment": {
        "label": "Employment",
        "definition": "Jobs in the region (CBP mid-March employment). Suppressed cells are "
        "imputed (see employment_status and employment_imputed).",
        "source": "U.S. Census County Business Patterns via the mapping engine",
    },
    "employment_imputed": {
        "label": "Imputed employment",
        "definition": "Part of employment estimated for cells CBP withheld (size-class midpoint "
        "or constrained imputation, see the manifest).",
        "source": "mapping engine (imputation)",
    },
    "establishments": {
        "label": "Establishments",
        "definition": "Number of establishments in the cluster's industries.",
        "source": "CBP",
    },
    "wage": {
        "label": "Average annual wage",
        "definition": "Annual payroll / reported employment over cells where both are published; "
        "imputed employment never enters a wage.",
        "source": "CBP",
    },
    # The statistics: one text each, next to the expression that computes it.
    **GLOSSARY,
}

INDUSTRY_COLUMNS = ["industry_code", "industry_title", "subcluster_code"]
MAP_INDICATORS = {
    "lq_traded_local": "LQ (traded/local economy)",
    "lq_total": "LQ (all industries)",
    "strong": "Strong cluster (1 = strong)",
    "eco_stars": "ECO stars",
    "employment": "Employment",
    "emp_cagr": "Employment growth (CAGR, first to last year)",
    "cluster_strength": "Cluster strength (regions, no cluster)",
}


# Helpers ---------------------------------------------------------------------------------


def _py(value: Any) -> Any:
    """A JSON-safe Python value (NaN/NA -> None, numpy scalars -> Python)."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else round(f, 6)
    return value


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    cols = list(df.columns)
    return [
        {c: _py(v) for c, v in zip(cols, row, strict=True)}
        for row in df.itertuples(index=False, name=None)
    ]


def employment_status(reported: float, imputed: float, employment: float) -> str:
    if not employment:
        return "none"
    if imputed and imputed >= employment - 1e-9:
        return "imputed"
    if imputed:
        return "partly_imputed"
    return "reported"


def _add_status(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["employment_status"] = [
        employment_status(r, i, e)
        for r, i, e in zip(
            df["employment_reported"].fillna(0),
            df["employment_imputed"].fillna(0),
            df["employment"].fillna(0),
            strict=True,
        )
    ]
    if "wage" in df.columns:
        df["wage_status"] = np.where(
            df["wage"].isna() & (df["employment"].fillna(0) > 0), "suppressed", "reported"
        )
    return df


def _cagr(start: float | None, end: float | None, years: int) -> float | None:
    if start is None or end is None or years <= 0 or not start or start <= 0:
        return None
    if end is None or (isinstance(end, float) and math.isnan(end)):
        return None
    return (end / start) ** (1 / years) - 1


@lru_cache(maxsize=64)
def _region_names_cached(region_type: str, version: float) -> dict[str, str]:
    from clusterobs.regions.models import Region
    from clusterobs.sources.regions import US_STATES

    names: dict[str, str] = dict(US_STATES) if region_type == "state" else {}
    qs = Region.objects.filter(Q(region_type__iexact=region_type) | Q(level=region_type))
    if region_type == "state":
        qs = qs.filter(country="US")
    for code, name in qs.values_list("code", "name"):
        names.setdefault(code, name)
    return names


def region_names(store: ResultsStore, region_type: str) -> dict[str, str]:
    """Names of a type's regions: the regions app, else the built-in U.S. states, else codes."""
    return _region_names_cached(region_type, store.version)


def region_name(store: ResultsStore, region_type: str, code: str) -> str:
    return region_names(store, region_type).get(code, code)


def cluster_names(store: ResultsStore) -> dict[str, str]:
    c = store.clusters
    return dict(zip(c["cluster_code"], c["cluster_name"], strict=True))


def _year(store: ResultsStore, year: int | None) -> int:
    if year is None or year not in store.years:
        return store.years[-1]
    return int(year)


def _start_year(store: ResultsStore, year: int) -> int:
    """The default start of a growth period ending in ``year``: the first year of the run of
    years that share ``year``'s classification vintage (growth across a vintage change compares
    differently mapped industries; see ``mapping.coverage``)."""
    vintages = {
        int(y): v for y, v in store.manifest.get("input", {}).get("vintages_by_year", {}).items()
    }
    start = year
    for y in sorted((y for y in store.years if y < year), reverse=True):
        if vintages.get(y) != vintages.get(year):
            break
        start = y
    return start


def _coverage_notes(
    store: ResultsStore, region_type: str, code: str, start: int, end: int
) -> list[str]:
    """Warnings about this region's coverage of the published total (``mapping.coverage``)."""
    ry = _region_year(store, region_type)
    if "coverage_flag" not in ry.columns:
        return []
    mine = ry[(ry["region_code"] == code) & ry["year"].between(start, end)]
    notes = []
    for r in mine[mine["coverage_flag"].notna()].sort_values("year").itertuples():
        what = "low coverage" if r.coverage_flag == "low" else "coverage break"
        notes.append(
            f"{r.year}: {what}: detailed industries add up to {r.coverage:.1%} of the published "
            "total; cluster figures of that year are understated or not comparable."
        )
    return notes


def _region_year(store: ResultsStore, region_type: str) -> pd.DataFrame:
    return store.memo(
        ("ry", region_type),
        lambda: store.query("SELECT * FROM ry WHERE region_type = ?", [region_type]),
    )


def _cluster_level(store: ResultsStore, region_type: str) -> pd.DataFrame:
    """All cluster-level rows of a region type (small for state/county builds)."""
    return store.memo(
        ("cl", region_type),
        lambda: store.query(
            "SELECT * FROM cry WHERE region_type = ? AND subcluster_code IS NULL",
            [region_type],
        ),
    )


def _national_clusters(store: ResultsStore, region_type: str) -> pd.DataFrame:
    """National cluster figures per year: employment, establishments, wage (sums over regions)."""

    def compute() -> pd.DataFrame:
        return store.query(
            "SELECT cluster_code, year, any_value(cluster_name) cluster_name, "
            "bool_or(traded) traded, any_value(national_employment) national_employment, "
            "sum(employment_imputed) employment_imputed, sum(establishments) establishments, "
            "sum(wage_payroll) / nullif(sum(wage_employment), 0) wage, "
            "count(*) FILTER (WHERE strong) strong_regions "
            "FROM cry WHERE region_type = ? AND subcluster_code IS NULL GROUP BY 1, 2 "
            "ORDER BY 1, 2",
            [region_type],
        )

    return store.memo(("nat", region_type), compute)


def _change(store: ResultsStore, region_type: str, start: int, end: int) -> pd.DataFrame:
    return store.memo(
        ("change", region_type, start, end),
        lambda: store.query(
            "SELECT * FROM change WHERE region_type = ? AND start_year = ? AND end_year = ?",
            [region_type, start, end],
        ),
    )


def _table(rows: list[dict[str, Any]], columns: Iterable[str] | None = None) -> dict[str, Any]:
    cols = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    return {"columns": cols, "rows": rows}


def dataset_info(store: ResultsStore) -> dict[str, Any]:
    m = store.manifest
    return {
        "name": store.name,
        "years": store.years,
        "region_types": store.region_types,
        "imputation": m.get("imputation"),
        "definition": m.get("definition", {}),
        "conventions": m.get("conventions", {}),
        "source": (m.get("input") or {}).get("path"),
        "vintages_by_year": (m.get("input") or {}).get("vintages_by_year", {}),
        "warnings": [*store.input_problems, *build_warnings(m)],
    }


# Regions ---------------------------------------------------------------------------------


def region_list(store: ResultsStore, region_type: str | None = None) -> list[dict[str, Any]]:
    rt = region_type or store.main_type
    names = region_names(store, rt)
    return [
        {"region_type": rt, "region_code": c, "name": names.get(c, c)}
        for c in store.region_codes(rt)
    ]


def region_exists(store: ResultsStore, region_type: str, code: str) -> bool:
    codes = store.memo(("codes", region_type), lambda: set(store.region_codes(region_type)))
    return code in codes


def _summary(store: ResultsStore, region_type: str, code: str | None, year: int) -> dict:
    """Employment, establishments, wage, strength and growth of a region (or the nation)."""
    start = _start_year(store, year)
    ry = _region_year(store, region_type)
    cl = _cluster_level(store, region_type)
    if code is not None:
        ry = ry[ry["region_code"] == code]
        cl = cl[cl["region_code"] == code]
    by_year = ry.groupby("year")[["employment", "traded_employment", "local_employment"]].sum()
    c = cl.groupby("year")[
        ["establishments", "wage_payroll", "wage_employment", "employment_imputed"]
    ].sum()
    out: dict[str, Any] = {}
    for y in (start, year):
        e = by_year.loc[y] if y in by_year.index else None
        w = c.loc[y] if y in c.index else None
        out[y] = {
            "employment": _py(e["employment"]) if e is not None else None,
            "traded_employment": _py(e["traded_employment"]) if e is not None else None,
            "local_employment": _py(e["local_employment"]) if e is not None else None,
            "establishments": _py(w["establishments"]) if w is not None else None,
            "employment_imputed": _py(w["employment_imputed"]) if w is not None else None,
            "wage": _py(w["wage_payroll"] / w["wage_employment"])
            if w is not None and w["wage_employment"]
            else None,
        }
    s, e = out[start], out[year]
    n = year - start
    strength = ry[ry["year"] == year]["cluster_strength"]
    result = {
        **e,
        "traded_share": _py(
            e["traded_employment"] / (e["traded_employment"] + e["local_employment"])
        )
        if e["traded_employment"] is not None and (e["traded_employment"] + e["local_employment"])
        else None,
        "cluster_strength": _py(strength.iloc[0] if code is not None and len(strength) else None)
        if code is not None
        else _py(strength.mean()),
        "employment_cagr": _py(_cagr(s["employment"], e["employment"], n)),
        "establishments_cagr": _py(_cagr(s["establishments"], e["establishments"], n)),
        "wage_cagr": _py(_cagr(s["wage"], e["wage"], n)),
        "start_year": start,
        "year": year,
    }
    return result


def _timeline(store: ResultsStore, region_type: str, code: str) -> list[dict[str, Any]]:
    ry = _region_year(store, region_type)
    nat = ry.groupby("year")[["employment", "traded_employment"]].sum()
    mine = ry[ry["region_code"] == code].set_index("year").sort_index()
    rows = []
    base_r = mine["employment"].iloc[0] if len(mine) else None
    base_n = nat["employment"].iloc[0] if len(nat) else None
    for y, r in mine.iterrows():
        rows.append(
            {
                "year": int(y),
                "employment": _py(r["employment"]),
                "traded_employment": _py(r["traded_employment"]),
                "cluster_strength": _py(r["cluster_strength"]),
                "national_employment": _py(nat.loc[y, "employment"]),
                "employment_index": _py(100 * r["employment"] / base_r) if base_r else None,
                "national_index": _py(100 * nat.loc[y, "employment"] / base_n) if base_n else None,
            }
        )
    return rows


PORTFOLIO_COLUMNS = [
    "cluster_code",
    "cluster_name",
    "traded",
    "employment",
    "employment_reported",
    "employment_imputed",
    "employment_status",
    "establishments",
    "wage",
    "wage_status",
    "lq_traded_local",
    "lq_total",
    "national_share",
    "national_share_change",
    "emp_cagr",
    "job_creation",
    "strong",
    "strong10",
    "eco_stars",
    "employment_rank",
    "lq_rank",
]


def _clusters_in_region(
    store: ResultsStore, region_type: str, code: str, year: int
) -> pd.DataFrame:
    start = _start_year(store, year)
    cl = _cluster_level(store, region_type)
    cl = cl[cl["region_code"] == code]
    now = cl[cl["year"] == year]
    then = cl[cl["year"] == start][["cluster_code", "national_share"]].rename(
        columns={"national_share": "share_start"}
    )
    df = now.merge(then, on="cluster_code", how="left")
    df["national_share_change"] = df["national_share"] - df["share_start"]
    ch = _change(store, region_type, start, year)
    ch = ch[(ch["region_code"] == code) & ch["subcluster_code"].isna()][
        ["cluster_code", "emp_cagr", "job_creation"]
    ]
    df = df.merge(ch, on="cluster_code", how="left")
    if start == year:
        df["emp_cagr"] = np.nan
        df["job_creation"] = np.nan
    df = _add_status(df)
    return df.sort_values("employment", ascending=False)[PORTFOLIO_COLUMNS]


def find_region(region_type: str, code: str):
    """The regions-app record of a result region (U.S. states first for 2-digit FIPS codes:
    results do not record their country, and state codes repeat across countries)."""
    from clusterobs.regions.models import Region
    from clusterobs.sources.regions import US_STATES

    qs = Region.objects.filter(code=code).filter(
        Q(region_type__iexact=region_type) | Q(level=region_type)
    )
    if region_type == "state" and code in US_STATES:
        us = qs.filter(country="US").first()
        if us is not None:
            return us
    return qs.order_by("country").first()


def _registry_in_region(region_type: str, code: str) -> dict[str, list[dict[str, Any]]]:
    """Published registry organisations and clusters located in the region (or its children)."""
    from clusterobs.registry.models import Cluster, Organisation

    r = find_region(region_type, code)
    if r is None:
        return {"organisations": [], "clusters": []}
    # Registry records point at a state (and clusters also at a district) of the regions app.
    orgs = Organisation.objects.filter(Q(state=r) | Q(state__parent=r), published=True).order_by(
        "name"
    )[:200]
    clusters = Cluster.objects.filter(
        Q(state=r) | Q(district=r) | Q(state__parent=r), published=True
    )
    return {
        "organisations": [
            {
                "name": o.name,
                "url": reverse("organisation-detail", args=[o.slug]),
                "latitude": o.latitude,
                "longitude": o.longitude,
            }
            for o in orgs
        ],
        "clusters": [
            {
                "name": c.name,
                "url": reverse("cluster-detail", args=[c.slug]),
                "latitude": c.latitude,
                "longitude": c.longitude,
            }
            for c in clusters.order_by("name")[:200]
        ],
    }


def _sub_regions(region_type: str, code: str) -> list[dict[str, Any]]:

    parent = find_region(region_type, code)
    if parent is None:
        return []
    return [
        {"code": c.code, "name": c.name, "region_type": c.region_type or c.level}
        for c in parent.children.order_by("name")[:500]
    ]


def region_dashboard(
    store: ResultsStore, region_type: str, code: str, year: int | None = None
) -> dict[str, Any]:
    """Everything the region dashboard shows (the page and ``/api/observatory/regions/<code>/``)."""
    year = _year(store, year)

    def compute() -> dict[str, Any]:
        clusters = _clusters_in_region(store, region_type, code, year)
        rows = records(clusters)
        traded = [r for r in rows if r["traded"]]
        top = sorted(traded, key=lambda r: -(r["employment"] or 0))[:10]
        portfolio = [
            {
                k: r[k]
                for k in (
                    "cluster_code",
                    "cluster_name",
                    "national_share",
                    "national_share_change",
                    "employment",
                    "employment_status",
                    "strong",
                )
            }
            for r in traded
            if r["employment"]
        ]
        return {
            "dataset": dataset_info(store),
            "region": {
                "region_type": region_type,
                "region_code": code,
                "name": region_name(store, region_type, code),
            },
            "year": year,
            "start_year": _start_year(store, year),
            "coverage_notes": _coverage_notes(
                store, region_type, code, _start_year(store, year), year
            ),
            "summary": {
                "region": _summary(store, region_type, code, year),
                "nation": _summary(store, region_type, None, year),
            },
            "tables": {
                "top_clusters": _table(top, PORTFOLIO_COLUMNS),
                "clusters": _table(rows, PORTFOLIO_COLUMNS),
                "portfolio": _table(portfolio),
                "timeline": _table(_timeline(store, region_type, code)),
            },
            "fields": FIELDS,
        }

    data = store.memo(("region", region_type, code, year), compute)
    # Registry and sub-regions come from the database, which may change: kept one minute.
    db = store.memo(
        ("region-db", region_type, code),
        lambda: {
            "sub_regions": _sub_regions(region_type, code),
            "registry": _registry_in_region(region_type, code),
        },
        ttl=DB_TTL,
    )
    return {**data, **db}


# Clusters --------------------------------------------------------------------------------


def cluster_exists(store: ResultsStore, cluster: str) -> bool:
    return bool((store.clusters["cluster_code"] == cluster).any())


def cluster_list(store: ResultsStore) -> list[dict[str, Any]]:
    return records(store.clusters)


def _relatedness_code_map(store: ResultsStore) -> dict[str, str] | None:
    """Relatedness-table code -> result cluster code, matched by cluster *name*.

    The published relatedness table numbers clusters like the 2014+ U.S. Cluster Mapping
    definitions; other definitions (e.g. the NAICS 2007 web file, where 1 is "Aerospace
    Engines", not "Aerospace Vehicles and Defense") number them differently, so codes alone would
    link the wrong clusters. With the table's names (manifest input) clusters are matched by name
    and unmatched ones are left out; without it, codes are used as they are (``None``).
    """

    def compute() -> dict[str, str] | None:
        path = store.input_path("relatedness")
        if path is None:
            return None
        rel = pd.read_csv(path, dtype=str, usecols=["cluster_code", "cluster_name"])
        by_name = {str(n).strip().lower(): c for c, n in cluster_names(store).items()}
        out = {}
        for code, name in rel.drop_duplicates().itertuples(index=False):
            hit = by_name.get(str(name).strip().lower())
            if hit is not None:
                out[str(code)] = hit
        return out

    return store.memo(("relmap",), compute)


def _uscmp_codes(store: ResultsStore, cluster: str) -> list[str]:
    """The registry's U.S. Cluster Mapping codes of a result cluster: the relatedness table uses
    the registry's numbering, so its name match translates codes; without it, the code itself."""
    code_map = _relatedness_code_map(store)
    if code_map is None:
        return [cluster]
    return [k for k, v in code_map.items() if v == cluster]


def _related(
    store: ResultsStore, cluster: str, region_type: str, focus: str | None, year: int
) -> dict[str, Any]:
    names = cluster_names(store)
    nodes: dict[str, dict[str, Any]] = {}
    links: list[dict[str, Any]] = []
    code_map = _relatedness_code_map(store)
    inverse = {v: k for k, v in (code_map or {}).items()}
    if store.has("related") and (code_map is None or cluster in inverse):
        key = inverse.get(cluster, cluster)
        rel = store.query(
            "SELECT * FROM related WHERE cluster_code = ? OR related_cluster_code = ?",
            [key, key],
        )
        seen = set()
        for r in rel.itertuples():
            other = r.related_cluster_code if r.cluster_code == key else r.cluster_code
            other = code_map.get(other) if code_map is not None else other
            if other is None or other in seen or other not in names or other == cluster:
                continue
            seen.add(other)
            links.append({"source": cluster, "target": other, "relatedness": r.relatedness})
    codes = [cluster, *[lk["target"] for lk in links]]
    strength: dict[str, dict[str, Any]] = {}
    if focus:
        cl = _cluster_level(store, region_type)
        cl = cl[(cl["region_code"] == focus) & (cl["year"] == year)]
        strength = {
            r["cluster_code"]: r for r in records(cl[["cluster_code", "lq_traded_local", "strong"]])
        }
    for c in codes:
        s = strength.get(c, {})
        nodes[c] = {
            "cluster_code": c,
            "cluster_name": names.get(c, c),
            "lq_traded_local": s.get("lq_traded_local"),
            "strong": s.get("strong"),
        }
    matched = "name" if code_map is not None else "code"
    return {"nodes": list(nodes.values()), "links": links, "matched_by": matched}


def _registry_for_cluster(
    cluster: str, name: str, uscmp_codes: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """Registry records tagged with the cluster: by U.S. Cluster Mapping code (``uscmp_codes``,
    already translated to the registry's numbering) or by the code's title equal to the name."""
    from clusterobs.registry.models import Cluster, Organisation

    org_q = Q(sector_codes__code__in=uscmp_codes) | Q(sector_codes__title__iexact=name)
    orgs = (
        Organisation.objects.filter(org_q, published=True, sector_codes__classification="USCMP")
        .distinct()
        .order_by("name")[:200]
    )
    cl_q = Q(industry_codes__code__in=uscmp_codes) | Q(industry_codes__title__iexact=name)
    clusters = (
        Cluster.objects.filter(cl_q, published=True, industry_codes__classification="USCMP")
        .distinct()
        .order_by("name")[:200]
    )

    def row(o: Any, kind: str) -> dict[str, Any]:
        return {
            "name": o.name,
            "url": reverse(f"{kind}-detail", args=[o.slug]),
            "latitude": o.latitude,
            "longitude": o.longitude,
        }

    return {
        "organisations": [row(o, "organisation") for o in orgs],
        "clusters": [row(c, "cluster") for c in clusters],
    }


REGION_COLUMNS = [
    "region_code",
    "name",
    "employment",
    "employment_reported",
    "employment_imputed",
    "employment_status",
    "establishments",
    "wage",
    "wage_status",
    "lq_traded_local",
    "lq_total",
    "national_share",
    "strong",
    "eco_stars",
    "emp_cagr",
    "job_creation",
    "employment_rank",
]


def _cluster_regions(
    store: ResultsStore, cluster: str, region_type: str, year: int, subcluster: str | None = None
) -> pd.DataFrame:
    start = _start_year(store, year)
    if subcluster:
        rows = store.query(
            "SELECT * FROM cry WHERE region_type = ? AND cluster_code = ? AND subcluster_code = ? "
            "AND year = ?",
            [region_type, cluster, subcluster, year],
        )
    else:
        cl = _cluster_level(store, region_type)
        rows = cl[(cl["cluster_code"] == cluster) & (cl["year"] == year)]
    ch = _change(store, region_type, start, year)
    sub = ch["subcluster_code"] == subcluster if subcluster else ch["subcluster_code"].isna()
    ch = ch[(ch["cluster_code"] == cluster) & sub][["region_code", "emp_cagr", "job_creation"]]
    df = rows.merge(ch, on="region_code", how="left")
    if start == year:
        df["emp_cagr"] = np.nan
        df["job_creation"] = np.nan
    names = region_names(store, region_type)
    df["name"] = df["region_code"].map(lambda c: names.get(c, c))
    df = _add_status(df)
    return df.sort_values("employment", ascending=False)[REGION_COLUMNS]


def cluster_dashboard(
    store: ResultsStore,
    cluster: str,
    region_type: str | None = None,
    year: int | None = None,
    focus: str | None = None,
) -> dict[str, Any]:
    """National trend, top regions, sub-clusters, related clusters, registry, industries."""
    rt = region_type or store.main_type
    year = _year(store, year)

    def compute() -> dict[str, Any]:
        nat = _national_clusters(store, rt)
        nat = nat[nat["cluster_code"] == cluster]
        trend = records(
            nat[["year", "national_employment", "employment_imputed", "establishments", "wage"]]
            .rename(columns={"national_employment": "employment"})
            .assign(strong_regions=nat["strong_regions"])
        )
        regions = records(_cluster_regions(store, cluster, rt, year))
        subs = store.query(
            "SELECT subcluster_code, any_value(subcluster_name) subcluster_name, "
            "sum(employment) employment, sum(employment_imputed) employment_imputed, "
            "count(*) FILTER (WHERE strong) strong_regions "
            "FROM cry WHERE region_type = ? AND cluster_code = ? AND year = ? "
            "AND subcluster_code IS NOT NULL GROUP BY 1 ORDER BY employment DESC",
            [rt, cluster, year],
        )
        d = store.definition
        inds = d[d["cluster_code"] == cluster][
            ["industry_code", "industry_title", "subcluster_code"]
        ]
        meta = store.clusters[store.clusters["cluster_code"] == cluster]
        return {
            "dataset": dataset_info(store),
            "cluster": {
                "cluster_code": cluster,
                "cluster_name": meta["cluster_name"].iloc[0] if len(meta) else cluster,
                "traded": bool(meta["traded"].iloc[0]) if len(meta) else None,
            },
            "region_type": rt,
            "year": year,
            "start_year": _start_year(store, year),
            "tables": {
                "trend": _table(trend),
                "top_regions": _table(regions, REGION_COLUMNS),
                "subclusters": _table(records(subs)),
                "industries": _table(records(inds), list(inds.columns)),
            },
            "fields": FIELDS,
        }

    data = store.memo(("cluster", cluster, rt, year), compute)
    return {
        **data,
        "focus_region": focus,
        "related": store.memo(
            ("related", cluster, rt, focus, year), lambda: _related(store, cluster, rt, focus, year)
        ),
        "registry": store.memo(
            ("cluster-db", cluster),
            lambda: _registry_for_cluster(
                cluster, data["cluster"]["cluster_name"], _uscmp_codes(store, cluster)
            ),
            ttl=DB_TTL,
        ),
    }


def region_cluster(
    store: ResultsStore, region_type: str, code: str, cluster: str, year: int | None = None
) -> dict[str, Any]:
    """One cluster in one region over time, its shift-share, wages against the nation."""
    year = _year(store, year)

    def compute() -> dict[str, Any]:
        cl = _cluster_level(store, region_type)
        mine = cl[(cl["region_code"] == code) & (cl["cluster_code"] == cluster)].sort_values("year")
        nat = _national_clusters(store, region_type)
        nat = nat[nat["cluster_code"] == cluster][["year", "wage"]].rename(
            columns={"wage": "national_wage"}
        )
        t = _add_status(mine).merge(nat, on="year", how="left")
        timeline = records(
            t[
                [
                    "year",
                    "employment",
                    "employment_reported",
                    "employment_imputed",
                    "employment_status",
                    "establishments",
                    "wage",
                    "wage_status",
                    "national_wage",
                    "national_employment",
                    "lq_traded_local",
                    "lq_total",
                    "national_share",
                    "strong",
                    "eco_stars",
                ]
            ]
        )
        ch = store.query(
            "SELECT start_year, end_year, employment_start, employment_end, job_creation, "
            "expected_job_creation, emp_cagr, ss_national_share, ss_industry_mix, "
            "ss_regional_share, wage_start, wage_end, lq_change FROM change "
            "WHERE region_type = ? AND region_code = ? AND cluster_code = ? "
            "AND subcluster_code IS NULL ORDER BY end_year - start_year > 1, start_year",
            [region_type, code, cluster],
        )
        subs = store.query(
            "SELECT subcluster_code, subcluster_name, employment, employment_reported, "
            "employment_imputed, lq_traded_local, strong FROM cry WHERE region_type = ? AND "
            "region_code = ? AND cluster_code = ? AND year = ? AND subcluster_code IS NOT NULL "
            "ORDER BY employment DESC",
            [region_type, code, cluster, year],
        )
        d = store.definition
        inds = d[d["cluster_code"] == cluster][
            ["industry_code", "industry_title", "subcluster_code"]
        ]
        meta = store.clusters[store.clusters["cluster_code"] == cluster]
        return {
            "dataset": dataset_info(store),
            "region": {
                "region_type": region_type,
                "region_code": code,
                "name": region_name(store, region_type, code),
            },
            "cluster": {
                "cluster_code": cluster,
                "cluster_name": meta["cluster_name"].iloc[0] if len(meta) else cluster,
                "traded": bool(meta["traded"].iloc[0]) if len(meta) else None,
            },
            "year": year,
            "tables": {
                "timeline": _table(timeline),
                "change": _table(records(ch), list(ch.columns)),
                "subclusters": _table(records(_add_status(subs)) if len(subs) else []),
                "industries": _table(records(inds), list(inds.columns)),
            },
            "fields": FIELDS,
        }

    return store.memo(("rc", region_type, code, cluster, year), compute)


# Maps ------------------------------------------------------------------------------------


def _classes(values: pd.Series, k: int = 5) -> tuple[list[float], pd.Series]:
    """Quantile class breaks (``k`` classes) and each value's class (-1 = no data)."""
    v = values.dropna().astype(float)
    if v.empty:
        return [], pd.Series(-1, index=values.index)
    qs = sorted(set(np.quantile(v, [i / k for i in range(1, k)], method="linear").round(6)))
    cls = pd.Series(np.searchsorted(qs, values.astype(float), side="right"), index=values.index)
    cls = cls.where(values.notna(), -1)
    if len(qs) < k - 1:  # few distinct values: spread classes over the palette
        scale = (k - 1) / max(len(qs), 1)
        cls = cls.where(cls < 0, (cls * scale).round().astype(int))
    return [float(q) for q in qs], cls.astype(int)


def map_values(
    store: ResultsStore,
    *,
    region_type: str | None = None,
    cluster: str | None = None,
    subcluster: str | None = None,
    indicator: str = "lq_traded_local",
    year: int | None = None,
) -> dict[str, Any]:
    """Values, classes and colours of a choropleth (colours decided here, drawn by the page)."""
    rt = region_type or store.main_type
    year = _year(store, year)
    if indicator not in MAP_INDICATORS:
        raise ValueError(f"unknown indicator {indicator!r}")
    if cluster is None or indicator == "cluster_strength":
        df = _region_year(store, rt)
        df = df[df["year"] == year][["region_code", "employment", "cluster_strength"]].copy()
        if indicator not in ("employment", "cluster_strength"):
            indicator = "cluster_strength"
        df["value"] = df[indicator]
        df["employment_status"] = "reported"
        names = region_names(store, rt)
        df["name"] = df["region_code"].map(lambda c: names.get(c, c))
        cluster = None
    else:
        df = _cluster_regions(store, cluster, rt, year, subcluster)
        value = df[indicator]
        if indicator == "strong":
            value = value.astype("float64")
        df = df.assign(value=value)
        # Every region of the type is drawn; one without a row has no data (never zero).
        names = region_names(store, rt)
        every = pd.DataFrame({"region_code": store.region_codes(rt)})
        df = every.merge(df, on="region_code", how="left")
        df["name"] = df["region_code"].map(lambda c: names.get(c, c))
        df["employment_status"] = df["employment_status"].fillna("none")
    breaks, cls = _classes(df["value"])
    df["class"] = cls
    df["color"] = [VIRIDIS5[c] if c >= 0 else NO_DATA for c in cls]
    rows = records(
        df[["region_code", "name", "value", "class", "color", "employment", "employment_status"]]
    )
    return {
        "dataset": store.name,
        "region_type": rt,
        "cluster": cluster,
        "cluster_name": cluster_names(store).get(cluster or "", None),
        "subcluster": subcluster,
        "indicator": indicator,
        "indicator_label": MAP_INDICATORS[indicator],
        "year": year,
        "breaks": breaks,
        "palette": VIRIDIS5,
        "no_data": NO_DATA,
        "tables": {"values": _table(rows)},
    }


# Search ----------------------------------------------------------------------------------


def search(store: ResultsStore, q: str, limit: int = 20) -> list[dict[str, Any]]:
    """Regions, clusters, industry titles and codes ("which cluster is NAICS 336111 in?")."""
    q = q.strip()
    if len(q) < 2:
        return []
    ql = q.lower()
    out: list[dict[str, Any]] = []
    rt = store.main_type
    for code, name in region_names(store, rt).items():
        if code in store.region_codes(rt) and (ql in name.lower() or ql == code.lower()):
            out.append(
                {
                    "kind": "region",
                    "label": name,
                    "code": code,
                    "url": reverse("observatory:region", args=[rt, code]),
                }
            )
    for c in store.clusters.itertuples():
        if ql in str(c.cluster_name).lower() or ql == str(c.cluster_code):
            out.append(
                {
                    "kind": "cluster",
                    "label": c.cluster_name,
                    "code": c.cluster_code,
                    "url": reverse("observatory:cluster", args=[c.cluster_code]),
                }
            )
    d = store.definition
    if len(d):
        digits = "".join(ch for ch in q if ch.isdigit())
        names = cluster_names(store)
        codes = d["industry_code"].fillna("").astype(str)
        by_code = d[codes.str.startswith(digits)] if len(digits) >= 2 else d.iloc[:0]
        by_title = d[d["industry_title"].fillna("").str.lower().str.contains(ql, regex=False)]
        hits = pd.concat([by_code, by_title]).drop_duplicates("industry_code")
        for r in hits.head(limit).itertuples():
            cname = names.get(r.cluster_code, r.cluster_code)
            out.append(
                {
                    "kind": "industry",
                    # A missing title is pandas' NA, whose truth value is an error: test it.
                    "label": f"{r.industry_code} {_text(r.industry_title)}".strip(),
                    "code": r.industry_code,
                    "detail": f"in cluster {cname}",
                    "cluster_code": r.cluster_code,
                    "url": reverse("observatory:cluster", args=[r.cluster_code]),
                }
            )
    order = {"region": 0, "cluster": 1, "industry": 2}
    out.sort(key=lambda r: (order[r["kind"]], not r["label"].lower().startswith(ql), r["label"]))
    return out[:limit]


def _text(value: object) -> str:
    """``value`` as text, "" for a missing value (None, NaN or pandas' NA)."""
    return "" if value is None or pd.isna(value) else str(value)


# Compare and peers -----------------------------------------------------------------------

COMPARE_INDICATORS = [
    "employment",
    "employment_cagr",
    "establishments",
    "wage",
    "traded_share",
    "cluster_strength",
]


def compare(
    store: ResultsStore,
    region_type: str,
    codes: list[str],
    clusters: list[str],
    year: int | None = None,
    cluster_indicator: str = "lq_traded_local",
) -> dict[str, Any]:
    """Up to 10 regions side by side: summary indicators and chosen clusters' values."""
    year = _year(store, year)
    codes = [c for c in codes if region_exists(store, region_type, c)][:10]
    names = region_names(store, region_type)
    rows = []
    cl = _cluster_level(store, region_type)
    cl = cl[
        (cl["year"] == year) & cl["region_code"].isin(codes) & cl["cluster_code"].isin(clusters)
    ]
    cnames = cluster_names(store)
    for code in codes:
        s = _summary(store, region_type, code, year)
        row = {"region_code": code, "name": names.get(code, code)}
        row.update({k: s[k] for k in COMPARE_INDICATORS})
        mine = cl[cl["region_code"] == code].set_index("cluster_code")
        for c in clusters:
            row[f"{cluster_indicator}:{c}"] = (
                _py(mine.loc[c, cluster_indicator]) if c in mine.index else None
            )
        rows.append(row)
    columns = [
        "region_code",
        "name",
        *COMPARE_INDICATORS,
        *[f"{cluster_indicator}:{c}" for c in clusters],
    ]
    return {
        "dataset": store.name,
        "region_type": region_type,
        "year": year,
        "clusters": [{"cluster_code": c, "cluster_name": cnames.get(c, c)} for c in clusters],
        "cluster_indicator": cluster_indicator,
        "tables": {"compare": _table(rows, columns)},
        "fields": FIELDS,
    }


def peers(
    store: ResultsStore, region_type: str, code: str, cluster: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Peer groups: neighbours, same parent, similar size, and where a cluster is strong."""
    from clusterobs.observatory import geography

    names = region_names(store, region_type)
    known = set(store.region_codes(region_type))

    def named(codes: Iterable[str]) -> list[dict[str, Any]]:
        return [{"region_code": c, "name": names.get(c, c)} for c in codes if c in known]

    year = store.years[-1]
    ry = _region_year(store, region_type)
    ry = ry[ry["year"] == year].set_index("region_code")
    similar: list[str] = []
    if code in ry.index:
        e = ry["employment"]
        similar = list((e - e[code]).abs().drop(code).sort_values().index[:5])
    strong: list[str] = []
    if cluster:
        cl = _cluster_level(store, region_type)
        cl = cl[(cl["year"] == year) & (cl["cluster_code"] == cluster) & cl["strong"].fillna(False)]
        strong = [c for c in cl.sort_values("lq_traded_local", ascending=False)["region_code"]]
        strong = [c for c in strong if c != code][:10]
    return {
        "neighbours": named(geography.neighbours(region_type, code)),
        "same_parent": named(geography.same_parent(region_type, code)),
        "similar_size": named(similar),
        "strong_in_cluster": named(strong),
    }

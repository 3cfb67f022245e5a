"""Reads behind the complexity pages and their JSON twins (``/api/observatory/complexity/``).

Same contract as the other observatory selectors: every function returns JSON-ready data, the
page renders it, the API returns it unchanged and the CSV export flattens one of its
``tables``. The statistics come from the result's complexity files
(:mod:`clusterobs.complexity.outputs`); rankings, reasons and the smart-specialisation check
are computed by :mod:`clusterobs.complexity.opportunities` on the rows of one region and
year. Everything is memoised per result version (see :mod:`.store`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from clusterobs.complexity import density, eci, opportunities, outlook, proximity, rca
from clusterobs.observatory.selectors.caching import cluster_names, region_names
from clusterobs.observatory.selectors.results import dataset_info
from clusterobs.observatory.store import ResultsStore, industry_titles

VIEWS = ("cx_region", "cx_industry", "cx_density")
SORTS = ("score", "density", "pci", "cog", "wage", "employment_growth")
DEFAULT_LIMIT = 25
ALTERNATIVES = 10


class NoComplexityError(LookupError):
    """The result was published without complexity outputs."""


#: declared priorities checked at most in the smart-specialisation check (the chart outlines
#: each one); the page names those left out, the API refuses more
MAX_PRIORITIES = 50


def available(store: ResultsStore) -> bool:
    return all(store.has(v) for v in VIEWS)


def require(store: ResultsStore) -> None:
    if not available(store):
        raise NoComplexityError(
            _(
                "The result %(name)s has no economic complexity outputs. Add them with "
                "'clusterobs complexity add' (or build with 'mapping build --complexity')."
            )
            % {"name": store.name}
        )


def fields() -> dict[str, dict[str, str]]:
    """Label, definition and source of every column shown (from the engine's constants)."""
    return {
        "eci": {
            "label": _("ECI"),
            "definition": _("Economic Complexity Index: ") + eci.FORMULA,
            "source": eci.SOURCE,
        },
        "pci": {
            "label": _("Complexity (PCI)"),
            "definition": _("Product (industry) Complexity Index, on the ECI scale."),
            "source": eci.SOURCE,
        },
        "diversity": {
            "label": _("Diversity"),
            "definition": _("Number of industries with RCA >= threshold."),
            "source": "Hidalgo & Hausmann (2009)",
        },
        "ubiquity": {
            "label": _("Ubiquity"),
            "definition": _("Number of regions with RCA >= threshold."),
            "source": "Hidalgo & Hausmann (2009)",
        },
        "rca": {"label": _("RCA"), "definition": rca.FORMULA, "source": rca.SOURCE},
        "present": {
            "label": _("Specialised"),
            "definition": _("RCA at or above the threshold (M = 1)."),
            "source": rca.SOURCE,
        },
        "density": {
            "label": _("Relatedness density"),
            "definition": density.FORMULA,
            "source": density.SOURCE,
        },
        "cog": {"label": _("COG"), "definition": outlook.FORMULA_COG, "source": outlook.SOURCE},
        "coi": {"label": _("COI"), "definition": outlook.FORMULA_COI, "source": outlook.SOURCE},
        "proximity": {
            "label": _("Proximity"),
            "definition": proximity.FORMULA,
            "source": proximity.SOURCE,
        },
        "score": {
            "label": _("Score"),
            "definition": _("Weighted z-scores over the region's candidates: ")
            + ", ".join(f"{k} {v:g}" for k, v in opportunities.WEIGHTS.items()),
            "source": _("Cluster Observatory convention"),
        },
        "rank": {"label": _("Rank"), "definition": _("1 = highest"), "source": ""},
        "employment": {
            "label": _("Employment"),
            "definition": _("Employment in the region (suppressed cells imputed)."),
            "source": _("mapping engine"),
        },
        "national_employment": {
            "label": _("National employment"),
            "definition": _("Sum over the regions of the type."),
            "source": _("mapping engine"),
        },
        "wage": {
            "label": _("National wage"),
            "definition": _("Annual payroll / reported employment."),
            "source": "CBP",
        },
        "employment_growth": {
            "label": _("National growth (CAGR)"),
            "definition": _("Since the first year of the result."),
            "source": _("mapping engine"),
        },
        "reasons": {
            "label": _("Why related"),
            "definition": _(
                "Industries the region specialises in among the closest to this one "
                "(proximity in brackets)."
            ),
            "source": proximity.SOURCE,
        },
        "reasons_share": {
            "label": _("Share of density explained"),
            "definition": _("Part of the density due to the industries listed."),
            "source": "",
        },
        "quadrant": {
            "label": _("Quadrant"),
            "definition": _(
                "Relatedness x complexity (Balland et al. 2019): ideal, ambitious, safe, "
                "least promising."
            ),
            "source": "Balland, Boschma, Crespo & Rigby (2019)",
        },
    }


def quadrant_labels() -> dict[str, str]:
    return {
        "ideal": _("Ideal: related and complex (low risk, high benefit)"),
        "ambitious": _("Ambitious: complex but weakly related (high risk, high benefit)"),
        "safe": _("Safe: related but less complex (low risk, low benefit)"),
        "least_promising": _("Least promising: weakly related and less complex"),
    }


def _py(value: Any) -> Any:
    """JSON-safe values, floats rounded to 6 decimals (as the other observatory selectors)."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else round(f, 6)
    return value


def info(store: ResultsStore) -> dict[str, Any]:
    """What the result's complexity files are (level, conventions) for every page."""
    require(store)
    entry = store.manifest.get("complexity") or {}
    level = entry.get("level") or "industry"
    return {
        "level": level,
        "unit_label": _("cluster") if level == "cluster" else _("industry"),
        "threshold": entry.get("threshold"),
        "imputation": entry.get("imputation") or store.manifest.get("imputation"),
        "proximity": entry.get("proximity"),
        "weights": opportunities.WEIGHTS,
        "years": store.memo(
            ("cx-years",),
            lambda: [
                int(y)
                for y in store.query("SELECT DISTINCT year FROM cx_region ORDER BY 1")["year"]
            ],
        ),
    }


def region_types(store: ResultsStore) -> list[str]:
    df = store.query("SELECT DISTINCT region_type FROM cx_region ORDER BY 1")
    return df["region_type"].astype(str).tolist()


def _year(store: ResultsStore, year: int | None) -> int:
    years = info(store)["years"]
    return int(year) if year in years else int(years[-1])


def names(store: ResultsStore) -> dict[str, str]:
    """Unit names: the build's, else the classification's titles, else cluster names."""

    def compute() -> dict[str, str]:
        df = store.query(
            "SELECT industry_code, any_value(industry_name) AS name FROM cx_industry GROUP BY 1"
        )
        out = {str(c): str(n) for c, n in zip(df["industry_code"], df["name"], strict=True) if n}
        cls = (store.manifest.get("definition") or {}).get("classification", "")
        if cls:
            for code, title in industry_titles(cls).items():
                out.setdefault(code, title)
        if store.has("cry"):
            for code, name in cluster_names(store).items():
                out.setdefault(str(code), str(name))
        return out

    return store.memo(("cx-names",), compute)


def _records(df: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    return [
        {c: _py(v) for c, v in zip(columns, row, strict=True)}
        for row in df[columns].itertuples(index=False, name=None)
    ]


def _table(rows: list[dict[str, Any]], columns: list[str]) -> dict[str, Any]:
    return {"columns": columns, "rows": rows}


def _ranking_frame(store: ResultsStore, region_type: str, year: int) -> pd.DataFrame:
    def compute() -> pd.DataFrame:
        df = store.query(
            "SELECT region_code, diversity, eci, coi FROM cx_region "
            "WHERE region_type = ? AND year = ? ORDER BY eci DESC NULLS LAST, region_code",
            [region_type, year],
        )
        df["region_code"] = df["region_code"].astype(str)
        df["rank"] = df["eci"].rank(ascending=False, method="min").astype("Int64")
        names = region_names(store, region_type)
        df["name"] = [names.get(c, c) for c in df["region_code"]]
        return df

    return store.memo(("cx-rank", region_type, year), compute)


RANKING_COLUMNS = ["rank", "region_code", "name", "eci", "diversity", "coi"]


def ranking(store: ResultsStore, region_type: str | None, year: int | None) -> dict[str, Any]:
    """ECI ranking of the regions of a type in a year."""
    meta = info(store)
    types = region_types(store)
    rt = region_type if region_type in types else (types[0] if types else "")
    y = _year(store, year)
    df = _ranking_frame(store, rt, y)
    return {
        "dataset": dataset_info(store),
        "complexity": meta,
        "region_type": rt,
        "region_types": types,
        "year": y,
        "tables": {"ranking": _table(_records(df, RANKING_COLUMNS), RANKING_COLUMNS)},
        "fields": fields(),
    }


def region_exists(store: ResultsStore, region_type: str, code: str) -> bool:
    def compute() -> set[tuple[str, str]]:
        df = store.query("SELECT DISTINCT region_type, region_code FROM cx_region")
        return set(zip(df["region_type"].astype(str), df["region_code"].astype(str), strict=True))

    return (region_type, code) in store.memo(("cx-regions",), compute)


def unit_exists(store: ResultsStore, code: str) -> bool:
    def compute() -> set[str]:
        df = store.query("SELECT DISTINCT industry_code FROM cx_industry")
        return set(df["industry_code"].astype(str))

    return code in store.memo(("cx-units",), compute)


def _units(store: ResultsStore, region_type: str, code: str, year: int) -> pd.DataFrame:
    """The region's row for every unit in the year, with the unit's national figures."""

    def compute() -> pd.DataFrame:
        df = store.query(
            "SELECT d.industry_code, d.employment, d.rca, d.present, d.density, d.cog, "
            "i.pci, i.ubiquity, i.employment AS national_employment, i.wage, "
            "i.employment_growth, i.proximity_sum FROM cx_density d JOIN cx_industry i "
            "ON i.region_type = d.region_type AND i.industry_code = d.industry_code "
            "AND i.year = d.year WHERE d.region_type = ? AND d.region_code = ? AND d.year = ?",
            [region_type, code, year],
        )
        df["industry_code"] = df["industry_code"].astype(str)
        df["present"] = df["present"].astype(bool)
        nm = names(store)
        df["industry_name"] = [nm.get(c, c) for c in df["industry_code"]]
        return df

    return store.memo(("cx-units", region_type, code, year), compute)


def _neighbours(store: ResultsStore, region_type: str, year: int) -> pd.DataFrame:
    def compute() -> pd.DataFrame:
        if not store.has("cx_proximity"):
            return pd.DataFrame(columns=["industry_code", "related_industry_code", "proximity"])
        df = store.query(
            "SELECT industry_code, related_industry_code, proximity, rank FROM cx_proximity "
            "WHERE region_type = ? AND year = ? ORDER BY industry_code, rank",
            [region_type, year],
        )
        df["industry_code"] = df["industry_code"].astype(str)
        df["related_industry_code"] = df["related_industry_code"].astype(str)
        return df

    return store.memo(("cx-neighbours", region_type, year), compute)


def _ranked_with_reasons(
    store: ResultsStore, region_type: str, code: str, year: int, sort: str
) -> pd.DataFrame:
    def compute() -> pd.DataFrame:
        units = _units(store, region_type, code, year)
        ranked = opportunities.rank_opportunities(units)
        if sort != "score" and sort in ranked.columns:
            ranked = ranked.sort_values([sort, "score"], ascending=False, na_position="last")
            ranked["rank"] = np.arange(1, len(ranked) + 1)
        present = set(units.loc[units["present"], "industry_code"])
        why = opportunities.reasons(
            ranked["industry_code"].tolist(),
            present,
            _neighbours(store, region_type, year),
            dict(zip(units["industry_code"], units["density"], strict=True)),
            dict(zip(units["industry_code"], units["proximity_sum"], strict=True)),
        )
        nm = names(store)
        texts, shares, lists = [], [], []
        for c in ranked["industry_code"]:
            pairs, share = why.get(c, ([], None))
            texts.append("; ".join(f"{nm.get(p, p)} ({v:.2f})" for p, v in pairs))
            shares.append(share)
            lists.append(
                [{"industry_code": p, "name": nm.get(p, p), "proximity": v} for p, v in pairs]
            )
        ranked["reasons"] = texts
        ranked["reasons_share"] = shares
        ranked["reasons_list"] = lists
        return ranked

    return store.memo(("cx-ranked", region_type, code, year, sort), compute)


OPPORTUNITY_COLUMNS = list(opportunities.OPPORTUNITY_COLUMNS)
PRESENT_COLUMNS = ["industry_code", "industry_name", "rca", "employment", "pci", "density"]
TREND_COLUMNS = ["year", "eci", "rank", "regions", "diversity", "coi"]
CHART_COLUMNS = ["industry_code", "industry_name", "density", "pci", "national_employment"]
CHART_COLUMNS += ["present"]


def _trend(store: ResultsStore, region_type: str, code: str) -> list[dict[str, Any]]:
    rows = []
    for y in info(store)["years"]:
        df = _ranking_frame(store, region_type, y)
        mine = df[df["region_code"] == code]
        if mine.empty:
            continue
        r = mine.iloc[0]
        rows.append(
            {
                "year": y,
                "eci": _py(r["eci"]),
                "rank": _py(r["rank"]) if not pd.isna(r["rank"]) else None,
                "regions": int(df["eci"].notna().sum()),
                "diversity": _py(r["diversity"]),
                "coi": _py(r["coi"]),
            }
        )
    return rows


def region_profile(
    store: ResultsStore,
    region_type: str,
    code: str,
    year: int | None = None,
    sort: str = "score",
) -> dict[str, Any]:
    """ECI rank and trend, the opportunity chart, ranked opportunities with reasons."""
    meta = info(store)
    y = _year(store, year)
    sort = sort if sort in SORTS else "score"

    def compute() -> dict[str, Any]:
        units = _units(store, region_type, code, y)
        ranked = _ranked_with_reasons(store, region_type, code, y, sort)
        present = units[units["present"]].sort_values("rca", ascending=False)
        trend = _trend(store, region_type, code)
        now = next((t for t in trend if t["year"] == y), {})
        return {
            "dataset": dataset_info(store),
            "complexity": meta,
            "region": {
                "region_type": region_type,
                "region_code": code,
                "name": region_names(store, region_type).get(code, code),
            },
            "year": y,
            "sort": sort,
            "summary": now,
            "reasons": {
                c: lst
                for c, lst in zip(ranked["industry_code"], ranked["reasons_list"], strict=True)
                if lst
            },
            "tables": {
                "opportunities": _table(_records(ranked, OPPORTUNITY_COLUMNS), OPPORTUNITY_COLUMNS),
                "present": _table(_records(present, PRESENT_COLUMNS), PRESENT_COLUMNS),
                "trend": _table(trend, TREND_COLUMNS),
                "chart": _table(_records(units, CHART_COLUMNS), CHART_COLUMNS),
            },
            "fields": fields(),
        }

    return store.memo(("cx-region", region_type, code, y, sort), compute)


UNIT_TREND_COLUMNS = ["year", "pci", "ubiquity", "employment", "wage"]
CLOSEST_COLUMNS = ["region_code", "name", "density", "present", "rca", "employment", "cog"]
RELATED_COLUMNS = ["industry_code", "industry_name", "proximity"]
MEMBER_COLUMNS = ["industry_code", "industry_name", "pci", "ubiquity", "national_employment"]


def _unit_rows(store: ResultsStore, region_type: str, codes: list[str], year: int) -> pd.DataFrame:
    placeholders = ", ".join("?" for _ in codes)
    df = store.query(
        "SELECT d.region_code, d.industry_code, d.employment, d.rca, d.present, d.density, "
        "d.cog, i.pci, i.employment AS national_employment FROM cx_density d JOIN cx_industry i "
        "ON i.region_type = d.region_type AND i.industry_code = d.industry_code "
        "AND i.year = d.year WHERE d.region_type = ? AND d.year = ? "
        f"AND d.industry_code IN ({placeholders})",
        [region_type, year, *codes],
    )
    df["region_code"] = df["region_code"].astype(str)
    df["industry_code"] = df["industry_code"].astype(str)
    df["present"] = df["present"].astype(bool)
    return df


def _closest_regions(
    store: ResultsStore, region_type: str, codes: list[str], year: int
) -> pd.DataFrame:
    rows = _unit_rows(store, region_type, codes, year)
    names = region_names(store, region_type)
    if len(codes) == 1:
        out = rows.copy()
    else:
        parts = []
        for region, g in rows.groupby("region_code"):
            pos = opportunities.place(g, codes)
            parts.append(
                {
                    "region_code": region,
                    "density": pos["density"],
                    "present": pos["present_share"],
                    "rca": None,
                    "employment": float(g["employment"].sum()),
                    "cog": pos["cog"],
                }
            )
        out = pd.DataFrame(parts, columns=[c for c in CLOSEST_COLUMNS if c != "name"])
    out["name"] = [names.get(c, c) for c in out["region_code"]]
    return out.sort_values(["density", "region_code"], ascending=[False, True])


def unit_profile(
    store: ResultsStore,
    code: str,
    region_type: str | None = None,
    year: int | None = None,
    *,
    kind: str = "industry",
) -> dict[str, Any]:
    """PCI and trend of an industry (or cluster) and the regions closest to it.

    ``kind="cluster"`` on an industry-level result aggregates the cluster's industries
    (national-employment-weighted PCI and density, share of them a region specialises in).
    """
    meta = info(store)
    types = region_types(store)
    rt = region_type if region_type in types else (types[0] if types else "")
    y = _year(store, year)

    def compute() -> dict[str, Any]:
        members = members_of(store, code, kind)
        nm = names(store)
        ind = store.query(
            "SELECT industry_code, year, pci, ubiquity, employment, wage FROM cx_industry "
            "WHERE region_type = ? ORDER BY year",
            [rt],
        )
        ind["industry_code"] = ind["industry_code"].astype(str)
        mine = ind[ind["industry_code"].isin(members)]
        trend = []
        for yr, g in mine.groupby("year"):
            w = g["employment"].fillna(0)
            w = w if w.sum() > 0 else pd.Series(1.0, index=g.index)
            ok = g["pci"].notna()
            trend.append(
                {
                    "year": int(yr),
                    "pci": float(np.average(g.loc[ok, "pci"], weights=w[ok])) if ok.any() else None,
                    "ubiquity": int(g["ubiquity"].sum()) if len(g) == 1 else None,
                    "employment": float(g["employment"].sum()),
                    "wage": _py(g["wage"].iloc[0]) if len(g) == 1 else None,
                }
            )
        this_year = ind[ind["year"] == y]
        pci_rank = this_year["pci"].rank(ascending=False, method="min")
        ranks = dict(zip(this_year["industry_code"], pci_rank, strict=True))
        closest = _closest_regions(store, rt, members, y) if members else pd.DataFrame()
        related = pd.DataFrame(columns=RELATED_COLUMNS)
        if len(members) == 1:
            nb = _neighbours(store, rt, y)
            related = nb[nb["industry_code"] == members[0]].copy()
            related["industry_code"] = related["related_industry_code"]
            related["industry_name"] = [nm.get(c, c) for c in related["industry_code"]]
        member_rows = this_year[this_year["industry_code"].isin(members)].rename(
            columns={"employment": "national_employment"}
        )
        member_rows = member_rows.assign(
            industry_name=[nm.get(c, c) for c in member_rows["industry_code"]]
        ).sort_values("pci", ascending=False)
        now = next((t for t in trend if t["year"] == y), {})
        return {
            "dataset": dataset_info(store),
            "complexity": meta,
            "unit": {
                "code": code,
                "kind": kind,
                "name": nm.get(code, code),
                "members": len(members),
                "pci": now.get("pci"),
                "pci_rank": _py(ranks.get(members[0])) if len(members) == 1 else None,
                "units": len(this_year),
                "employment": now.get("employment"),
            },
            "region_type": rt,
            "year": y,
            "tables": {
                "trend": _table(trend, UNIT_TREND_COLUMNS),
                "closest_regions": _table(
                    _records(closest, CLOSEST_COLUMNS) if len(closest) else [], CLOSEST_COLUMNS
                ),
                "related": _table(_records(related, RELATED_COLUMNS), RELATED_COLUMNS),
                "members": _table(_records(member_rows, MEMBER_COLUMNS), MEMBER_COLUMNS),
            },
            "fields": fields(),
        }

    return store.memo(("cx-unit", code, kind, rt, y), compute)


def members_of(store: ResultsStore, code: str, kind: str) -> list[str]:
    """The complexity units a page about ``code`` covers: the unit itself, or (a cluster on an
    industry-level result) the cluster's industries that the result has."""
    level = info(store)["level"]
    if kind == "industry" or level == "cluster":
        return [code] if unit_exists(store, code) else []
    d = store.definition
    inds = d.loc[d["cluster_code"].astype(str) == code, "industry_code"].astype(str)
    return sorted(c for c in set(inds) if unit_exists(store, c))


def resolve_priorities(
    store: ResultsStore, codes: list[str]
) -> tuple[dict[str, list[str]], list[str]]:
    """Declared priorities -> units of the result: an industry or cluster code of the result's
    own level as it is; a cluster on an industry-level result -> its industries; an industry on
    a cluster-level result -> its cluster. Unknown codes are returned apart."""
    level = info(store)["level"]
    d = store.definition
    out: dict[str, list[str]] = {}
    unknown: list[str] = []
    for code in codes:
        if unit_exists(store, code):
            out[code] = [code]
            continue
        if level == "industry":
            members = members_of(store, code, "cluster")
            if members:
                out[code] = members
                continue
        else:
            hit = d.loc[d["industry_code"].astype(str) == code, "cluster_code"].astype(str)
            if len(hit) and unit_exists(store, hit.iloc[0]):
                out[code] = [hit.iloc[0]]
                continue
        unknown.append(code)
    return out, unknown


SMART_COLUMNS = ["priority", "name", "units", "density", "pci", "cog", "present_share"]
SMART_COLUMNS += ["quadrant", "best_rank"]
ALTERNATIVE_COLUMNS = ["rank", "industry_code", "industry_name", "score", "density", "pci", "cog"]


def smart_specialisation(
    store: ResultsStore,
    region_type: str,
    code: str,
    year: int | None,
    priorities: list[str],
) -> dict[str, Any]:
    """Where each declared priority sits on relatedness x complexity, against the region's best
    alternatives (Balland et al. 2019; :mod:`clusterobs.complexity.opportunities`)."""
    meta = info(store)
    y = _year(store, year)
    units = _units(store, region_type, code, y)
    resolved, unknown = resolve_priorities(store, priorities)
    all_pci = store.query(
        "SELECT pci FROM cx_industry WHERE region_type = ? AND year = ?", [region_type, y]
    )["pci"]
    check = opportunities.check_priorities(units, resolved, all_pci=all_pci)
    nm = names(store)
    labels = quadrant_labels()
    rows = []
    for r in check["rows"]:
        rows.append(
            {
                **{k: _py(v) for k, v in r.items()},
                "name": nm.get(r["priority"], r["priority"]),
                "quadrant_label": labels.get(r["quadrant"] or "", ""),
            }
        )
    ranked = _ranked_with_reasons(store, region_type, code, y, "score")
    chosen = {c for codes in resolved.values() for c in codes}
    chart = units.assign(priority=units["industry_code"].isin(chosen))
    return {
        "dataset": dataset_info(store),
        "complexity": meta,
        "region": {
            "region_type": region_type,
            "region_code": code,
            "name": region_names(store, region_type).get(code, code),
        },
        "year": y,
        "priorities": priorities,
        "resolved": resolved,
        "unknown": unknown,
        "cuts": {"density": _py(check["density_cut"]), "pci": _py(check["pci_cut"])},
        "candidates": check["candidates"],
        "quadrants": labels,
        "tables": {
            "priorities": _table(rows, [*SMART_COLUMNS, "quadrant_label"]),
            "alternatives": _table(
                _records(ranked.head(ALTERNATIVES), ALTERNATIVE_COLUMNS), ALTERNATIVE_COLUMNS
            ),
            "chart": _table(
                _records(chart, [*CHART_COLUMNS, "priority"]), [*CHART_COLUMNS, "priority"]
            ),
        },
        "fields": fields(),
    }

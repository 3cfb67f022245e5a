"""Reads of the observatory's spatial pages: hot spots, cross-border clusters, concentration, Kd.

The statistics come from the analytics core (:mod:`clusterobs.spatial`) run on a published
mapping result; they are memoised on the result's version (``ResultsStore.memo``), so a page is
computed once per build. Boundaries: the vendored U.S. atlas for states and counties, else the
regions app's imported boundaries of that type. Kd results are published by
``clusterobs spatial kd`` under ``<data dir>/spatial/kd/<name>/`` and only read here.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from clusterobs.observatory.store import ResultsStore
from clusterobs.spatial.results import MEASURE_LABELS, MEASURES

NO_DATA = "#d9d9d9"
#: LISA classes (Okabe-Ito colours: colour-blind safe, as the observatory's other charts).
LISA_COLOURS = {
    "HH": "#D55E00",
    "HL": "#E69F00",
    "LH": "#56B4E9",
    "LL": "#0072B2",
    "ns": "#eeeeee",
    "island": "#bdbdbd",
}
GI_COLOURS = {
    "hot": "#D55E00",
    "warm": "#F0B48A",
    "ns": "#eeeeee",
    "cool": "#9CC8E6",
    "cold": "#0072B2",
    "island": "#bdbdbd",
}
#: Cross-border clusters on the map (Okabe-Ito, in the observatory charts' order).
CLUSTER_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
WEIGHT_CHOICES = ("queen", "rook", "knn:4", "knn:6", "distance:250", "distance:500")
KD_COLUMNS = ["r_km", "kd", "sim_mean", "local_lo", "local_hi", "global_lo", "global_hi"]


def measure_labels() -> dict[str, str]:
    return {m: _(MEASURE_LABELS[m]) for m in MEASURES}


def lisa_legend() -> list[dict[str, str]]:
    return [
        {"key": "HH", "label": _("High-high (cluster core)"), "color": LISA_COLOURS["HH"]},
        {"key": "HL", "label": _("High among low (outlier)"), "color": LISA_COLOURS["HL"]},
        {"key": "LH", "label": _("Low among high (outlier)"), "color": LISA_COLOURS["LH"]},
        {"key": "LL", "label": _("Low-low"), "color": LISA_COLOURS["LL"]},
        {"key": "ns", "label": _("Not significant"), "color": LISA_COLOURS["ns"]},
        {"key": "island", "label": _("No neighbour (not tested)"), "color": LISA_COLOURS["island"]},
        {"key": "none", "label": _("No data"), "color": NO_DATA},
    ]


def gi_legend() -> list[dict[str, str]]:
    return [
        {"key": "hot", "label": _("Hot spot (significant)"), "color": GI_COLOURS["hot"]},
        {
            "key": "warm",
            "label": _("z > 1.96, not significant after FDR"),
            "color": GI_COLOURS["warm"],
        },
        {"key": "ns", "label": _("|z| < 1.96"), "color": GI_COLOURS["ns"]},
        {
            "key": "cool",
            "label": _("z < -1.96, not significant after FDR"),
            "color": GI_COLOURS["cool"],
        },
        {"key": "cold", "label": _("Cold spot (significant)"), "color": GI_COLOURS["cold"]},
        {"key": "island", "label": _("No neighbour (not tested)"), "color": GI_COLOURS["island"]},
        {"key": "none", "label": _("No data"), "color": NO_DATA},
    ]


def _py(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else round(f, 9)
    return value


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    cols = list(df.columns)
    return [
        {c: _py(v) for c, v in zip(cols, row, strict=True)}
        for row in df.itertuples(index=False, name=None)
    ]


def _table(rows: list[dict[str, Any]], columns: list[str] | None = None) -> dict[str, Any]:
    return {"columns": columns or (list(rows[0]) if rows else []), "rows": rows}


def spatial_dir() -> Path:
    """``settings.OBSERVATORY_SPATIAL_DIR``: ``<data dir>/spatial`` (``config.py``), or the one a
    test sets."""
    return Path(settings.OBSERVATORY_SPATIAL_DIR)


def cluster_known(store: ResultsStore, code: str) -> bool:
    return code in set(store.clusters["cluster_code"])


# Boundaries --------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _regions_app_boundaries(region_type: str, stamp: tuple):
    from clusterobs.regions.models import Region
    from clusterobs.spatial.boundaries import from_geojson

    rows = list(
        Region.objects.filter(Q(region_type__iexact=region_type) | Q(level=region_type))
        .exclude(geometry=None)
        .order_by("code")
        .values_list("code", "name", "geometry")
    )
    if len(rows) < 2:
        raise LookupError(_("No boundaries of type %(type)s are imported.") % {"type": region_type})
    return from_geojson(
        [r[0] for r in rows],
        [r[2] for r in rows],
        [r[1] for r in rows],
        source=f"regions app ({region_type})",
    )


def boundaries(region_type: str):
    """Boundaries of a region type: built-in U.S. atlas, else the regions app."""
    from clusterobs.spatial.boundaries import BUILTIN

    if region_type in BUILTIN:
        return _builtin(region_type)
    from clusterobs.regions.models import Region

    qs = Region.objects.filter(Q(region_type__iexact=region_type) | Q(level=region_type))
    stamp = (qs.count(), qs.exclude(geometry=None).count())
    return _regions_app_boundaries(region_type, stamp)


@lru_cache(maxsize=2)
def _builtin(region_type: str):
    from clusterobs.spatial.boundaries import builtin_boundaries

    return builtin_boundaries(region_type)


# Hot spots ---------------------------------------------------------------------------------


def _gi_bucket(row: dict) -> str:
    cls = row.get("gi_class")
    if cls in ("hot", "cold", "island"):
        return cls
    z = row.get("gi_z")
    if z is None:
        return "none"
    if z > 1.96:
        return "warm"
    if z < -1.96:
        return "cool"
    return "ns"


def hotspots(
    store: ResultsStore,
    *,
    cluster: str,
    measure: str = "lq_total",
    year: int | None = None,
    region_type: str | None = None,
    weights: str = "queen",
    basis: str = "gi_star",
) -> dict[str, Any]:
    """Moran's I, LISA and Gi* per region and the cross-border clusters of one measure."""
    from clusterobs.spatial.weights import WeightsSpec

    rt = region_type or store.main_type
    spec = WeightsSpec.parse(weights)
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    if basis not in ("gi_star", "lisa"):
        raise ValueError("basis must be gi_star or lisa")
    y = year if year in store.years else store.years[-1]
    key = ("spatial-hot", cluster, measure, y, rt, spec.label, basis)
    return store.memo(key, lambda: _hotspots(store, cluster, measure, y, rt, spec.label, basis))


def _hotspots(store, cluster, measure, year, rt, weights, basis) -> dict[str, Any]:
    from clusterobs.spatial.hotspots import analyse
    from clusterobs.spatial.results import measure_values

    table = measure_values(store.path, cluster=cluster, measure=measure, year=year, region_type=rt)
    regions = boundaries(rt)
    a = analyse(
        table.frame.set_index("region_code")["value"],
        regions,
        weights=weights,
        basis=basis,  # type: ignore[arg-type]
        cache_dir=spatial_dir() / "weights",
        figures=table.frame,
        national=table.national,
    )
    rows = a.region_rows()
    emp = table.frame.set_index("region_code")["employment"]
    for r in rows:
        r["employment"] = _py(emp.get(r["region_code"]))
        r["lisa_color"] = LISA_COLOURS.get(r["lisa_class"], NO_DATA)
        r["gi_bucket"] = _gi_bucket(r)
        r["gi_color"] = GI_COLOURS.get(r["gi_bucket"], NO_DATA)
        r["significant"] = r["lisa_class"] in ("HH", "LL", "HL", "LH") or r.get("gi_class") in (
            "hot",
            "cold",
        )
        sc = r["spatial_cluster"]
        r["cluster_color"] = (
            CLUSTER_COLOURS[(sc - 1) % len(CLUSTER_COLOURS)] if sc else LISA_COLOURS["ns"]
        )
    no_data = [{"region_code": c, "name": regions.name_of(c)} for c in a.no_data]
    clusters = []
    for c in a.clusters:
        d = c.as_dict()
        d["member_list"] = ", ".join(d["member_names"])
        d["color"] = CLUSTER_COLOURS[(c.cluster_id - 1) % len(CLUSTER_COLOURS)]
        d["share_list"] = "; ".join(
            f"{regions.name_of(k)} {100 * v:.1f}%"
            for k, v in sorted(d["shares"].items(), key=lambda kv: -kv[1])
        )
        clusters.append({k: _py(v) if not isinstance(v, list | dict) else v for k, v in d.items()})
    summary = a.summary()
    summary["moran"] = {
        k: _py(v) if not isinstance(v, list) else v for k, v in summary["moran"].items()
    }
    return {
        "dataset": store.name,
        "cluster": cluster,
        "cluster_name": table.cluster_name,
        "measure": measure,
        "measure_label": measure_labels()[measure],
        "year": year,
        "region_type": rt,
        "weights": summary["weights"],
        "basis": summary["cluster_basis"],
        "moran": summary["moran"],
        "lisa_counts": summary["lisa_counts"],
        "gi_counts": summary["gi_counts"],
        "gi_skipped": summary["gi_skipped"],
        "multiple_testing": summary["multiple_testing"],
        "alpha": summary["alpha"],
        "permutations": summary["permutations"],
        "seed": summary["seed"],
        "absent_rows": "zero" if table.absent_as_zero else "missing",
        "boundaries": regions.source,
        "no_data": no_data,
        "unmatched": summary["unmatched"],
        "lisa_legend": lisa_legend(),
        "gi_legend": gi_legend(),
        "no_data_color": NO_DATA,
        "tables": {
            "regions": _table(
                rows,
                [
                    "region_code",
                    "name",
                    "value",
                    "employment",
                    "lisa_I",
                    "lisa_quadrant",
                    "lisa_p_sim",
                    "lisa_q",
                    "lisa_class",
                    "gi_z",
                    "gi_p_sim",
                    "gi_q",
                    "gi_class",
                    "neighbours",
                    "spatial_cluster",
                    "lisa_color",
                    "gi_bucket",
                    "gi_color",
                    "significant",
                    "cluster_color",
                ],
            ),
            "clusters": _table(
                clusters,
                [
                    "cluster_id",
                    "name",
                    "regions",
                    "cross_border",
                    "member_list",
                    "employment",
                    "lq_total",
                    "lq_traded_local",
                    "share_list",
                    "members",
                    "color",
                ],
            ),
        },
    }


# Concentration ------------------------------------------------------------------------------


def concentration(
    store: ResultsStore, *, year: int | None = None, region_type: str | None = None
) -> dict[str, Any]:
    from clusterobs.spatial.concentration import plant_herfindahl
    from clusterobs.spatial.concentration.table import (
        COLUMNS,
        cluster_concentration,
        regional_specialisation,
    )

    rt = region_type or store.main_type
    y = year if year in store.years else store.years[-1]

    def compute() -> dict[str, Any]:
        clusters = cluster_concentration(store.path, year=y, region_type=rt)
        regions = regional_specialisation(store.path, year=y, region_type=rt)
        names = boundaries(rt).name_map if rt in ("state", "county") else {}
        regions.insert(1, "name", regions["region_code"].map(lambda c: names.get(c, c)))
        cnames = dict(
            zip(store.clusters["cluster_code"], store.clusters["cluster_name"], strict=True)
        )
        regions["most_over_represented_name"] = regions["most_over_represented"].map(
            lambda c: cnames.get(c, c)
        )
        return {
            "dataset": store.name,
            "year": y,
            "region_type": rt,
            "plant_herfindahl_methods": plant_herfindahl.METHODS,
            "tables": {
                "clusters": _table(_records(clusters), COLUMNS),
                "regions": _table(_records(regions), list(regions.columns)),
            },
        }

    return store.memo(("spatial-conc", y, rt), compute)


# Kd -----------------------------------------------------------------------------------------


def kd_root() -> Path:
    return spatial_dir() / "kd"


def kd_list() -> list[dict[str, Any]]:
    import json

    root = kd_root()
    out = []
    if not root.exists():
        return out
    for d in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        f = d / "summary.json"
        if not f.exists():
            continue
        s = json.loads(f.read_text())
        kd = s.get("kd") or {}
        ind = s.get("industry") or {}
        out.append(
            {
                "name": d.name,
                "industry": ind.get("target"),
                "target_vintage": ind.get("target_vintage"),
                "points_industry": kd.get("points_industry"),
                "points_all": kd.get("points_all"),
                "weighted": kd.get("weighted"),
                "simulations": kd.get("simulations"),
                "localised": kd.get("localised"),
                "dispersed": kd.get("dispersed"),
                "localisation_index": kd.get("localisation_index"),
                "dispersion_index": kd.get("dispersion_index"),
                "mode": kd.get("mode"),
            }
        )
    return out


def kd_detail(name: str) -> dict[str, Any]:
    from clusterobs.spatial.output import read_kd

    if not name or name.startswith(".") or "/" in name or "\\" in name:
        raise LookupError(name)
    path = kd_root() / name
    if not (path / "summary.json").exists():
        raise LookupError(name)
    table, summary = read_kd(path)
    codes = summary.get("industry", {}).get("codes", [])
    return {
        "name": name,
        "summary": summary,
        "tables": {
            "curve": _table(_records(table), list(table.columns)),
            "industry_codes": _table(
                codes, ["code", "points", "vintages", "status", "share", "included"]
            ),
        },
    }

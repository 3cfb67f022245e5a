"""Map values of an indicator, classed for the choropleth."""

from __future__ import annotations

from typing import Any

import pandas as pd

from clusterobs.observatory.measure import relabel
from clusterobs.observatory.selectors.caching import cluster_names, region_names
from clusterobs.observatory.selectors.clusters import cluster_regions
from clusterobs.observatory.selectors.glossary import FIELDS, MAP_INDICATORS
from clusterobs.observatory.selectors.maths import class_breaks, records
from clusterobs.observatory.selectors.palettes import NO_DATA, VIRIDIS5
from clusterobs.observatory.selectors.results import as_table, region_year, result_year
from clusterobs.observatory.store import ResultsStore


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
    year = result_year(store, year)
    if indicator not in MAP_INDICATORS:
        raise ValueError(f"unknown indicator {indicator!r}")
    if cluster is None or indicator == "cluster_strength":
        df = region_year(store, rt)
        df = df[df["year"] == year][["region_code", "employment", "cluster_strength"]].copy()
        if indicator not in ("employment", "cluster_strength"):
            indicator = "cluster_strength"
        df["value"] = df[indicator]
        df["employment_status"] = "reported"
        names = region_names(store, rt)
        df["name"] = df["region_code"].map(lambda c: names.get(c, c))
        cluster = None
    else:
        df = cluster_regions(store, cluster, rt, year, subcluster)
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
    breaks, cls = class_breaks(df["value"])
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
        "tables": {"values": as_table(rows)},
        "fields": relabel(FIELDS, store.manifest),
    }

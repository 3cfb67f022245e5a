"""Carry a cluster definition to another classification through a concordance.

The European Cluster Observatory built its cluster categories by translating the U.S. cluster
definitions (Porter; Delgado, Porter & Stern) from NAICS to NACE through the official
concordances and giving each NACE code to one cluster (Ketels & Protsiv 2014, "Methodology and
Findings Report for a Cluster Mapping of Related Sectors", European Commission, section on the
cluster definitions). We do the same, and say how much is lost:

1. **Flows.** A source code ``s`` (6-digit NAICS) with U.S. employment ``E_s`` sends
   ``E_s * w(s, t)`` to each target code ``t`` it links to (``w`` from
   :func:`clusterobs.classifications.concordance.weights_at_level`, weights of ``s`` add up to
   one; split rule ``equal`` unless stated). Source codes not in the definition send their
   flow as *unclustered*.
2. **Assignment (plurality).** Target ``t`` goes to the cluster that sends it the largest flow
   (ties: the smaller cluster code); if the largest flow is unclustered, ``t`` belongs to no
   cluster. Its sub-cluster is the assigned cluster's sub-cluster with the largest flow. Where
   no U.S. employment reaches ``t`` (e.g. farming, which County Business Patterns do not
   cover), the weights alone (a count of linked codes) decide, and the basis says so.
3. **Mapped share** of cluster ``c``: the part of its U.S. employment that lands in target codes
   assigned to ``c`` -- ``sum_{s in c, t -> c} E_s w(s,t) / sum_{s in c} E_s``; the rest went
   to codes that other clusters (or unclustered industries) dominate. **Purity** of ``c``: the
   share of all flow into ``c``'s target codes that comes from ``c`` itself.

The result is an ordinary definition (one cluster per code, :data:`DEFINITION_COLUMNS`) that can
be edited like any custom definition; the two report tables travel with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from clusterobs.definitions.model import DEFINITION_COLUMNS

UNCLUSTERED = "__unclustered__"


@dataclass
class CarriedDefinition:
    """``table``: the definition in the target classification (:data:`DEFINITION_COLUMNS`);
    ``assignment``: per target code the assigned cluster, its share of the code's flow, the
    runner-up and the basis; ``shares``: per source cluster the mapped share and purity;
    ``unlinked``: definition codes with no concordance link (their employment is lost)."""

    table: pd.DataFrame
    assignment: pd.DataFrame
    shares: pd.DataFrame
    unlinked: pd.DataFrame


def carry(
    definition: pd.DataFrame,
    weights: pd.DataFrame,
    sizes: pd.Series | None = None,
) -> CarriedDefinition:
    """Carry ``definition`` (canonical columns, source classification) through ``weights``
    (``from_code, to_code, weight``) using source sizes ``sizes`` (index: source code; e.g.
    national employment). See the module docstring for the rules."""
    defs = definition[DEFINITION_COLUMNS].copy()
    defs["industry_code"] = defs["industry_code"].astype(str)
    w = weights[["from_code", "to_code", "weight"]].copy()
    size = (
        w["from_code"].map(sizes).fillna(0.0).astype(float)
        if sizes is not None
        else pd.Series(0.0, index=w.index)
    )
    cl = defs.set_index("industry_code")
    w["cluster_code"] = w["from_code"].map(cl["cluster_code"]).fillna(UNCLUSTERED)
    w["subcluster_code"] = w["from_code"].map(cl["subcluster_code"])
    w["flow"] = size * w["weight"]
    w["count_flow"] = w["weight"]
    total_flow = w.groupby("to_code")["flow"].transform("sum")
    w["basis"] = np.where(total_flow > 0, "employment", "code count")
    w["value"] = np.where(total_flow > 0, w["flow"], w["count_flow"])

    by = w.groupby(["to_code", "cluster_code"], as_index=False).agg(
        value=("value", "sum"), flow=("flow", "sum"), basis=("basis", "first")
    )
    by["total"] = by.groupby("to_code")["value"].transform("sum")
    by["share"] = np.where(by["total"] > 0, by["value"] / by["total"], np.nan)
    by = by.sort_values(["to_code", "value", "cluster_code"], ascending=[True, False, True])
    first = by.groupby("to_code").nth(0).set_index("to_code")
    second = by.groupby("to_code").nth(1).set_index("to_code")
    assignment = pd.DataFrame(
        {
            "code": first.index,
            "cluster_code": first["cluster_code"].to_numpy(),
            "share": first["share"].to_numpy(),
            "runner_up": first.index.map(second["cluster_code"]).to_numpy(),
            "runner_up_share": first.index.map(second["share"]).to_numpy(),
            "basis": first["basis"].to_numpy(),
            "us_employment": first.index.map(by.groupby("to_code")["flow"].sum()).to_numpy(),
        }
    )
    assignment["cluster_code"] = assignment["cluster_code"].replace(UNCLUSTERED, None)
    assignment["runner_up"] = assignment["runner_up"].replace(UNCLUSTERED, "(unclustered)")

    # Sub-cluster: the assigned cluster's sub-cluster with the largest flow into the code.
    sub = w.merge(assignment[["code", "cluster_code"]], left_on="to_code", right_on="code")
    sub = sub[(sub["cluster_code_x"] == sub["cluster_code_y"]) & sub["subcluster_code"].notna()]
    sub = (
        sub.groupby(["to_code", "subcluster_code"], as_index=False)["value"]
        .sum()
        .sort_values(["to_code", "value", "subcluster_code"], ascending=[True, False, True])
        .drop_duplicates("to_code")
        .set_index("to_code")["subcluster_code"]
    )
    assignment["subcluster_code"] = assignment["code"].map(sub)
    assignment = assignment.sort_values("code", ignore_index=True)

    names = defs.drop_duplicates("cluster_code").set_index("cluster_code")
    sub_names = (
        defs.dropna(subset=["subcluster_code"])
        .drop_duplicates("subcluster_code")
        .set_index("subcluster_code")["subcluster_name"]
    )
    assigned = assignment[assignment["cluster_code"].notna()]
    table = pd.DataFrame(
        {
            "industry_code": assigned["code"].to_numpy(),
            "cluster_code": assigned["cluster_code"].to_numpy(),
            "cluster_name": assigned["cluster_code"].map(names["cluster_name"]).to_numpy(),
            "subcluster_code": assigned["subcluster_code"].to_numpy(),
            "subcluster_name": assigned["subcluster_code"].map(sub_names).to_numpy(),
            "traded_local": assigned["cluster_code"].map(names["traded_local"]).to_numpy(),
        }
    )[DEFINITION_COLUMNS]
    assignment.insert(2, "cluster_name", assignment["cluster_code"].map(names["cluster_name"]))

    # Mapped share and purity per source cluster.
    target_of = assignment.set_index("code")["cluster_code"]
    w["assigned"] = w["to_code"].map(target_of)
    own = w[w["cluster_code"] == w["assigned"]].groupby("cluster_code")["flow"].sum()
    into = w[w["assigned"].notna()].groupby("assigned")["flow"].sum()
    src_size = (
        defs.assign(size=defs["industry_code"].map(sizes).fillna(0.0) if sizes is not None else 0.0)
        .groupby("cluster_code")["size"]
        .sum()
    )
    n_targets = assigned.groupby("cluster_code").size()
    shares = names[["cluster_name", "traded_local"]].copy()
    shares["us_employment"] = src_size.reindex(shares.index).fillna(0.0)
    shares["retained_employment"] = own.reindex(shares.index).fillna(0.0)
    shares["mapped_share"] = np.where(
        shares["us_employment"] > 0, shares["retained_employment"] / shares["us_employment"], np.nan
    )
    shares["target_codes"] = n_targets.reindex(shares.index).fillna(0).astype(int)
    inflow = into.reindex(shares.index).fillna(0.0)
    shares["purity"] = np.where(inflow > 0, shares["retained_employment"] / inflow, np.nan)
    shares = shares.reset_index().sort_values("cluster_code", key=_code_order, ignore_index=True)

    linked = set(w["from_code"])
    unlinked = defs[~defs["industry_code"].isin(linked)].copy()
    unlinked["us_employment"] = (
        unlinked["industry_code"].map(sizes).fillna(0.0) if sizes is not None else 0.0
    )
    table = table.sort_values(["cluster_code", "industry_code"], key=_code_order)
    return CarriedDefinition(
        table=table.reset_index(drop=True),
        assignment=assignment,
        shares=shares,
        unlinked=unlinked.reset_index(drop=True),
    )


def _code_order(s: pd.Series) -> pd.Series:
    """Numeric codes in numeric order (``2`` before ``10``), others after, as text."""
    num = pd.to_numeric(s, errors="coerce")
    return num.fillna(1e12) if s.name == "cluster_code" else s

"""Build the embedded European and Indian data of the package from the published files.

Usage (from the repository root, with the published files in ``../shared/data``)::

    .venv/bin/python scripts/data/build_embedded_eu_india.py [--data DIR] [--only STEP ...]

Steps (each rewrites its outputs; all outputs are derived, deterministic and small):

``nic``          ``src/clusterobs/data/classifications/nic2008_structure.csv``: NIC 2008 code list
                 (ISIC Rev.4 structure with the NIC titles of the Census of India tables).
``definitions``  ``src/clusterobs/data/definitions/``: the U.S. benchmark cluster definition
                 carried to NACE Rev.2 (divisions; divisions with the groups of G45-G47) and to
                 NIC 2008 classes, with the per-cluster mapped shares and per-code assignments.
``eu``           ``src/clusterobs/data/eu/``: Eurostat ``sbs_r_nuts06_r2`` in canonical form,
                 NUTS codes matched to NUTS 2021, plus the region table and the correspondence.
``india``        ``src/clusterobs/data/india/``: Census of India 2011 B-18 (five states) in
                 canonical form (main and marginal workers), plus the region table.

Every output directory has a SOURCE.md (written by hand) citing the original publishers; this
script writes ``report.json`` files with what was read, suppressed, unknown and unmatched.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from clusterobs.classifications import nic  # noqa: E402
from clusterobs.classifications.concordance import (  # noqa: E402
    linkage,
    nace_level_code,
    nic_level_code,
    weights_at_level,
)
from clusterobs.classifications.crosswalk import crosswalk_weights  # noqa: E402
from clusterobs.classifications.store import (  # noqa: E402
    ClassificationStore,
    import_classifications,
)
from clusterobs.definitions.adapters import from_uscmp_emsi  # noqa: E402
from clusterobs.definitions.carry import carry  # noqa: E402
from clusterobs.regions import india as india_regions  # noqa: E402
from clusterobs.regions import nuts  # noqa: E402
from clusterobs.sources.census_india import read_b18, read_b18_frame  # noqa: E402
from clusterobs.sources.eurostat import read_eurostat_tsv, read_sbs  # noqa: E402
from clusterobs.sources.schema import SIZE_CLASS_MIDPOINT  # noqa: E402

OUT = ROOT / "src" / "clusterobs" / "data"
EU_FILE = "eu_sbs_nuts2_nace_2008_2015/sbs_r_nuts06_r2.tsv.gz"
INDIA_DIR = "india_census2011_b18_district_nic"
US_YEAR = 2011


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, lineterminator="\n")


def _write_json(data: object, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def census_titles(data: Path) -> pd.DataFrame:
    frames = [read_b18_frame(p)[0] for p in sorted((data / INDIA_DIR).glob("*.csv"))]
    f = pd.concat(frames, ignore_index=True)
    return f.loc[f["industry_code"] != "", ["industry_code", "title"]].rename(
        columns={"industry_code": "code"}
    )


def build_nic(data: Path, out: Path = OUT) -> Path:
    isic = pd.read_csv(
        data / "industry_classifications" / "isic_rev4_structure.csv",
        dtype=str,
        keep_default_na=False,
    )
    table = nic.structure(isic, census_titles(data))
    path = out / "classifications" / "nic2008_structure.csv"
    _write_csv(table, path)
    print(f"nic: {len(table)} codes -> {path}")
    return path


def _store(data: Path, nic_path: Path, tmp: Path) -> ClassificationStore:
    import_classifications(data / "industry_classifications", tmp, nic2008=nic_path)
    return ClassificationStore.load(tmp)


def us_employment(data: Path, store: ClassificationStore) -> tuple[pd.Series, dict]:
    """National employment by NAICS 2017 code: CBP 2011 state files (NAICS 2007), 6-digit rows
    summed over the 50 states and DC, suppressed cells at their size-class midpoints, carried
    to NAICS 2017 by the stored concordances (equal split)."""
    cbp = pd.read_csv(
        data / "us_cbp_state_2000_2011" / "cbp_state_naics_2000_2011.csv.gz",
        dtype={"naics": str, "fipstate": str, "empflag": str},
        keep_default_na=False,
    )
    cbp = cbp[(cbp["year"] == US_YEAR) & cbp["naics"].str.fullmatch(r"\d{6}")]
    emp = cbp["emp"].astype(float)
    suppressed = cbp["empflag"].str.strip() != ""
    emp = emp.where(~suppressed, cbp["empflag"].str.strip().map(SIZE_CLASS_MIDPOINT))
    naics2007 = emp.groupby(cbp["naics"]).sum()
    w = crosswalk_weights(store, "NAICS2007", "NAICS2017")
    w = w[w["from_code"].isin(naics2007.index)]
    flows = w["weight"] * w["from_code"].map(naics2007)
    sizes = flows.groupby(w["to_code"]).sum()
    lost = sorted(set(naics2007.index) - set(w["from_code"]))
    facts = {
        "source": f"County Business Patterns {US_YEAR}, state files, 6-digit NAICS 2007",
        "employment_naics2007": float(naics2007.sum()),
        "employment_naics2017": float(sizes.sum()),
        "suppressed_rows_at_midpoint": int(suppressed.sum()),
        "naics2007_codes_without_2017_link": lost,
    }
    return sizes, facts


def expand_pseudo_codes(
    definition: pd.DataFrame, store: ClassificationStore
) -> tuple[pd.DataFrame, list[dict]]:
    """Emsi's aggregate codes ``111000`` (crop production) and ``112000`` (animal production)
    stand for the NAICS subsectors 111 and 112: replace each by the official 6-digit NAICS 2017
    codes of the subsector that the definition does not list itself."""
    six = set(store.detailed_codes("NAICS2017"))
    listed = set(definition["industry_code"])
    rows, notes = [], []
    for r in definition.itertuples(index=False):
        code = r.industry_code
        if code in six or not code.endswith("000"):
            rows.append(r._asdict())
            continue
        prefix = code.rstrip("0")
        if len(prefix) < 3:
            prefix = code[:3]
        children = sorted(c for c in six if c.startswith(prefix) and c not in listed)
        if not children:
            rows.append(r._asdict())
            continue
        notes.append({"code": code, "expanded_to": children})
        for child in children:
            rows.append({**r._asdict(), "industry_code": child})
    return pd.DataFrame(rows)[list(definition.columns)], notes


def build_definitions(data: Path, nic_path: Path, out: Path = OUT) -> None:
    out = out / "definitions"
    with tempfile.TemporaryDirectory() as tmp:
        store = _store(data, nic_path, Path(tmp))
        sizes, us_facts = us_employment(data, store)
        emsi = data / "us_cluster_definitions" / "naics_to_cluster_uscmp_emsi_variant.csv"
        definition = from_uscmp_emsi(emsi)
        definition, expanded = expand_pseudo_codes(definition, store)
        report: dict[str, object] = {
            "source_definition": "U.S. Cluster Mapping benchmark definitions (Delgado, Porter & "
            "Stern 2016), NAICS 2017, Emsi variant (2019)",
            "us_employment": us_facts,
            "pseudo_codes_expanded": expanded,
            "split_rule": "equal",
            "targets": {},
        }
        targets = {
            "uscmp_nace2_division": (
                "NACE2",
                nace_level_code("division"),
                "NACE Rev.2 divisions",
            ),
            "uscmp_nace2_sbs": (
                "NACE2",
                nace_level_code("sbs"),
                "NACE Rev.2 divisions; groups for divisions 45-47 (regional SBS detail)",
            ),
            "uscmp_nic2008_class": ("NIC2008", nic_level_code("class"), "NIC 2008 classes"),
        }
        for name, (classification, level, label) in targets.items():
            w = weights_at_level(store, "NAICS2017", classification, level)
            per_code, link = linkage(w, definition["industry_code"], sizes)
            carried = carry(definition, w, sizes)
            _write_csv(carried.table, out / f"{name}.csv")
            shares = carried.shares.copy()
            for col in ("mapped_share", "purity"):
                shares[col] = shares[col].round(4)
            for col in ("us_employment", "retained_employment"):
                shares[col] = shares[col].round(0).astype("int64")
            _write_csv(shares, out / f"{name}_shares.csv")
            assignment = carried.assignment.copy()
            for col in ("share", "runner_up_share"):
                assignment[col] = assignment[col].round(4)
            assignment["us_employment"] = assignment["us_employment"].round(0).astype("int64")
            _write_csv(assignment, out / f"{name}_assignment.csv")
            total_us = float(shares["us_employment"].sum())
            retained = float(shares["retained_employment"].sum())
            report["targets"][name] = {  # type: ignore[index]
                "classification": classification,
                "level": label,
                "codes": len(carried.table),
                "clusters": int(carried.table["cluster_code"].nunique()),
                "clusters_without_code": shares.loc[
                    shares["target_codes"] == 0, "cluster_name"
                ].tolist(),
                "concordance_linkage": link,
                "definition_codes_without_link": per_code.loc[~per_code["linked"], "code"].tolist(),
                "mapped_share_all_clusters": round(retained / total_us, 4) if total_us else None,
            }
            print(
                f"definitions: {name}: {len(carried.table)} codes, "
                f"{carried.table['cluster_code'].nunique()} clusters, mapped share "
                f"{retained / total_us:.3f}"
            )
        _write_json(report, out / "uscmp_carried_report.json")


def build_eu(data: Path, out: Path = OUT) -> None:
    out = out / "eu"
    path = data / EU_FILE
    t0 = time.perf_counter()
    history = nuts.NutsHistory.read(data / "nuts_code_changes_1999_2021")
    boundaries = pd.concat(
        [
            nuts.boundary_codes(
                data / "nuts_boundaries_2021" / f"NUTS_RG_60M_2021_4326_LEVL_{lv}.geojson"
            )
            for lv in (0, 1, 2)
        ],
        ignore_index=True,
    )
    geo = read_eurostat_tsv(path, keep={"indic_sb": ["V16110"]}).cells["geo"].astype(str)
    corr = nuts.correspondence(set(geo), history, set(boundaries["code"]))
    nace = pd.read_csv(
        data / "industry_classifications" / "nace_rev2_structure.csv",
        dtype=str,
        keep_default_na=False,
    )
    imp = read_sbs(
        None,
        path,
        levels=("country", "nuts1", "nuts2"),
        correspondence=corr,
        boundary_codes=set(boundaries["code"]),
        known_codes=set(nace["code"]),
        negative="invalid",
        estimate="bounded",
    )
    frame = imp.frame
    names = dict(zip(boundaries["code"], boundaries["name"], strict=True))
    regions = nuts.region_table(frame["region_code"], history, names)
    out.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(out / "sbs_r_nuts06_r2.parquet", index=False, compression="zstd")
    _write_csv(regions, out / "regions.csv")
    _write_csv(corr, out / "nuts_correspondence.csv")
    _write_json(imp.report.to_dict(), out / "report.json")
    size = (out / "sbs_r_nuts06_r2.parquet").stat().st_size
    print(
        f"eu: {len(frame):,} rows, {size / 1e6:.2f} MB, {time.perf_counter() - t0:.1f} s\n"
        + imp.report.summary()
    )


def build_india(data: Path, nic_path: Path, out: Path = OUT) -> None:
    out = out / "india"
    paths = sorted((data / INDIA_DIR).glob("*.csv"))
    districts = india_regions.district_boundaries(
        data / "india_boundaries" / "india_districts_2011plus.geojson"
    )
    have = set(districts["code"].dropna()) | set(districts["state_code"].dropna())
    nic_codes = pd.read_csv(nic_path, dtype=str, keep_default_na=False)["code"]
    t0 = time.perf_counter()
    imp = read_b18(
        None,
        paths,
        measure="total",
        region_types=("district", "state"),
        boundary_codes=have,
        known_codes=set(nic_codes),
    )
    frames = [imp]
    frame = imp.frame.drop(columns=["measure"])
    frame["employment_reported"] = np.nan  # the measure is chosen when the data are read
    frame["measure"] = "workers (choose main, marginal or total)"
    # Keep the counts of every area and sex: rural/urban and female workers are asked for.
    raw = pd.concat([read_b18_frame(p)[0] for p in paths], ignore_index=True)
    counts = [c for c in raw.columns if c.startswith(("main_", "marginal_"))]
    raw = raw[["region_type", "region_code", "industry_code", *counts]]
    frame = frame.merge(raw, on=["region_type", "region_code", "industry_code"], how="left")
    for col in counts:
        frame[col] = frame[col].astype("int32")
    frame = frame.drop(columns=["employment_reported", "main_workers", "marginal_workers"])
    regions = india_regions.region_table(frames[0].frame)
    out.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(out / "census2011_b18.parquet", index=False, compression="zstd")
    _write_csv(regions, out / "regions.csv")
    report = frames[0].report.to_dict()
    report["measures"] = {"employment": "main, marginal or main + marginal workers (chosen)"}
    _write_json(report, out / "report.json")
    size = (out / "census2011_b18.parquet").stat().st_size
    print(
        f"india: {len(frame):,} rows, {size / 1e6:.2f} MB, {time.perf_counter() - t0:.1f} s\n"
        + frames[0].report.summary()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=OUT, help="default: the package data")
    parser.add_argument(
        "--only", nargs="*", choices=["nic", "definitions", "eu", "india"], default=None
    )
    args = parser.parse_args()
    steps = args.only or ["nic", "definitions", "eu", "india"]
    nic_path = args.out / "classifications" / "nic2008_structure.csv"
    if "nic" in steps:
        nic_path = build_nic(args.data, args.out)
    if "definitions" in steps:
        build_definitions(args.data, nic_path, args.out)
    if "eu" in steps:
        build_eu(args.data, args.out)
    if "india" in steps:
        build_india(args.data, nic_path, args.out)


if __name__ == "__main__":
    main()

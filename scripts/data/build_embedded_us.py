"""Build the embedded U.S. data of the package from the public source files (developers only).

    python scripts/data/build_embedded_us.py ../shared/data

Writes, under ``src/clusterobs/data/``:

* ``us/cbp_state_naics_2000_2011.parquet``: County Business Patterns, state x NAICS x year,
  2000-2011, the columns of the published files, typed, sorted, zstd-compressed;
* ``definitions/dps2016_naics2017.csv``: the U.S. Cluster Mapping benchmark definition (Emsi
  variant of Delgado, Porter & Stern 2016) in the canonical definition layout, without the
  Emsi-only pseudo-codes that are no NAICS 2017 codes (listed in the SOURCE note);
* ``definitions/uscmp_traded_cluster_relatedness.csv``: the columns of the published cluster
  relatedness the engine reads;
* ``classifications/codes.parquet``, ``crosswalks.parquet``: the classification store
  (NAICS 2002-2017, ISIC Rev.4, NACE Rev.2 and their concordances).

Every output is deterministic for the same inputs. The SOURCE notes beside the files are written
by hand and cite the original publishers, not this script's input folder.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

from clusterobs.classifications.store import import_classifications
from clusterobs.definitions.adapters import from_uscmp_emsi

OUT = Path(__file__).resolve().parents[2] / "src" / "clusterobs" / "data"
RELATEDNESS_COLUMNS = [
    "cluster_code", "cluster_name", "cluster_code_2", "cluster_name_2", "rel_all_90_v3",
    "cr_all", "cr_all_pc", "cr_lc_pc", "cr_io_pc", "cr_occ_pc",
]  # fmt: skip


def cbp(shared: Path) -> None:
    src = shared / "us_cbp_state_2000_2011" / "cbp_state_naics_2000_2011.csv.gz"
    out = OUT / "us" / "cbp_state_naics_2000_2011.parquet"
    con = duckdb.connect()
    con.sql(
        f"""COPY (
            SELECT CAST("year" AS SMALLINT) AS "year", fipstate, naics,
                   CAST(est AS INTEGER) AS est, CAST(emp AS INTEGER) AS emp, emp_nf, empflag,
                   CAST(ap AS BIGINT) AS ap, ap_nf
            FROM read_csv('{src}', all_varchar = true) ORDER BY 1, 2, 3
        ) TO '{out}' (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 19)"""
    )


def definitions(shared: Path, codes: pd.DataFrame) -> None:
    defs = shared / "us_cluster_definitions"
    table = from_uscmp_emsi(defs / "naics_to_cluster_uscmp_emsi_variant.csv")
    naics2017 = set(codes.loc[codes["classification"] == "NAICS2017", "code"])
    pseudo = table[~table["industry_code"].isin(naics2017)]
    print("Emsi pseudo-codes left out:", ", ".join(pseudo["industry_code"]))
    table = table[table["industry_code"].isin(naics2017)].drop(columns="source_row")
    table.to_csv(OUT / "definitions" / "dps2016_naics2017.csv", index=False)
    rel = pd.read_csv(defs / "traded_cluster_relatedness_uscmp.csv", dtype=str)
    rel[RELATEDNESS_COLUMNS].to_csv(
        OUT / "definitions" / "uscmp_traded_cluster_relatedness.csv", index=False
    )


def classifications(shared: Path) -> pd.DataFrame:
    with tempfile.TemporaryDirectory() as tmp:
        import_classifications(shared / "industry_classifications", Path(tmp))
        for name in ("codes.parquet", "crosswalks.parquet"):
            shutil.copyfile(Path(tmp) / name, OUT / "classifications" / name)
    return pd.read_parquet(OUT / "classifications" / "codes.parquet")


def main(shared: Path) -> None:
    codes = classifications(shared)
    definitions(shared, codes)
    cbp(shared)
    for path in sorted(OUT.rglob("*")):
        if path.is_file() and path.suffix in {".parquet", ".csv"}:
            print(f"{path.relative_to(OUT)}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))

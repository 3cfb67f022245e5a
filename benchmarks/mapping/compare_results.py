"""Compare two mapping results value by value (every Parquet table of both directories).

Used to show that a change of the engine's code leaves its outputs identical (or to list
exactly what changed): ``python benchmarks/mapping/compare_results.py OLD_DIR NEW_DIR``. Rows are
matched on the table's key columns (codes, years); floats are compared exactly and, where not
identical, the largest absolute and relative differences are reported.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

KEYS = [
    "region_type", "region_code", "year", "start_year", "end_year", "cluster_code",
    "subcluster_code", "related_cluster_code", "vintage", "industry_code",
]  # fmt: skip


def compare_table(old: pd.DataFrame, new: pd.DataFrame) -> list[str]:
    notes = []
    if list(old.columns) != list(new.columns):
        notes.append(f"columns differ: -{set(old.columns) - set(new.columns)} "
                     f"+{set(new.columns) - set(old.columns)}")  # fmt: skip
    if len(old) != len(new):
        return [*notes, f"rows differ: {len(old)} -> {len(new)}"]
    keys = [k for k in KEYS if k in old.columns and k in new.columns]
    old = old.sort_values(keys, na_position="first", ignore_index=True)
    new = new.sort_values(keys, na_position="first", ignore_index=True)
    for col in [c for c in old.columns if c in new.columns]:
        a, b = old[col], new[col]
        if pd.api.types.is_float_dtype(a) and pd.api.types.is_float_dtype(b):
            x, y = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
            same = (x == y) | (np.isnan(x) & np.isnan(y))
            if not same.all():
                diff = np.abs(x - y)[~same]
                rel = diff / np.maximum(np.abs(x[~same]), 1e-300)
                notes.append(f"{col}: {int((~same).sum())} values differ, max abs "
                             f"{np.nanmax(diff):.3g}, max rel {np.nanmax(rel):.3g}")  # fmt: skip
        else:
            eq = (a.astype("object").where(a.notna(), None).tolist()
                  == b.astype("object").where(b.notna(), None).tolist())  # fmt: skip
            if not eq:
                n = int(
                    (a.astype("string").fillna("<NA>") != b.astype("string").fillna("<NA>")).sum()
                )
                notes.append(f"{col}: {n} values differ ({a.dtype} vs {b.dtype})")
    return notes


def main(old_dir: Path, new_dir: Path) -> int:
    names = sorted(
        {p.name for p in old_dir.glob("*.parquet")} | {p.name for p in new_dir.glob("*.parquet")}
    )
    status = 0
    for name in names:
        a, b = old_dir / name, new_dir / name
        if not (a.exists() and b.exists()):
            print(f"{name}: only in {'old' if a.exists() else 'new'}")
            status = 1
            continue
        notes = compare_table(pd.read_parquet(a), pd.read_parquet(b))
        print(f"{name}: {'identical' if not notes else '; '.join(notes)}")
        status |= bool(notes)
    return status


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))

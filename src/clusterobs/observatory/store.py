"""Read access to the mapping engine's published results (Parquet) through DuckDB.

The engine writes one directory per build (``results_dir/<name>``: ``cluster_region_year``,
``region_year``, ``cluster_region_change``, ``related_clusters``, ``colocation`` and
``manifest.json``). The web never writes there: statistics flow one way. Results are immutable
once published (a new build replaces the directory atomically), so a store is cached per
directory and *keyed by the manifest's modification time*: a rebuild is picked up on the next
request without a restart, and everything derived from a store may be memoised on that key.

DuckDB reads the Parquet files in place (views, no copy); each call takes its own cursor, which
makes one store safe to share between the server's threads.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from clusterobs.data.catalog import CLASSIFICATIONS_DIR
from clusterobs.mapping.inputs import input_path, verify_inputs
from clusterobs.sources.regions import read_regions

TABLES = {
    "cry": "cluster_region_year.parquet",
    "ry": "region_year.parquet",
    "change": "cluster_region_change.parquet",
    "related": "related_clusters.parquet",
    "coloc": "colocation.parquet",
    # Economic complexity (clusterobs.complexity.outputs), present when built with it.
    "cx_region": "complexity_region.parquet",
    "cx_industry": "complexity_industry.parquet",
    "cx_density": "relatedness_density.parquet",
    "cx_proximity": "complexity_proximity.parquet",
}
NATION = "nation"


class DatasetNotFoundError(LookupError):
    """No published result of that name (or none at all)."""


@dataclass
class ResultsStore:
    """One published result directory, queried with SQL."""

    path: Path
    version: float
    _con: duckdb.DuckDBPyConnection = field(init=False, repr=False)
    _memo: dict[tuple, Any] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self._con = duckdb.connect(":memory:", config={"threads": 2})
        for view, name in TABLES.items():
            f = self.path / name
            if not f.exists():
                continue
            # A table may be one file or a directory of parts (engine writes large tables in
            # pieces). Small tables are loaded into memory once (fast repeated dashboard
            # queries); large ones (county builds) stay Parquet-backed views.
            if f.is_dir():
                size = sum(p.stat().st_size for p in f.rglob("*.parquet"))
                source = str(f / "**" / "*.parquet")
            else:
                size, source = f.stat().st_size, str(f)
            kind = "TABLE" if size < 64 * 2**20 else "VIEW"
            self._con.execute(
                f"CREATE {kind} {view} AS SELECT * FROM read_parquet(?, union_by_name = true)",
                [source],
            )

    @property
    def name(self) -> str:
        return self.path.name

    @cached_property
    def manifest(self) -> dict[str, Any]:
        return json.loads((self.path / "manifest.json").read_text())

    @cached_property
    def input_problems(self) -> list[str]:
        """Kept input files whose checksum no longer matches the manifest (checked once per
        result version, when first needed)."""
        return verify_inputs(self.path, self.manifest.get("inputs") or {})

    @cached_property
    def kept_regions(self) -> pd.DataFrame:
        """The region table the result was built with (``code, name, type, parent``; kept in
        its inputs), empty when it used a format's built-in regions."""
        path = input_path(self.path, self.manifest.get("inputs") or {}, "regions")
        if path is None:
            return pd.DataFrame(columns=["code", "name", "type", "parent"])
        return read_regions(path)

    def has(self, view: str) -> bool:
        return (self.path / TABLES[view]).exists()

    def query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Run SQL on this result's views (``cry``, ``ry``, ``change``, ``related``, ``coloc``)."""
        cur = self._con.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def memo(self, key: tuple, compute: Any, ttl: float | None = None) -> Any:
        """Memoise ``compute()`` for this (immutable) result version; ``ttl`` seconds for values
        that also depend on the database (registry records located in a region)."""
        hit = self._memo.get(key)
        now = time.monotonic()
        if hit is not None and (hit[1] is None or hit[1] > now):
            return hit[0]
        value = compute()
        with self._lock:
            if len(self._memo) > 4096:
                self._memo.clear()
            self._memo[key] = (value, now + ttl if ttl else None)
        return value

    # Small lookups used everywhere -------------------------------------------------------

    @cached_property
    def years(self) -> list[int]:
        return [int(y) for y in self.query("SELECT DISTINCT year FROM ry ORDER BY year")["year"]]

    @cached_property
    def region_types(self) -> list[str]:
        df = self.query(
            "SELECT region_type, count(DISTINCT region_code) n FROM ry "
            "WHERE region_type <> ? GROUP BY 1 ORDER BY n DESC, 1",
            [NATION],
        )
        return df["region_type"].tolist()

    @property
    def main_type(self) -> str:
        return self.region_types[0] if self.region_types else NATION

    @cached_property
    def clusters(self) -> pd.DataFrame:
        """``cluster_code, cluster_name, traded`` (one row per cluster), ordered by name."""
        return self.query(
            "SELECT cluster_code, any_value(cluster_name) cluster_name, bool_or(traded) traded "
            "FROM cry WHERE subcluster_code IS NULL GROUP BY 1 ORDER BY 2"
        )

    @cached_property
    def subclusters(self) -> pd.DataFrame:
        return self.query(
            "SELECT cluster_code, subcluster_code, any_value(subcluster_name) subcluster_name "
            "FROM cry WHERE subcluster_code IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"
        )

    def region_codes(self, region_type: str) -> list[str]:
        df = self.query(
            "SELECT DISTINCT region_code FROM ry WHERE region_type = ? ORDER BY 1", [region_type]
        )
        return df["region_code"].tolist()

    def input_path(self, key: str) -> Path | None:
        """An input file of this result (``employment``, ``definitions``, ``relatedness``...)."""
        return input_path(self.path, self.manifest.get("inputs") or {}, key)

    @cached_property
    def definition(self) -> pd.DataFrame:
        """The cluster definition's industries (the copy kept in the result by the CLI, or the
        path an older build recorded). Without it, pages omit industry lists (empty frame)."""
        from clusterobs.definitions.reader import load_definition

        path = self.input_path("definitions")
        cls = (self.manifest.get("definition") or {}).get("classification", "")
        cols = ["industry_code", "cluster_code", "subcluster_code", "industry_title"]
        if path is None:
            return pd.DataFrame(columns=cols)
        table = load_definition(path, cls).table.copy()
        table["industry_title"] = table["industry_code"].map(industry_titles(cls)).astype("string")
        return table[cols]


#: NIC 2008 codes and titles (ISIC Rev.4 titles to the class) shipped with the package.
NIC2008_STRUCTURE = CLASSIFICATIONS_DIR / "nic2008_structure.csv"


def industry_titles(classification: str) -> dict[str, str]:
    """Titles of a classification's codes from the imported classification store, if any
    (``settings.OBSERVATORY_CLASSIFICATIONS_DIR`` in tests, else the platform's store)."""
    from django.conf import settings

    from clusterobs.classifications.store import ClassificationStore

    store = ClassificationStore.load(settings.OBSERVATORY_CLASSIFICATIONS_DIR)
    c = store.codes
    c = c[c["classification"] == classification]
    title_col = "title" if "title" in c.columns else None
    if title_col is None:
        return {}
    if c.empty and classification == "NIC2008":  # not imported: the embedded structure
        c = pd.read_csv(NIC2008_STRUCTURE, dtype=str, keep_default_na=False)
    return dict(zip(c["code"].astype(str), c[title_col].astype(str), strict=True))


_STORES: dict[Path, ResultsStore] = {}
_LOCK = threading.Lock()


def results_root() -> Path:
    """``settings.OBSERVATORY_RESULTS_DIR``: the platform's results dir (``config.py``), or the
    one a test sets."""
    from django.conf import settings

    return Path(settings.OBSERVATORY_RESULTS_DIR)


def datasets(root: Path | None = None) -> list[str]:
    """Names of the published results (directories with a manifest), sorted."""
    root = root or results_root()
    if not root.exists():
        return []
    return sorted(
        p.name
        for p in root.iterdir()
        if p.is_dir() and not p.name.startswith(".") and (p / "manifest.json").exists()
    )


def _default_dataset() -> str:
    from django.conf import settings

    return settings.CONFIG.default_dataset


def get_store(name: str | None = None, root: Path | None = None) -> ResultsStore:
    """The store of result ``name`` (default: the configured default dataset when published,
    else the first published one)."""
    root = root or results_root()
    if name is None:
        names = datasets(root)
        if not names:
            raise DatasetNotFoundError(
                f"no published results in {root} (run 'clusterobs mapping build')"
            )
        preferred = _default_dataset()
        name = preferred if preferred in names else names[0]
    if name.startswith(".") or "/" in name or "\\" in name:
        raise DatasetNotFoundError(f"no published result named {name!r}")
    path = root / name
    try:
        version = (path / "manifest.json").stat().st_mtime
    except OSError as exc:
        raise DatasetNotFoundError(f"no published result named {name!r}") from exc
    with _LOCK:
        store = _STORES.get(path)
        if store is None or store.version != version:
            store = ResultsStore(path, version)
            _STORES[path] = store
    return store

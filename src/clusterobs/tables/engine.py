"""The table engine: one Ibis code path, run on DuckDB (embedded default) or Apache Spark.

Why Ibis: the same expression (filter, join, group-by) compiles to DuckDB SQL for a laptop and to
Spark SQL for inputs that do not fit one machine, so there is a single implementation of every
heavy step and a test can check that both backends agree. Big results leave the engine as
Arrow record batches streamed to Parquet; only small tables (totals, thresholds) become pandas.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import ibis
import pandas as pd
import pyarrow as pa

EngineName = Literal["duckdb", "spark"]
BATCH_ROWS = 1_000_000


@dataclass
class Engine:
    """A connected Ibis backend plus the few reader helpers that differ between backends."""

    name: EngineName
    con: Any
    _counter: int = field(default=0, repr=False)

    def _next_name(self, prefix: str) -> str:
        self._counter += 1
        return f"clusterobs_{prefix}_{os.getpid()}_{self._counter}"

    def read_csv_strings(self, path: str | Path) -> ibis.Table:
        """Read a CSV (optionally gzip-compressed) with every column as a string.

        Codes such as FIPS ``"01"`` or NAICS ``"31----"`` must never be parsed as numbers, so we
        read text and cast numeric columns explicitly afterwards.
        """
        path = str(path)
        if self.name == "duckdb":
            # The CSV dialect of RFC 4180, stated rather than sniffed: a sniffer can guess
            # another delimiter or quote from unusual cell text and misread a valid file.
            view = self.con.read_csv(
                path,
                table_name=self._next_name("csv"),
                all_varchar=True,
                header=True,
                delim=",",
                quote='"',
                escape='"',
            )
            # Materialise once: a CSV view would be re-parsed by every query over it.
            return self.con.create_table(self._next_name("csvt"), view, temp=True)
        return self.con.read_csv(
            path, table_name=self._next_name("csv"), inferSchema=False, sep=",", quote='"',
            escape='"',
        ).cache()  # fmt: skip

    def read_csv_typed(self, path: str | Path, types: dict[str, str]) -> ibis.Table:
        """Read a CSV with the given column types (``string`` or ``float64``), parsed by the
        backend's own reader (fast; a non-numeric value fails the read with its line number).
        ``types`` must list the header's columns in file order."""
        path = str(path)
        if self.name == "duckdb":
            duck = {c: ("VARCHAR" if t == "string" else "DOUBLE") for c, t in types.items()}
            view = self.con.read_csv(
                path, table_name=self._next_name("csv"), types=duck, header=True
            )
            return self.con.create_table(self._next_name("csvt"), view, temp=True)
        ddl = ", ".join(
            f"`{c}` {'STRING' if t == 'string' else 'DOUBLE'}" for c, t in types.items()
        )
        return self.con.read_csv(
            path,
            table_name=self._next_name("csv"),
            schema=ddl,
            inferSchema=False,
            mode="FAILFAST",
        ).cache()

    def materialize(self, expr: ibis.Table, prefix: str = "tmp") -> ibis.Table:
        """Compute an expression once and keep the result (DuckDB temp table, Spark cache)."""
        if self.name == "duckdb":
            return self.con.create_table(self._next_name(prefix), expr, temp=True)
        return expr.cache()

    def release(self, table: ibis.Table) -> None:
        """Free a DuckDB temporary table from :meth:`materialize` once nothing will read it
        again (its memory, or its spill file). On Spark a no-op: a cache there is lazy, and
        later results may still be computed through the cached plan."""
        if self.name == "duckdb":
            self.con.raw_sql(f'DROP TABLE IF EXISTS "{table.get_name()}"')

    def read_parquet(self, path: str | Path) -> ibis.Table:
        return self.con.read_parquet(str(path), table_name=self._next_name("pq"))

    def table(self, df: pd.DataFrame, prefix: str = "mem") -> ibis.Table:
        """Register a small pandas frame (definitions, crosswalks) as a backend table."""
        if self.name == "duckdb":
            return ibis.memtable(df)
        # Spark: a temporary view (no files in a warehouse directory); Arrow keeps nulls null.
        import pyarrow as pa

        session = self.con._session
        session.conf.set("spark.sql.execution.arrow.pyspark.enabled", "true")
        name = self._next_name(prefix)
        arrow = pa.Table.from_pandas(df, preserve_index=False)
        if len(df):
            frame = session.createDataFrame(arrow.to_pandas(types_mapper=pd.ArrowDtype))
        else:  # Spark cannot infer a schema from no rows: give it the frame's
            from ibis.backends.pyspark.datatypes import PySparkSchema

            schema = PySparkSchema.from_ibis(ibis.Schema.from_pyarrow(arrow.schema))
            frame = session.createDataFrame([], schema=schema)
        frame.createOrReplaceTempView(name)
        return self.con.table(name)

    def to_pandas(self, expr: ibis.Table) -> pd.DataFrame:
        return self.con.execute(expr)

    def to_pyarrow_batches(self, expr: ibis.Table) -> Iterator[pa.RecordBatch]:
        """Stream a result as Arrow record batches (DuckDB streams; Spark collects per call)."""
        if self.name == "duckdb":
            # ibis 12's to_pyarrow_batches calls fetch_record_batch, which DuckDB 2.0 removed;
            # same steps with DuckDB's own streaming reader.
            self.con._run_pre_execute_hooks(expr)
            relation = self.con.con.sql(self.con.compile(expr.as_table()))
            yield from relation.to_arrow_reader(BATCH_ROWS)
        else:
            yield from self.con.to_pyarrow(expr).to_batches(max_chunksize=BATCH_ROWS)


def connect(
    name: EngineName = "duckdb",
    *,
    spark_session: Any | None = None,
    memory_limit: str | None = None,
) -> Engine:
    """Open an engine. ``spark`` needs the ``spark`` extra and starts a local session if none.

    ``memory_limit`` (DuckDB, e.g. ``"3GB"``) caps the engine's memory; larger intermediate
    results and temporary tables then spill to a temporary directory (``$TMPDIR``, removed
    with the process's other temporary files) instead of growing the process.
    """
    if name == "duckdb":
        con = ibis.duckdb.connect()
        con.raw_sql("SET preserve_insertion_order = false")
        con.raw_sql("SET enable_progress_bar = false")
        spill = tempfile.mkdtemp(prefix="clusterobs-duckdb-")
        atexit.register(shutil.rmtree, spill, ignore_errors=True)
        con.raw_sql(f"SET temp_directory = '{spill}'")
        if memory_limit:
            con.raw_sql(f"SET memory_limit = '{memory_limit}'")
        return Engine("duckdb", con)
    if name == "spark":
        session = spark_session or local_spark_session()
        return Engine("spark", ibis.pyspark.connect(session))
    raise ValueError(f"unknown engine {name!r}; use 'duckdb' or 'spark'")


def local_spark_session(cores: int = 2) -> Any:
    """A local SparkSession without UI (for tests and single-machine runs)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise ValueError(
            "the Spark engine needs the 'spark' extra: pip install 'cluster-observatory[spark]'"
        ) from exc
    return (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("clusterobs")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(cores * 2))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )

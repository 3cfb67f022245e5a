"""Result tables that stay in the engine until they are read (pandas) or written (Parquet).

Why: the cluster-region-year and change tables of a county build have tens of millions of
rows; they must never become one pandas frame. An :class:`EngineTable` is a list of Ibis
expressions (parts, e.g. one per chunk of years) streamed as Arrow record batches into one
Parquet file, so no more than one part's batches are in Python memory at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from clusterobs.tables.engine import Engine

ROW_GROUP_ROWS = 1_000_000


@dataclass
class EngineTable:
    """Parts computed by ``engine``; ``dtypes`` and ``pandas_sort`` shape :meth:`to_pandas`."""

    engine: Engine
    parts: list[ir.Table]
    dtypes: dict[str, str] = field(default_factory=dict)
    pandas_sort: list[str] = field(default_factory=list)

    def _typed(self, df: pd.DataFrame) -> pd.DataFrame:
        for col, dtype in self.dtypes.items():
            if col in df.columns:
                df[col] = df[col].astype(dtype)
        return df

    def _empty(self) -> pd.DataFrame:
        """No part at all (nothing to compute): the declared columns, no rows."""
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in self.dtypes.items()})

    def to_pandas(self) -> pd.DataFrame:
        frames = [self.engine.to_pandas(part) for part in self.parts]
        if not frames:
            return self._empty()
        df = pd.concat(frames, ignore_index=True) if len(frames) != 1 else frames[0]
        df = self._typed(df)
        if self.pandas_sort and len(df):
            df = df.sort_values(
                self.pandas_sort, na_position="first", kind="stable", ignore_index=True
            )
        return df

    def batches(self) -> Iterator[pa.RecordBatch]:
        for part in self.parts:
            yield from self.engine.to_pyarrow_batches(part)

    def write_parquet(self, path: Path) -> int:
        """Stream every part into one Parquet file; returns the number of rows written."""
        writer: pq.ParquetWriter | None = None
        schema: pa.Schema | None = None
        rows = 0
        try:
            for batch in self.batches():
                if writer is None:
                    schema = batch.schema
                    writer = pq.ParquetWriter(path, schema, compression="zstd")
                if batch.schema != schema:
                    batch = pa.Table.from_batches([batch]).cast(schema).to_batches()[0]
                if batch.num_rows:
                    writer.write_batch(batch, row_group_size=ROW_GROUP_ROWS)
                    rows += batch.num_rows
            if writer is None:  # no rows: an empty file with the expression's schema
                if self.parts:
                    pq.write_table(self.parts[0].schema().to_pyarrow().empty_table(), path)
                else:
                    pq.write_table(pa.Table.from_pandas(self._empty(), preserve_index=False), path)
        finally:
            if writer is not None:
                writer.close()
        return rows

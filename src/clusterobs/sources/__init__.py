"""Importers: one module per source, each returning the canonical long employment table.

The canonical table (an Ibis table, so it runs on DuckDB or Spark) has the columns listed in
:data:`clusterobs.sources.schema.CANONICAL_COLUMNS`.
"""

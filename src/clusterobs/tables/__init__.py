"""The table engine adapter: the lowest layer of the analytics core.

``engine`` connects an Ibis backend (DuckDB embedded, Spark for scale); ``expressions`` holds
the few null-safe expression helpers every statistic uses; ``results`` streams a result table
from the engine to Parquet. Sources, definitions and the mapping statistics build on this
package; it imports none of them.
"""

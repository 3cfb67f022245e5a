"""Null-safe expression helpers shared by every statistic (one code path for DuckDB and Spark).

Why these exist: SQL division by zero gives an error (Spark) or infinity/NaN (DuckDB), and a
comparison with a null side gives null. The statistics promise that an undefined value is
*null* (never 0, never inf) and that a test which cannot be evaluated does not pass, so every
module uses these three helpers instead of the raw operators.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir


def ratio(num: ir.NumericValue, den: ir.NumericValue) -> ir.FloatingValue:
    """``num / den`` as float64; null where ``den`` is 0 or null (no inf, no NaN)."""
    return ibis.ifelse(den != 0, num.cast("float64") / den.cast("float64"), ibis.null("float64"))


def left_join(a: ir.Table, b: ir.Table, keys: Sequence[str]) -> ir.Table:
    """Left join on equally named keys, keeping one copy of each key."""
    joined = a.left_join(b, list(keys))
    return joined.drop(*[f"{k}_right" for k in keys if f"{k}_right" in joined.columns])


def holds(condition: ir.BooleanValue) -> ir.BooleanValue:
    """A condition with a null side does not hold (False), as numpy compares with NaN."""
    return condition.fill_null(False)

"""Small pandas helpers of the observatory's reads: JSON-ready values, employment status,
growth rates and map classes."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd


def to_python(value: Any) -> Any:
    """A JSON-safe Python value (NaN/NA -> None, numpy scalars -> Python)."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else round(f, 6)
    return value


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    cols = list(df.columns)
    return [
        {c: to_python(v) for c, v in zip(cols, row, strict=True)}
        for row in df.itertuples(index=False, name=None)
    ]


def employment_status(reported: float, imputed: float, employment: float) -> str:
    if not employment:
        return "none"
    if imputed and imputed >= employment - 1e-9:
        return "imputed"
    if imputed:
        return "partly_imputed"
    return "reported"


def add_status(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["employment_status"] = [
        employment_status(r, i, e)
        for r, i, e in zip(
            df["employment_reported"].fillna(0),
            df["employment_imputed"].fillna(0),
            df["employment"].fillna(0),
            strict=True,
        )
    ]
    if "wage" in df.columns:
        df["wage_status"] = np.where(
            df["wage"].isna() & (df["employment"].fillna(0) > 0), "suppressed", "reported"
        )
    return df


def cagr(start: float | None, end: float | None, years: int) -> float | None:
    if start is None or end is None or years <= 0 or not start or start <= 0:
        return None
    if end is None or (isinstance(end, float) and math.isnan(end)):
        return None
    return (end / start) ** (1 / years) - 1


def class_breaks(values: pd.Series, k: int = 5) -> tuple[list[float], pd.Series]:
    """Quantile class breaks (``k`` classes) and each value's class (-1 = no data)."""
    v = values.dropna().astype(float)
    if v.empty:
        return [], pd.Series(-1, index=values.index)
    qs = sorted(set(np.quantile(v, [i / k for i in range(1, k)], method="linear").round(6)))
    cls = pd.Series(np.searchsorted(qs, values.astype(float), side="right"), index=values.index)
    cls = cls.where(values.notna(), -1)
    if len(qs) < k - 1:  # few distinct values: spread classes over the palette
        scale = (k - 1) / max(len(qs), 1)
        cls = cls.where(cls < 0, (cls * scale).round().astype(int))
    return [float(q) for q in qs], cls.astype(int)

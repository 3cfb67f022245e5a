"""Region tables: ``code, name, type, parent`` (CSV or Parquet), and the built-in U.S. states.

The engine uses a region table to name regions, to give each its type (percentiles compare regions
of the same type only) and to report codes in the data that the table does not know. Unknown
region codes are kept in the results (with the type the data gave them) and listed by code in the
manifest; they are never dropped.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from clusterobs.sources.errors import InputValidationError

REGION_COLUMNS = ["code", "name", "type", "parent"]

# 2-digit FIPS codes of the 50 states and DC (CBP state files) plus Puerto Rico.
US_STATES = {
    "01": "Alabama", "02": "Alaska", "04": "Arizona", "05": "Arkansas", "06": "California",
    "08": "Colorado", "09": "Connecticut", "10": "Delaware", "11": "District of Columbia",
    "12": "Florida", "13": "Georgia", "15": "Hawaii", "16": "Idaho", "17": "Illinois",
    "18": "Indiana", "19": "Iowa", "20": "Kansas", "21": "Kentucky", "22": "Louisiana",
    "23": "Maine", "24": "Maryland", "25": "Massachusetts", "26": "Michigan", "27": "Minnesota",
    "28": "Mississippi", "29": "Missouri", "30": "Montana", "31": "Nebraska", "32": "Nevada",
    "33": "New Hampshire", "34": "New Jersey", "35": "New Mexico", "36": "New York",
    "37": "North Carolina", "38": "North Dakota", "39": "Ohio", "40": "Oklahoma", "41": "Oregon",
    "42": "Pennsylvania", "44": "Rhode Island", "45": "South Carolina", "46": "South Dakota",
    "47": "Tennessee", "48": "Texas", "49": "Utah", "50": "Vermont", "51": "Virginia",
    "53": "Washington", "54": "West Virginia", "55": "Wisconsin", "56": "Wyoming",
    "72": "Puerto Rico",
}  # fmt: skip


def us_states() -> pd.DataFrame:
    """The built-in state table (type ``state``, parent ``US``)."""
    return pd.DataFrame(
        {"code": list(US_STATES), "name": list(US_STATES.values()), "type": "state", "parent": "US"}
    )


def read_regions(path: str | Path) -> pd.DataFrame:
    """Read and check a region table; codes stay strings; duplicate codes are an error."""
    path = Path(path)
    if path.suffix == ".parquet":
        df = pd.read_parquet(path).astype("string")
    else:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.columns = [c.lower() for c in df.columns]
    for col in ("code", "type"):
        if col not in df.columns:
            raise InputValidationError(f"region table needs a {col!r} column", file=path, field=col)
    for col in ("name", "parent"):
        if col not in df.columns:
            df[col] = None
    df = df[REGION_COLUMNS].copy()
    df["code"] = df["code"].str.strip()
    dup = df["code"].duplicated()
    if dup.any():
        row = int(dup.to_numpy().nonzero()[0][0]) + 1
        raise InputValidationError(
            f"region code {df['code'].iloc[row - 1]} listed twice", file=path, row=row, field="code"
        )
    return df.reset_index(drop=True)

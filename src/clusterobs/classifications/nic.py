"""NIC 2008, India's National Industrial Classification, as a code list for the store.

NIC 2008 (Central Statistical Organisation, Ministry of Statistics and Programme
Implementation, 2008) adopts ISIC Rev.4 (UN Statistics Division) unchanged at the section,
division (2-digit), group (3-digit) and class (4-digit) levels and adds national 5-digit
sub-classes. So the structure is built from the ISIC Rev.4 structure; the titles are NIC's own
where a source gives them (the Census of India B-tables print the NIC name of every code they
use, sometimes cut short: a census title that is a prefix of the ISIC title, or differs from it
only by punctuation, gives way to the full ISIC title). Sub-classes come from a code list
that has them (``code`` of 5 digits); the published B-18 tables stop at classes.

In the store (:mod:`clusterobs.classifications.store`): ``level`` = 1 section, 2 division, 3
group, 4 class, 5 sub-class; ``parent`` the code one level up (a division's parent is its
section); ``detailed`` = the leaves of the list (codes without a child in it), i.e. the
sub-classes where the list has them and the classes elsewhere. Each detailed code links to the
ISIC Rev.4 class of its first four digits (``note = 'nic-prefix'``).

Codes that the census uses but that are not NIC/ISIC codes (``991``/``9910`` "Blank",
``992``/``9920`` "Incomplete description / wrongly classified", ``2031`` "anti-sprouting
products") are not added: the importer reports them as unknown codes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

STRUCTURE_COLUMNS = ["code", "title", "level", "parent", "title_source"]
CODE_COLUMNS = ["classification", "code", "title", "level", "parent", "detailed"]
NAME = "NIC2008"


def _invalid(
    message: str, *, file: str | Path, row: int | None = None, field: str = ""
) -> ValueError:
    """A ``ValueError`` naming file, row and field. (``classifications`` sits below
    ``sources``: importing its ``InputValidationError`` would make a package cycle.)"""
    where = f"file {file}" + (f", row {row}" if row is not None else "") + f", field {field!r}"
    return ValueError(f"{where}: {message}")


def _comparable(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower().replace("’", "'"))


def _level(code: str) -> int:
    return 1 if code.isalpha() else len(code)


def structure(isic: pd.DataFrame, census_titles: pd.DataFrame | None = None) -> pd.DataFrame:
    """The NIC 2008 code list (``code, title, level, parent, title_source``) from the ISIC
    Rev.4 structure (``code, title, level`` as in the UNSD file) and census titles (``code,
    title``; codes not in ISIC are ignored here)."""
    df = isic[["code", "title"]].copy()
    df["code"] = df["code"].astype(str).str.strip()
    section: str | None = None
    parents: list[str | None] = []
    for code in df["code"]:
        if code.isalpha():
            section = code
            parents.append(None)
        elif len(code) == 2:
            parents.append(section)
        else:
            parents.append(code[:-1])
    df["parent"] = parents
    df["level"] = df["code"].map(_level)
    df["title_source"] = "ISIC Rev.4"
    if census_titles is not None and len(census_titles):
        census = (
            census_titles.dropna()
            .drop_duplicates("code")
            .set_index("code")["title"]
            .astype(str)
            .str.strip()
        )
        nic_title = df["code"].map(census)
        isic_cmp = df["title"].map(_comparable)
        census_cmp = nic_title.fillna("").map(_comparable)
        truncated = [bool(c) and i.startswith(c) for c, i in zip(census_cmp, isic_cmp, strict=True)]
        use_census = nic_title.notna() & ~pd.Series(truncated, index=df.index)
        df.loc[use_census, "title"] = nic_title[use_census]
        df.loc[use_census, "title_source"] = "NIC 2008 (Census of India 2011 tables)"
    return df[STRUCTURE_COLUMNS].reset_index(drop=True)


def read_code_list(path: str | Path) -> pd.DataFrame:
    """A NIC 2008 code list (``code, title`` and optional ``parent``; sections as letters,
    sub-classes as 5 digits) in the store's layout, ``detailed`` = the leaves."""
    path = Path(path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "code" not in df.columns:
        raise _invalid("a code list needs a 'code' column", file=path, field="code")
    codes = df["code"].str.strip()
    bad = ~codes.str.fullmatch(r"[A-U]|\d{2,5}")
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0]) + 1
        raise _invalid(
            f"{codes.iloc[row - 1]!r} is not a NIC 2008 code (a section letter or 2-5 digits)",
            file=path,
            row=row,
            field="code",
        )
    dup = codes.duplicated()
    if dup.any():
        row = int(dup.to_numpy().nonzero()[0][0]) + 1
        raise _invalid(f"code {codes.iloc[row - 1]} listed twice", file=path, row=row, field="code")
    out = pd.DataFrame({"classification": NAME, "code": codes})
    out["title"] = df["title"].str.strip() if "title" in df.columns else ""
    out["level"] = codes.map(_level).astype("int64")
    if "parent" in df.columns:
        out["parent"] = df["parent"].str.strip().replace("", None)
    else:
        out["parent"] = [None if len(c) <= 2 else c[:-1] for c in codes]
    known = set(codes)
    orphan = out["parent"].notna() & ~out["parent"].isin(known)
    if orphan.any() and len(known) > 1:
        row = int(orphan.to_numpy().nonzero()[0][0]) + 1
        raise _invalid(
            f"parent {out['parent'].iloc[row - 1]} of {codes.iloc[row - 1]} is not in the list",
            file=path,
            row=row,
            field="parent" if "parent" in df.columns else "code",
        )
    has_child = set(out["parent"].dropna())
    out["detailed"] = ~out["code"].isin(has_child) & (out["level"] >= 4)
    return out[CODE_COLUMNS]


def isic_links(codes: pd.DataFrame) -> pd.DataFrame:
    """Crosswalk rows NIC 2008 detailed code -> ISIC Rev.4 class (its first four digits)."""
    detailed = codes.loc[codes["detailed"].astype(bool), "code"]
    return pd.DataFrame(
        {
            "from_classification": NAME,
            "from_code": detailed.to_numpy(),
            "to_classification": "ISIC4",
            "to_code": detailed.str[:4].to_numpy(),
            "note": "nic-prefix",
        }
    )

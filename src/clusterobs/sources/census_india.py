"""Census of India 2011 B-tables by district and NIC 2008 industry (table B-18 and its kind).

Table B-18 ("Industrial classification of main and marginal workers other than cultivators and
agricultural labourers by sex and by section, division and class", Office of the Registrar
General & Census Commissioner, India, series DDW_B18) comes as one CSV per state:

* ``State Code``, ``District Code`` (all-India Census 2011 district code; ``000`` = the state),
  ``India/States`` (``STATE - RAJASTHAN`` / ``District - Jaipur``);
* ``Division``, ``Group``, ``Class``: NIC 2008 codes, each with a leading backtick (a
  spreadsheet trick to keep the zeros: `` `08 ``); ``00``/``000``/``0000`` mean "the row is an
  aggregate at the level above", so a row's **level** is ``total`` (division ``00``),
  ``division`` (group ``000``), ``group`` (class ``0000``) or ``class``; a ``Sub-class`` column,
  where a table has one, adds the 5-digit NIC sub-class level;
* ``NIC Name``; then main workers and marginal workers, each Total/Rural/Urban x
  Persons/Males/Females (18 counts).

Counts are **workers** (persons enumerated by the census), not employment and not
establishments, for 2011 only. Main workers worked 6 months or more of the reference year,
marginal workers less (Census of India 2011, "Census terms"). The importer keeps the two apart
(``main_workers``, ``marginal_workers``) and makes the measure selectable: ``main``,
``marginal`` or ``total`` (= main + marginal). The files are Windows-1252 text (a right quote in
"builders' carpentry"); UTF-8 is read as well.

Canonical table (:mod:`clusterobs.sources.schema`): ``region_code`` = the 3-digit district code
(``110`` Jaipur; ``region_type = "district"``) or the 2-digit state code (``08``;
``region_type = "state"``); ``industry_code`` = the NIC code of the row's level (``""`` for the
total row, which the engine uses as the region's all-industry total); ``year`` 2011;
``vintage = "NIC2008"``; ``employment_reported`` = the selected worker count;
``establishments`` and ``payroll`` null (not in the table); no suppression. The table lists
only the rows with at least one worker (no row of the five published files is all zero), so an
industry absent from a district has no workers there; no zero rows are invented.

Checks: a bad count, code or duplicate row fails the import with file, row and field; sums over
the hierarchy (total = sum of divisions, division = sum of groups, group = sum of classes) are
checked and every mismatch is reported (the five published files have none).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from clusterobs.sources.errors import InputValidationError
from clusterobs.sources.imported import Import, ImportReport, source_table
from clusterobs.tables.engine import Engine

Measure = Literal["main", "marginal", "total"]
MEASURE_LABEL = {
    "main": "main workers",
    "marginal": "marginal workers",
    "total": "main + marginal workers",
}
NIC_VINTAGE = "NIC2008"
CENSUS_YEAR = 2011
AREAS = ("total", "rural", "urban")
SEXES = ("persons", "males", "females")
KIND = {"Main Workers": "main", "Marginal Workers": "marginal"}
CODE_COLUMNS = {
    "state": "State Code",
    "district": "District Code",
    "name": "India/States",
    "division": "Division",
    "group": "Group",
    "class": "Class",
    "title": "NIC Name",
}
SUBCLASS_COLUMN = "Sub-class"
LEVELS = ("total", "division", "group", "class", "subclass")
COUNT_COLUMNS = [f"{k}_{a}_{s}" for k in KIND.values() for a in AREAS for s in SEXES]


def _read_text(path: Path) -> tuple[pd.DataFrame, str]:
    for encoding in ("utf-8", "cp1252"):
        try:
            df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
            return df, encoding
        except UnicodeDecodeError:
            continue
        except pd.errors.ParserError as exc:
            m = re.search(r"line (\d+)", str(exc))
            raise InputValidationError(
                f"malformed CSV ({str(exc).splitlines()[0][:160]})",
                file=path,
                row=int(m.group(1)) - 1 if m else None,
            ) from exc
    raise InputValidationError("neither UTF-8 nor Windows-1252 text", file=path)


def _count_column(name: str) -> str | None:
    """``'Main Workers - Total -  Persons'`` -> ``'main_total_persons'``."""
    parts = [p.strip() for p in name.split("-")]
    if len(parts) != 3 or parts[0] not in KIND:
        return None
    area, sex = parts[1].lower(), parts[2].lower()
    if area not in AREAS or sex not in SEXES:
        return None
    return f"{KIND[parts[0]]}_{area}_{sex}"


def _code(df: pd.DataFrame, col: str, width: int, path: Path) -> pd.Series:
    text = df[col].str.strip().str.lstrip("`").str.strip()
    bad = ~text.str.fullmatch(rf"\d{{{width}}}")
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise InputValidationError(
            f"{df[col].iloc[i]!r} is not a {width}-digit code",
            file=path,
            row=i + 1,
            field=col,
        )
    return text


def read_b18_frame(path: str | Path) -> tuple[pd.DataFrame, dict[str, object]]:
    """One B-18 file as a frame: ``state_code, district_code, region_code, region_type,
    region_name, state_name, industry_code, level, title`` and the 18 counts
    (:data:`COUNT_COLUMNS`, int64), plus ``line`` (1-based data row). Returns the frame and
    facts for the report (encoding)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    df, encoding = _read_text(path)
    for key, col in CODE_COLUMNS.items():
        if col not in df.columns:
            raise InputValidationError(
                f"not a Census B-table: no column {col!r} ({key})", file=path, field=col
            )
    counts = {c: _count_column(c) for c in df.columns}
    counts = {c: n for c, n in counts.items() if n}
    missing = sorted(set(COUNT_COLUMNS) - set(counts.values()))
    if missing:
        raise InputValidationError(
            f"count columns missing: {', '.join(missing)}", file=path, field=missing[0]
        )
    state = _code(df, CODE_COLUMNS["state"], 2, path)
    district = _code(df, CODE_COLUMNS["district"], 3, path)
    division = _code(df, CODE_COLUMNS["division"], 2, path)
    group = _code(df, CODE_COLUMNS["group"], 3, path)
    klass = _code(df, CODE_COLUMNS["class"], 4, path)
    sub = _code(df, SUBCLASS_COLUMN, 5, path) if SUBCLASS_COLUMN in df.columns else None

    level = np.select(
        [division == "00", group == "000", klass == "0000"]
        + ([sub == "00000"] if sub is not None else []),
        ["total", "division", "group"] + (["class"] if sub is not None else []),
        default="subclass" if sub is not None else "class",
    )
    code = np.select(
        [level == "total", level == "division", level == "group", level == "class"],
        [np.full(len(df), ""), division, group, klass],
        default=sub if sub is not None else klass,
    )
    # A code must sit inside its parent (group 101 in division 10, class 1011 in group 101).
    nested = (
        ((level == "total") & (group == "000") & (klass == "0000"))
        | ((level == "division") & (klass == "0000"))
        | ((level == "group") & (group.str[:2] == division))
        | (np.isin(level, ["class", "subclass"]) & (klass.str[:3] == group))
    )
    nested &= (level == "total") | (level == "division") | (group.str[:2] == division)
    if not nested.all():
        i = int((~nested).nonzero()[0][0])
        raise InputValidationError(
            f"codes do not nest: division {division.iloc[i]}, group {group.iloc[i]}, "
            f"class {klass.iloc[i]}",
            file=path,
            row=i + 1,
            field=CODE_COLUMNS["group"],
        )
    out = pd.DataFrame(
        {
            "state_code": state.astype("string"),
            "district_code": district.astype("string"),
            "industry_code": pd.array(code, dtype="string"),
            "level": pd.array(level, dtype="string"),
            "title": df[CODE_COLUMNS["title"]].str.strip().astype("string"),
        }
    )
    name = df[CODE_COLUMNS["name"]].str.strip()
    kind = name.str.extract(r"^(STATE|District)\s*-\s*(.*)$", flags=re.IGNORECASE)
    if kind[0].isna().any():
        i = int(kind[0].isna().to_numpy().nonzero()[0][0])
        raise InputValidationError(
            f"{name.iloc[i]!r} is neither 'STATE - name' nor 'District - name'",
            file=path,
            row=i + 1,
            field=CODE_COLUMNS["name"],
        )
    is_state = district == "000"
    if (is_state != (kind[0].str.upper() == "STATE")).any():
        i = int((is_state != (kind[0].str.upper() == "STATE")).to_numpy().nonzero()[0][0])
        raise InputValidationError(
            "district code 000 is the state row and only the state row",
            file=path,
            row=i + 1,
            field=CODE_COLUMNS["district"],
        )
    out["region_type"] = pd.array(np.where(is_state, "state", "district"), dtype="string")
    out["region_code"] = pd.array(np.where(is_state, state, district), dtype="string")
    out["region_name"] = kind[1].str.strip().astype("string")
    state_names = out.loc[is_state.to_numpy(), ["state_code", "region_name"]].drop_duplicates()
    out["state_name"] = out["state_code"].map(
        state_names.drop_duplicates("state_code").set_index("state_code")["region_name"]
    )
    for raw, canon in counts.items():
        text = df[raw].str.strip()
        ok = text.str.fullmatch(r"\d+")
        if not ok.all():
            i = int((~ok).to_numpy().nonzero()[0][0])
            raise InputValidationError(
                f"{df[raw].iloc[i]!r} is not a count (a whole number, 0 or more)",
                file=path,
                row=i + 1,
                field=raw,
            )
        out[canon] = text.astype("int64")
    out["line"] = np.arange(1, len(out) + 1, dtype="int64")
    dup = out.duplicated(["region_type", "region_code", "industry_code"])
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise InputValidationError(
            f"region {out['region_code'].iloc[i]} industry "
            f"{out['industry_code'].iloc[i] or 'total'} listed twice",
            file=path,
            row=i + 1,
            field=CODE_COLUMNS["class"],
        )
    return out, {"encoding": encoding}


def hierarchy_mismatches(frame: pd.DataFrame, column: str = "main_total_persons") -> pd.DataFrame:
    """Rows where a parent differs from the sum of its children (``region_type, region_code,
    parent_code, parent_level, parent_value, children_sum``); empty when the table adds up."""
    keys = ["region_type", "region_code"]
    parent_of = {"division": "total", "group": "division", "class": "group", "subclass": "class"}
    out = []
    for child, parent in parent_of.items():
        kids = frame[frame["level"] == child]
        if kids.empty:
            continue
        width = {"total": 0, "division": 2, "group": 3, "class": 4}[parent]
        pc = kids["industry_code"].str[:width]
        sums = kids.groupby([*(kids[k] for k in keys), pc.rename("parent_code")])[column].sum()
        parents = frame[frame["level"] == parent].set_index([*keys, "industry_code"])[column]
        parents.index = parents.index.set_names([*keys, "parent_code"])
        both = pd.concat([parents.rename("parent_value"), sums.rename("children_sum")], axis=1)
        both = both[both.index.get_level_values("parent_code").isin(sums.index.levels[2])]
        bad = both[both["parent_value"].fillna(-1) != both["children_sum"].fillna(0)]
        if len(bad):
            bad = bad.reset_index()
            bad["parent_level"] = parent
            out.append(bad)
    cols = [*keys, "parent_code", "parent_level", "parent_value", "children_sum"]
    return pd.concat(out, ignore_index=True)[cols] if out else pd.DataFrame(columns=cols)


@dataclass(frozen=True)
class Selection:
    """Which count is the measure: ``main``/``marginal``/``total`` workers, of which area
    (``total``/``rural``/``urban``) and sex (``persons``/``males``/``females``)."""

    measure: Measure = "total"
    area: str = "total"
    sex: str = "persons"

    def label(self) -> str:
        parts = [MEASURE_LABEL[self.measure]]
        if self.area != "total":
            parts.append(self.area)
        if self.sex != "persons":
            parts.append(self.sex)
        return ", ".join(parts)

    def values(self, frame: pd.DataFrame) -> pd.Series:
        if self.measure not in MEASURE_LABEL:
            raise ValueError(f"measure must be one of {list(MEASURE_LABEL)}, not {self.measure!r}")
        if self.area not in AREAS or self.sex not in SEXES:
            raise ValueError(f"area must be one of {AREAS} and sex one of {SEXES}")
        main = frame[f"main_{self.area}_{self.sex}"]
        marginal = frame[f"marginal_{self.area}_{self.sex}"]
        value = {"main": main, "marginal": marginal, "total": main + marginal}[self.measure]
        return value.astype("float64")


def read_b18(
    engine: Engine | None,
    paths: str | Path | Iterable[str | Path],
    *,
    measure: Measure = "total",
    area: str = "total",
    sex: str = "persons",
    region_types: Iterable[str] = ("district",),
    boundary_codes: Iterable[str] | None = None,
    known_codes: Iterable[str] | None = None,
) -> Import:
    """Read one or more B-18 files (one per state) into the canonical table.

    ``region_types``: ``district`` (default) and/or ``state`` (the state rows of the files).
    ``boundary_codes``: district codes (3-digit) and state codes (2-digit) that have a
    boundary (:mod:`clusterobs.regions.india`), for the report; ``known_codes``: NIC 2008
    codes of the classification (default: every well-formed code is known). The frame keeps
    ``main_workers`` and ``marginal_workers`` of the selection, the row's ``level`` and title.
    """
    files = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    if not files:
        raise ValueError("no B-table files given")
    frames = []
    for p in files:
        f, _facts = read_b18_frame(p)
        f["file"] = p.name
        frames.append(f)
    frame = pd.concat(frames, ignore_index=True)
    dup = frame.duplicated(["region_type", "region_code", "industry_code"])
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise InputValidationError(
            f"region {frame['region_code'].iloc[i]} appears in more than one file",
            file=files[0].parent / str(frame["file"].iloc[i]),
            row=int(frame["line"].iloc[i]),
            field=CODE_COLUMNS["district"],
        )
    selection = Selection(measure, area, sex)
    chosen = selection.values(frame)
    mismatches = hierarchy_mismatches(frame, f"main_{area}_{sex}")
    mismatches_marginal = hierarchy_mismatches(frame, f"marginal_{area}_{sex}")
    report = ImportReport(
        source=", ".join(p.name for p in files),
        dataset="Census of India 2011, Table B-18",
        rows_read=len(frame),
        rows_output=0,
        measures={"employment": selection.label()},
    )
    report.cells = {
        "employment": {"reported": len(frame), "confidential": 0, "missing": 0},
    }
    types = list(region_types)
    unknown_types = set(types) - {"district", "state"}
    if unknown_types:
        raise ValueError(f"region_types must be 'district' and/or 'state', not {unknown_types}")
    out = frame[frame["region_type"].isin(types)].copy()
    out["employment_reported"] = chosen[out.index]
    out["main_workers"] = frame.loc[out.index, f"main_{area}_{sex}"].astype("float64")
    out["marginal_workers"] = frame.loc[out.index, f"marginal_{area}_{sex}"].astype("float64")
    out["year"] = np.int64(CENSUS_YEAR)
    out["vintage"] = NIC_VINTAGE
    out["size_class"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out["establishments"] = np.nan
    out["payroll"] = np.nan
    out["measure"] = selection.label()
    if known_codes is not None:
        known = set(known_codes) | {""}
        report.unknown_codes = sorted(set(out["industry_code"]) - known)
    if boundary_codes is not None:
        have = set(boundary_codes)
        regions = out[["region_type", "region_code", "region_name"]].drop_duplicates()
        report.regions_without_boundary = [
            {"code": r.region_code, "relation": r.region_type, "note": r.region_name}
            for r in regions.itertuples()
            if r.region_code not in have
        ]
    n_bad = len(mismatches) + len(mismatches_marginal)
    report.notes.append(
        f"hierarchy check (parent = sum of children, main and marginal): {n_bad} mismatches"
    )
    report.notes.append(
        "measure: " + selection.label() + " (workers, not employment; no establishments)"
    )
    keep = [
        "region_code", "region_type", "industry_code", "year", "vintage",
        "employment_reported", "size_class", "establishments", "payroll",
        "level", "title", "region_name", "state_code", "state_name",
        "main_workers", "marginal_workers", "measure",
    ]  # fmt: skip
    out = out[keep].sort_values(["region_type", "region_code", "industry_code"])
    out = out.reset_index(drop=True)
    report.rows_output = len(out)
    src = None
    if engine is not None:
        src = source_table(
            engine,
            out,
            files[0],
            notes=[f"Census of India 2011 B-18: {selection.label()}"],
            measure=selection.label(),
            has=(),
        )
    checks = {
        "hierarchy_mismatches": pd.concat(
            [mismatches.assign(measure="main"), mismatches_marginal.assign(measure="marginal")],
            ignore_index=True,
        )
    }
    return Import(source=src, frame=out, report=report, checks=checks)


#: The embedded copy of the five B-18 tables (canonical form, every count column kept; built by
#: ``scripts/data/build_embedded_eu_india.py``; see its SOURCE.md).
EMBEDDED_B18 = Path(__file__).resolve().parents[1] / "data" / "india" / "census2011_b18.parquet"
EMBEDDED_REGIONS = EMBEDDED_B18.with_name("regions.csv")


def read_b18_parquet(
    engine: Engine | None,
    path: str | Path = EMBEDDED_B18,
    *,
    measure: Measure = "total",
    area: str = "total",
    sex: str = "persons",
    region_types: Iterable[str] = ("district",),
) -> Import:
    """Read the embedded B-18 frame with the chosen measure (:class:`Selection`)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    frame = pd.read_parquet(path)
    selection = Selection(measure, area, sex)
    out = frame[frame["region_type"].isin(list(region_types))].copy()
    out["employment_reported"] = selection.values(out)
    out["main_workers"] = out[f"main_{area}_{sex}"].astype("float64")
    out["marginal_workers"] = out[f"marginal_{area}_{sex}"].astype("float64")
    out["measure"] = selection.label()
    out = out.reset_index(drop=True)
    report = ImportReport(
        source=path.name,
        dataset="Census of India 2011, Table B-18",
        rows_read=len(frame),
        rows_output=len(out),
        measures={"employment": selection.label()},
    )
    src = None
    if engine is not None:
        src = source_table(
            engine,
            out,
            path,
            notes=[f"Census of India 2011 B-18: {selection.label()}"],
            measure=selection.label(),
            has=(),
        )
    return Import(source=src, frame=out, report=report)

"""NUTS codes across versions: match regional statistics to the NUTS 2021 regions (no Django).

Eurostat publishes regional statistics in the NUTS version in force in each reference year, so
one file mixes versions: ``sbs_r_nuts06_r2`` has Italy in NUTS 2006 codes for 2008-2010
(``ITD3``) and NUTS 2010 codes later (``ITH3``), Greece in NUTS 2010 (``EL11``) up to 2012 and
NUTS 2013 (``EL51``) from 2013, Germany's Leipzig as ``DE41``/``DE42`` before 2011 and ``DE40``
after. Boundaries are NUTS 2021. The correspondence is built from Eurostat's NUTS history as
tabulated by the R package ``regions`` (rOpenGov, data sets ``nuts_changes`` and
``all_valid_nuts_codes``): one row per region lineage with its code in every version and the
change recorded at each version.

Rules (documented in ``docs/methodology.md``, section "European and Indian data"):

* a code that is itself a code of the target (the NUTS 2021 regions, e.g. the boundary file) is
  ``same``; if the lineage records a boundary change after the code's first valid version it is
  ``same_boundary_shift`` (matched, flagged);
* a code whose lineage rows lead to exactly one target code, through recodings only, is
  ``recoded``; through a recorded boundary shift ``recoded_boundary_shift`` (matched, flagged);
* a code that went into a merge (``DE41`` -> part of ``DE40``) is ``merged``, one that was split
  (``HU10`` -> ``HU11`` + ``HU12``) is ``split``, one whose lineage ends without successor is
  ``discontinued``, an Extra-Regio code (``..ZZ``/``..Z``) is ``extra_regio``, and a code the
  history does not know is ``unknown``. **These are not matched**: the data keep their own code,
  and the codes are listed (they have no boundary); nothing is dropped or apportioned.

A merge could be rebuilt by adding up the parts (``DE41 + DE42 = DE40``) and a split could be
apportioned; neither is done here because it would create values the source did not publish.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from clusterobs.imports.errors import ImportValidationError, RowError

VERSIONS = ("1999", "2003", "2006", "2010", "2013", "2016", "2021")
TYPOLOGY = {0: "country", 1: "nuts_level_1", 2: "nuts_level_2", 3: "nuts_level_3"}
#: Region types used in canonical tables for each NUTS level.
REGION_TYPE = {0: "country", 1: "nuts1", 2: "nuts2", 3: "nuts3"}
EXTRA_REGIO_TYPE = "extra_regio"
MATCHED = ("same", "same_boundary_shift", "recoded", "recoded_boundary_shift")
CODE_PATTERN = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
_BOUNDARY_WORDS = re.compile(
    r"boundary|shift|split|merge|made from|made of|minus|plus|lost|part", re.IGNORECASE
)
_PART = re.compile(r"\s*\(part\)\s*$", re.IGNORECASE)


def _invalid(
    message: str, *, file: str | Path, row: int | None = None, field: str = ""
) -> ImportValidationError:
    """An :class:`ImportValidationError` naming file, row and field (row 0: the header or the
    file as a whole), as the other region readers raise."""
    return ImportValidationError([RowError(str(file), row or 0, field, message)])


def nuts_level(code: str) -> int:
    """0 for a country (``DE``), 1 for ``DE1``, 2 for ``DE11``, 3 for ``DE111``."""
    if not CODE_PATTERN.match(code):
        raise ValueError(f"not a NUTS code: {code!r}")
    return len(code) - 2


def is_extra_regio(code: str) -> bool:
    """Extra-Regio codes (``CZZ``, ``CZZZ``): activity without a territory (embassies, offshore)."""
    return len(code) > 2 and set(code[2:]) == {"Z"}


def nuts_parent(code: str) -> str | None:
    """``DE11`` -> ``DE1`` -> ``DE`` -> None (valid within one NUTS version)."""
    return code[:-1] if len(code) > 2 else None


@dataclass(frozen=True)
class NutsHistory:
    """The NUTS history tables: ``lineage`` (``nuts_changes``) and ``valid``
    (``all_valid_nuts_codes``: ``typology, geo, nuts``)."""

    lineage: pd.DataFrame
    valid: pd.DataFrame

    @classmethod
    def read(cls, directory: str | Path) -> NutsHistory:
        directory = Path(directory)
        files = {"lineage": "nuts_changes.csv", "valid": "all_valid_nuts_codes.csv"}
        frames = {}
        for key, name in files.items():
            path = directory / name
            if not path.exists():
                raise FileNotFoundError(f"{path}: no such file (NUTS history)")
            frames[key] = pd.read_csv(path, dtype=str, keep_default_na=False)
        need = {"typology", *(f"code_{v}" for v in VERSIONS)}
        missing = need - set(frames["lineage"].columns)
        if missing:
            raise _invalid(
                f"not a NUTS history table: missing {sorted(missing)}",
                file=directory / files["lineage"],
                field=sorted(missing)[0],
            )
        return cls(frames["lineage"], frames["valid"])

    def valid_versions(self, code: str) -> list[str]:
        v = self.valid
        return sorted(v.loc[v["geo"] == code, "nuts"].str.removeprefix("code_").unique())

    def name(self, code: str) -> str | None:
        """The code's latest name in the lineage table (``geo_name_<version>``)."""
        rows = self._rows_with(code, TYPOLOGY.get(nuts_level(code)))
        for version in reversed(VERSIONS):
            col = f"geo_name_{version}"
            if col not in self.lineage.columns:
                continue
            for _, row in rows.iterrows():
                if row[f"code_{version}"] == code and row[col]:
                    return str(row[col])
        return None

    @cached_property
    def _index(self) -> dict[str, list[int]]:
        """Code -> positions of the lineage rows where it appears (any version)."""
        index: dict[str, list[int]] = {}
        for version in VERSIONS:
            for pos, value in enumerate(self.lineage[f"code_{version}"]):
                if value:
                    index.setdefault(value, []).append(pos)
        return index

    def _rows_with(self, code: str, typology: str | None) -> pd.DataFrame:
        rows = self.lineage.iloc[sorted(set(self._index.get(code, [])))]
        return rows if typology is None else rows[rows["typology"] == typology]


@dataclass(frozen=True)
class Match:
    code: str
    level: int
    target_code: str | None
    relation: str
    note: str

    @property
    def matched(self) -> bool:
        return self.relation in MATCHED


def _changes_after(row: pd.Series, version: str, since: str) -> list[str]:
    start = max(VERSIONS.index(version), VERSIONS.index(since))
    later = VERSIONS[start + 1 :]
    return [str(row.get(f"change_{v}", "")) for v in later if row.get(f"change_{v}", "")]


def _successors(
    history: NutsHistory, code: str, typology: str, target: set[str], seen: set[str], since: str
) -> tuple[set[str], set[str], list[str]]:
    """Target codes reached from ``code`` (clean, and ``(part)``) and the change notes on the
    way, following each lineage row from the version where ``code`` appears."""
    clean: set[str] = set()
    parts: set[str] = set()
    notes: list[str] = []
    seen = seen | {code}
    for _, row in history._rows_with(code, typology).iterrows():
        start = next(v for v in VERSIONS if row[f"code_{v}"] == code)
        notes += _changes_after(row, start, since)
        for version in VERSIONS[VERSIONS.index(start) + 1 :]:
            value = row[f"code_{version}"]
            if not value:
                continue
            bare = _PART.sub("", value)
            if bare != value:
                parts.add(bare)
                break
            if bare == code:
                continue
            if bare in target:
                clean.add(bare)
                break
            if bare not in seen:  # a later code that is not a target: follow its own lineage
                c, p, n = _successors(history, bare, typology, target, seen, since)
                clean |= c
                parts |= p
                notes += n
            break
    return clean, parts, notes


def match_code(code: str, history: NutsHistory, target: set[str], *, since: str = "2006") -> Match:
    """The NUTS 2021 (``target``) region of one code, with the relation (module docstring).

    ``since``: the oldest NUTS version the data can be in (Eurostat SBS 2008-2015: NUTS 2006);
    changes recorded at that version or earlier happened before the data and are ignored."""
    level = nuts_level(code)
    typology = TYPOLOGY[level]
    if is_extra_regio(code):
        return Match(code, level, None, "extra_regio", "Extra-Regio: no territory, no boundary")
    rows = history._rows_with(code, typology)
    if code in target:
        notes = []
        for _, row in rows.iterrows():
            start = next(v for v in VERSIONS if row[f"code_{v}"] == code)
            notes += [n for n in _changes_after(row, start, since) if _BOUNDARY_WORDS.search(n)]
        if notes:
            return Match(code, level, code, "same_boundary_shift", "; ".join(dict.fromkeys(notes)))
        return Match(code, level, code, "same", "")
    if rows.empty:
        return Match(code, level, None, "unknown", "not in the NUTS history tables")
    clean, parts, notes = _successors(history, code, typology, target, set(), since)
    note = "; ".join(dict.fromkeys(n for n in notes if n))
    if parts and not clean:
        return Match(code, level, None, "merged", f"part of {', '.join(sorted(parts))}; {note}")
    if len(clean) > 1 or (clean and parts):
        to = sorted(clean | parts)
        return Match(code, level, None, "split", f"into {', '.join(to)}; {note}")
    if len(clean) == 1:
        (succ,) = clean
        shifted = [n for n in notes if _BOUNDARY_WORDS.search(n)]
        relation = "recoded_boundary_shift" if shifted else "recoded"
        return Match(code, level, succ, relation, note)
    if re.search(r"split", note, re.IGNORECASE):
        return Match(code, level, None, "split", note)
    return Match(code, level, None, "discontinued", note or "no successor in the NUTS history")


def correspondence(
    codes: Iterable[str], history: NutsHistory, target: Iterable[str], *, since: str = "2006"
) -> pd.DataFrame:
    """``code, level, target_code, relation, matched, note`` for every distinct code."""
    target_set = set(target)
    rows = [match_code(c, history, target_set, since=since) for c in sorted(set(codes))]
    df = pd.DataFrame(
        {
            "code": [m.code for m in rows],
            "level": [m.level for m in rows],
            "target_code": [m.target_code for m in rows],
            "relation": [m.relation for m in rows],
            "matched": [m.matched for m in rows],
            "note": [m.note for m in rows],
        }
    )
    df["target_code"] = df["target_code"].astype("string")
    return df


def boundary_codes(path: str | Path) -> pd.DataFrame:
    """``code, name, level, country`` of a GISCO NUTS GeoJSON (``NUTS_ID``, ``NAME_LATN``,
    ``LEVL_CODE``, ``CNTR_CODE``). Read as JSON: no geometry is needed to match codes."""
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for i, feature in enumerate(data.get("features", []), start=1):
        props = feature.get("properties") or {}
        code = props.get("NUTS_ID")
        if not code:
            raise _invalid("feature without NUTS_ID", file=path, row=i, field="NUTS_ID")
        rows.append(
            {
                "code": str(code),
                "name": props.get("NAME_LATN") or props.get("NUTS_NAME"),
                "level": int(props.get("LEVL_CODE", nuts_level(str(code)))),
                "country": props.get("CNTR_CODE") or str(code)[:2],
                "has_geometry": feature.get("geometry") is not None,
            }
        )
    return pd.DataFrame(rows)


def region_table(
    codes: Iterable[str], history: NutsHistory, names: dict[str, str] | None = None
) -> pd.DataFrame:
    """A region table (``code, name, type, parent``, see :mod:`clusterobs.sources.regions`) for
    NUTS codes of any level: type ``country``/``nuts1``/``nuts2``/``nuts3`` (``extra_regio``
    for Extra-Regio codes), parent one level up; names from ``names`` (e.g. the boundary
    file), else the NUTS history."""
    names = names or {}
    rows = []
    for code in sorted(set(codes)):
        level = nuts_level(code)
        rows.append(
            {
                "code": code,
                "name": names.get(code) or history.name(code) or code,
                "type": EXTRA_REGIO_TYPE if is_extra_regio(code) else REGION_TYPE[level],
                "parent": nuts_parent(code),
            }
        )
    return pd.DataFrame(rows, columns=["code", "name", "type", "parent"])

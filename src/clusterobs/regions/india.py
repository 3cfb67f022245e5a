"""Indian districts and states as data: Census 2011 codes, names, boundaries (no Django).

Districts are identified by the all-India Census 2011 district code (``censuscode``: ``110`` =
Jaipur), written as a 3-digit string as the census tables write it (``099`` Ganganagar); states
by the 2-digit Census 2011 state code (``08`` = Rajasthan). The district layer in use (DataMeet's
Census 2011 districts, as redistributed by Hindustan Times) carries ``censuscode``, the state
code ``st_cen_cd`` and names; the state layer carries only names (``ST_NM``), so a state is
matched by the state code of its districts and then, for the state layer, by normalised name
(:func:`normalise_name`: case, punctuation, ``&`` = ``and``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from clusterobs.imports.errors import ImportValidationError, RowError

DISTRICT_TYPE = "district"
STATE_TYPE = "state"


def _invalid(
    message: str, *, file: str | Path, row: int | None = None, field: str = ""
) -> ImportValidationError:
    """An :class:`ImportValidationError` naming file, row and field (row 0: the header or the
    file as a whole), as the other region readers raise."""
    return ImportValidationError([RowError(str(file), row or 0, field, message)])


def district_code(value: object) -> str:
    """``110`` / ``"110"`` / ``"`110"`` -> ``"110"``; ``99`` -> ``"099"``."""
    text = str(value).strip().lstrip("`")
    if not text.isdigit() or len(text) > 3:
        raise ValueError(f"not a Census 2011 district code: {value!r}")
    return text.zfill(3)


def state_code(value: object) -> str:
    text = str(value).strip().lstrip("`")
    if not text.isdigit() or len(text) > 2:
        raise ValueError(f"not a Census 2011 state code: {value!r}")
    return text.zfill(2)


def normalise_name(name: str) -> str:
    """Lower case, ``&`` -> ``and``, punctuation and spaces removed (``"Jammu & Kashmir"`` ->
    ``"jammuandkashmir"``)."""
    text = name.lower().replace("&", "and")
    return re.sub(r"[^a-z0-9]", "", text)


def district_boundaries(path: str | Path) -> pd.DataFrame:
    """``code, name, state_code, state_name, has_geometry`` of a district GeoJSON with
    ``censuscode``, ``district``, ``st_cen_cd``, ``st_nm`` properties. Features without a
    ``censuscode`` (districts created after 2011) have a null ``code``; a malformed or
    duplicate code is an error naming the feature."""
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for i, feature in enumerate(data.get("features", []), start=1):
        props = feature.get("properties") or {}
        if props.get("censuscode") in (None, ""):
            # Districts created after 2011 (Amethi, Hapur, Sambhal, Shamli in the layer in use)
            # have no Census 2011 code: listed without one, never matched to 2011 data.
            rows.append(
                {
                    "code": None,
                    "name": props.get("district"),
                    "state_code": state_code(props["st_cen_cd"])
                    if props.get("st_cen_cd")
                    else None,
                    "state_name": props.get("st_nm"),
                    "has_geometry": feature.get("geometry") is not None,
                }
            )
            continue
        try:
            code = district_code(props["censuscode"])
            st = state_code(props.get("st_cen_cd"))
        except ValueError as exc:
            raise _invalid(str(exc), file=path, row=i, field="censuscode") from exc
        rows.append(
            {
                "code": code,
                "name": props.get("district"),
                "state_code": st,
                "state_name": props.get("st_nm"),
                "has_geometry": feature.get("geometry") is not None,
            }
        )
    df = pd.DataFrame(rows)
    df["code"] = df["code"].astype("string")
    dup = df["code"].notna() & df["code"].duplicated()
    if dup.any():
        raise _invalid(
            f"censuscode {df['code'][dup].iloc[0]} appears twice", file=path, field="censuscode"
        )
    return df


def state_boundaries(path: str | Path, districts: pd.DataFrame) -> pd.DataFrame:
    """``code, name, layer_name`` of the state layer (``ST_NM``), its code taken from the
    districts of the same (normalised) name; states the districts do not name get no code."""
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    by_name = (
        districts.assign(key=districts["state_name"].map(normalise_name))
        .drop_duplicates("key")
        .set_index("key")["state_code"]
    )
    rows = []
    for feature in data.get("features", []):
        name = (feature.get("properties") or {}).get("ST_NM")
        if not name:
            continue
        rows.append({"code": by_name.get(normalise_name(name)), "name": name, "layer_name": name})
    return pd.DataFrame(rows, columns=["code", "name", "layer_name"])


def region_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A region table (``code, name, type, parent``) of the districts and states of a census
    frame (columns ``region_code, region_type, region_name, state_code, state_name``)."""
    regions = frame[
        ["region_code", "region_type", "region_name", "state_code", "state_name"]
    ].drop_duplicates(["region_type", "region_code"])
    districts = regions[regions["region_type"] == DISTRICT_TYPE]
    out = pd.DataFrame(
        {
            "code": districts["region_code"],
            "name": districts["region_name"],
            "type": DISTRICT_TYPE,
            "parent": districts["state_code"],
        }
    )
    states = regions[["state_code", "state_name"]].drop_duplicates("state_code")
    states = pd.DataFrame(
        {
            "code": states["state_code"],
            "name": states["state_name"].str.title(),
            "type": STATE_TYPE,
            "parent": "IN",
        }
    )
    return pd.concat([out, states], ignore_index=True)

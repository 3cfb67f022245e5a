"""Import official classification files once, store them as Parquet, read them back.

Layout under ``<data_dir>/classifications/``:

``codes.parquet``
    ``classification, code, title, level, parent, detailed`` — ``detailed`` marks the most
    detailed level that data are reported at (6-digit NAICS, ISIC class, NACE class, NIC subclass).
``crosswalks.parquet``
    ``from_classification, from_code, to_classification, to_code, note`` — one row per link;
    links are used in both directions (see :mod:`clusterobs.classifications.crosswalk`).

Sources (files as published; see ``docs/methodology.md``): Census NAICS title lists and
concordances 2002/2007/2012/2017, UNSD ISIC Rev.4 structure, Eurostat NACE Rev.2 structure with its
ISIC references. NAICS 1997 and NIC 2008 are imported from user-supplied code lists when given;
without a NAICS 1997 file, NAICS 1997 is bridged to NAICS 2002 by identical code (a documented
approximation, marked ``note = 'identity-bridge'``) and unmatched codes are reported as unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from clusterobs.classifications.naics import parent as naics_parent
from clusterobs.classifications.nic import isic_links, read_code_list
from clusterobs.config import load_config
from clusterobs.data.catalog import CLASSIFICATIONS_DIR

KNOWN_CLASSIFICATIONS = (
    "NAICS1997",
    "NAICS2002",
    "NAICS2007",
    "NAICS2012",
    "NAICS2017",
    "ISIC4",
    "NACE2",
    "NIC2008",
)

_NAICS_TITLES = {
    "NAICS2002": "naics2002_titles.csv",
    "NAICS2007": "naics2007_titles.csv",
    "NAICS2012": "naics2012_titles.csv",
    "NAICS2017": "naics2017_titles.csv",
}
_NAICS_OFFICIAL_6 = {
    "NAICS2012": "naics2012_6digit_official.csv",
    "NAICS2017": "naics2017_6digit_official.csv",
}
_NAICS_CROSSWALKS = [
    ("naics2017_to_naics2012.csv", "NAICS2017", "naics2017", "NAICS2012", "naics2012"),
    ("naics2012_to_naics2007.csv", "NAICS2012", "naics2012", "NAICS2007", "naics2007"),
    ("naics2007_to_naics2002.csv", "NAICS2007", "naics2007", "NAICS2002", "naics2002"),
    ("naics2012_to_isic4.csv", "NAICS2012", "naics2012", "ISIC4", "isic4"),
    ("naics2017_to_isic4.csv", "NAICS2017", "naics2017", "ISIC4", "isic4"),
]

CODE_COLUMNS = ["classification", "code", "title", "level", "parent", "detailed"]
XWALK_COLUMNS = ["from_classification", "from_code", "to_classification", "to_code", "note"]


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _naics_codes(source: Path, name: str, xwalks: pd.DataFrame) -> pd.DataFrame:
    titles = _read(source / _NAICS_TITLES[name])
    codes = titles[["code", "title"]].copy()
    six = set(codes.loc[codes["code"].str.len() == 6, "code"])
    if name in _NAICS_OFFICIAL_6:
        official = _read(source / _NAICS_OFFICIAL_6[name])
        extra = official[~official["code"].isin(six)][["code", "title"]]
        codes = pd.concat([codes, extra], ignore_index=True)
    # Official 6-digit codes that only appear in the concordances (the title lists use the
    # Economic Census split codes for NAICS 238); add them so CBP codes are recognised.
    for side in ("from", "to"):
        mine = xwalks[xwalks[f"{side}_classification"] == name][f"{side}_code"]
        missing = sorted(set(mine) - set(codes["code"]))
        if missing:
            codes = pd.concat(
                [codes, pd.DataFrame({"code": missing, "title": ""})], ignore_index=True
            )
    codes = codes.drop_duplicates("code")
    codes["classification"] = name
    codes["level"] = codes["code"].map(lambda c: 2 if "-" in c else len(c))
    codes["parent"] = codes["code"].map(naics_parent)
    codes["detailed"] = codes["level"] == 6
    return codes[CODE_COLUMNS]


def _naics_crosswalks(source: Path) -> pd.DataFrame:
    frames = []
    for file, src, src_col, dst, dst_col in _NAICS_CROSSWALKS:
        df = _read(source / file)
        if dst == "ISIC4":
            df = df[(df[src_col] != "0") & (df[dst_col] != "")]
        frames.append(
            pd.DataFrame(
                {
                    "from_classification": src,
                    "from_code": df[src_col].str.strip(),
                    "to_classification": dst,
                    "to_code": df[dst_col].str.strip(),
                    "note": "official",
                }
            )
        )
    return pd.concat(frames, ignore_index=True).drop_duplicates()


def _isic_codes(source: Path) -> pd.DataFrame:
    df = _read(source / "isic_rev4_structure.csv")
    level = df["level"].map({"section": 1, "division": 2, "group": 3, "class": 4})
    parents: list[str | None] = []
    section = None
    for code, lvl in zip(df["code"], level, strict=True):
        if lvl == 1:
            section = code
            parents.append(None)
        elif lvl == 2:
            parents.append(section)
        else:
            parents.append(code[:-1])
    return pd.DataFrame(
        {
            "classification": "ISIC4",
            "code": df["code"],
            "title": df["title"],
            "level": level.astype(int),
            "parent": parents,
            "detailed": level == 4,
        }
    )


def _nace(source: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    df = _read(source / "nace_rev2_structure.csv")
    codes = pd.DataFrame(
        {
            "classification": "NACE2",
            "code": df["code"],
            "title": df["title"],
            "level": df["level"].astype(int),
            "parent": df["parent_code"].replace("", None),
            "detailed": df["level"] == "4",
        }
    )
    classes = df[(df["level"] == "4") & (df["isic4_reference"] != "")]
    rows = [
        (code, ref.strip())
        for code, refs in zip(classes["code"], classes["isic4_reference"], strict=True)
        for ref in refs.replace(";", ",").split(",")
        if ref.strip()
    ]
    xw = pd.DataFrame(rows, columns=["from_code", "to_code"])
    xw.insert(0, "from_classification", "NACE2")
    xw.insert(2, "to_classification", "ISIC4")
    xw["note"] = "official"
    return codes, xw[XWALK_COLUMNS]


def _code_list(path: Path, name: str, detailed_len: int | None) -> pd.DataFrame:
    """A user-supplied list with at least ``code`` and ``title`` columns (NAICS 1997, NIC 2008)."""
    df = _read(path)
    if "code" not in df.columns:
        raise ValueError(f"{path}: a code list needs a 'code' column")
    title = df["title"] if "title" in df.columns else ""
    codes = pd.DataFrame({"classification": name, "code": df["code"].str.strip(), "title": title})
    codes["level"] = codes["code"].str.len()
    codes["parent"] = codes["code"].map(lambda c: c[:-1] if len(c) > 2 else None)
    top = detailed_len or int(codes["level"].max())
    codes["detailed"] = codes["level"] == top
    return codes[CODE_COLUMNS]


def import_classifications(
    source: Path,
    dest: Path,
    *,
    naics1997: Path | None = None,
    naics1997_to_2002: Path | None = None,
    nic2008: Path | None = None,
) -> dict[str, int]:
    """Read the official files in ``source``; write ``codes``/``crosswalks`` Parquet to ``dest``.

    Returns the number of codes per classification. Writes to temporary files and renames, so a
    failed import leaves any previous import intact.
    """
    source = Path(source)
    xwalks = _naics_crosswalks(source)
    frames = [_naics_codes(source, name, xwalks) for name in _NAICS_TITLES]
    frames.append(_isic_codes(source))
    nace_codes, nace_xw = _nace(source)
    frames.append(nace_codes)
    xw_frames = [xwalks, nace_xw]
    if naics1997 is not None:
        frames.append(_code_list(Path(naics1997), "NAICS1997", 6))
    if naics1997_to_2002 is not None:
        df = _read(Path(naics1997_to_2002))
        xw_frames.append(
            pd.DataFrame(
                {
                    "from_classification": "NAICS1997",
                    "from_code": df.iloc[:, 0].str.strip(),
                    "to_classification": "NAICS2002",
                    "to_code": df.iloc[:, 1].str.strip(),
                    "note": "official",
                }
            )
        )
    else:
        # No NAICS 1997 concordance supplied: bridge by identical 6-digit code (approximation).
        six_2002 = frames[0]
        six_2002 = six_2002[six_2002["detailed"]]["code"]
        if naics1997 is None:
            frames.append(
                pd.DataFrame(
                    {
                        "classification": "NAICS1997",
                        "code": six_2002.values,
                        "title": "",
                        "level": 6,
                        "parent": six_2002.str[:5].values,
                        "detailed": True,
                    }
                )
            )
        xw_frames.append(
            pd.DataFrame(
                {
                    "from_classification": "NAICS1997",
                    "from_code": six_2002.values,
                    "to_classification": "NAICS2002",
                    "to_code": six_2002.values,
                    "note": "identity-bridge",
                }
            )
        )
    if nic2008 is not None:
        # NIC 2008 is ISIC Rev.4 down to the class: detailed codes (the list's leaves: sub-classes
        # where given, else classes) link to the ISIC class of their first four digits.
        nic = read_code_list(Path(nic2008))
        frames.append(nic)
        xw_frames.append(isic_links(nic))
    codes = pd.concat(frames, ignore_index=True)
    codes["level"] = codes["level"].astype("int64")
    codes["detailed"] = codes["detailed"].astype(bool)
    crosswalks = pd.concat(xw_frames, ignore_index=True).drop_duplicates()
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for name, frame in (("codes", codes), ("crosswalks", crosswalks)):
        tmp = dest / f".{name}.parquet.tmp"
        frame.to_parquet(tmp, index=False)
        tmp.replace(dest / f"{name}.parquet")
    return {str(k): int(v) for k, v in codes.groupby("classification").size().items()}


@dataclass
class ClassificationStore:
    """Read access to imported classifications (small tables, kept in pandas)."""

    codes: pd.DataFrame
    crosswalks: pd.DataFrame

    @classmethod
    def load(cls, directory: Path | None = None) -> ClassificationStore:
        """The store imported under ``directory`` (default: the platform's data directory);
        where nothing was imported there, the embedded store that ships with the package
        (NAICS 2002-2017, ISIC Rev.4, NACE Rev.2 and their concordances)."""
        if directory is None:
            directory = load_config().data_dir / "classifications"
        directory = Path(directory)
        if not (directory / "codes.parquet").exists():
            directory = CLASSIFICATIONS_DIR
        return cls(
            pd.read_parquet(directory / "codes.parquet"),
            pd.read_parquet(directory / "crosswalks.parquet"),
        )

    @classmethod
    def empty(cls) -> ClassificationStore:
        return cls(pd.DataFrame(columns=CODE_COLUMNS), pd.DataFrame(columns=XWALK_COLUMNS))

    def names(self) -> list[str]:
        return sorted(self.codes["classification"].unique())

    def detailed_codes(self, classification: str) -> pd.Series:
        c = self.codes
        return c[(c["classification"] == classification) & c["detailed"]]["code"]

    def parents(self, classification: str) -> dict[str, str]:
        """``code -> parent code`` of one classification (empty when it is not imported)."""
        c = self.codes[self.codes["classification"] == classification]
        c = c[c["parent"].notna() & (c["parent"].astype(str) != "")]
        return dict(zip(c["code"].astype(str), c["parent"].astype(str), strict=True))

    def has(self, classification: str) -> bool:
        return bool((self.codes["classification"] == classification).any())

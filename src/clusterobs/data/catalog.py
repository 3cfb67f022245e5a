"""The list of embedded data files, with their source and licence (``clusterobs data list``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
OBSERVATORY_VENDOR = DATA_DIR.parent / "observatory" / "static" / "observatory" / "vendor"


@dataclass(frozen=True)
class EmbeddedFile:
    """One embedded file: ``key`` names it in code, ``path`` is where it is."""

    key: str
    path: Path
    title: str
    source: str
    licence: str

    @property
    def size(self) -> int:
        return self.path.stat().st_size if self.path.exists() else 0


CATALOG = [
    EmbeddedFile(
        "us_cbp_state",
        DATA_DIR / "us" / "cbp_state_naics_2000_2011.parquet",
        "County Business Patterns, U.S. states x NAICS, 2000-2011",
        "U.S. Census Bureau, County Business Patterns",
        "Public domain (U.S. Government work)",
    ),
    EmbeddedFile(
        "dps2016_definition",
        DATA_DIR / "definitions" / "dps2016_naics2017.csv",
        "U.S. benchmark cluster definition (Delgado, Porter & Stern 2016), NAICS 2017",
        "U.S. Cluster Mapping Project (Harvard Business School ISC, U.S. EDA); Emsi crosswalk",
        "No licence stated; facts published for public use, cited",
    ),
    EmbeddedFile(
        "uscmp_relatedness",
        DATA_DIR / "definitions" / "uscmp_traded_cluster_relatedness.csv",
        "Relatedness of the 51 traded clusters",
        "U.S. Cluster Mapping Project, clustermapping.us",
        "No licence stated; facts published for public use, cited",
    ),
    EmbeddedFile(
        "classification_codes",
        DATA_DIR / "classifications" / "codes.parquet",
        "NAICS 2002-2017, ISIC Rev.4, NACE Rev.2 codes and titles",
        "U.S. Census Bureau; UN Statistics Division; Eurostat",
        "Public domain (Census); UN and Eurostat reuse with attribution",
    ),
    EmbeddedFile(
        "classification_crosswalks",
        DATA_DIR / "classifications" / "crosswalks.parquet",
        "Concordances NAICS 2002-2007-2012-2017, NAICS-ISIC Rev.4, NACE Rev.2-ISIC Rev.4",
        "U.S. Census Bureau; Eurostat",
        "Public domain (Census); Eurostat reuse with attribution",
    ),
    EmbeddedFile(
        "us_states_boundaries",
        OBSERVATORY_VENDOR / "us-atlas" / "states-10m.json",
        "U.S. state boundaries (TopoJSON, 1:10 M)",
        "us-atlas 3 (Mike Bostock) from the U.S. Census Bureau cartographic boundaries",
        "ISC (us-atlas); Census boundaries public domain",
    ),
    EmbeddedFile(
        "india_districts_boundaries",
        DATA_DIR / "boundaries" / "india_districts_2011plus.geojson",
        "India district boundaries, Census 2011 codes (GeoJSON)",
        "DataMeet Census 2011 districts; Hindustan Times Labs",
        "CC BY 2.5 India (DataMeet); MIT (Hindustan Times Labs)",
    ),
    EmbeddedFile(
        "india_states_boundaries",
        DATA_DIR / "boundaries" / "india_states.geojson",
        "India state boundaries (GeoJSON)",
        "DataMeet / Survey of India index maps; Hindustan Times Labs",
        "CC BY 2.5 India (DataMeet); MIT (Hindustan Times Labs)",
    ),
    EmbeddedFile(
        "us_counties_boundaries",
        OBSERVATORY_VENDOR / "us-atlas" / "counties-10m.json",
        "U.S. county boundaries (TopoJSON, 1:10 M)",
        "us-atlas 3 (Mike Bostock) from the U.S. Census Bureau cartographic boundaries",
        "ISC (us-atlas); Census boundaries public domain",
    ),
]


def path(key: str) -> Path:
    """The file of ``key`` (``KeyError`` names the known keys)."""
    for entry in CATALOG:
        if entry.key == key:
            return entry.path
    raise KeyError(f"no embedded file {key!r}; known: {', '.join(e.key for e in CATALOG)}")


CLASSIFICATIONS_DIR = DATA_DIR / "classifications"

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
    EmbeddedFile(
        "eu_sbs_nuts2",
        DATA_DIR / "eu" / "sbs_r_nuts06_r2.parquet",
        "Eurostat SBS by NUTS 2 x NACE Rev.2 (sbs_r_nuts06_r2), 2008-2015, NUTS 2021 codes",
        "Eurostat, Structural business statistics, regional (sbs_r_nuts06_r2)",
        "Eurostat reuse policy: free reuse with attribution (Commission Decision 2011/833/EU)",
    ),
    EmbeddedFile(
        "eu_regions",
        DATA_DIR / "eu" / "regions.csv",
        "NUTS 2021 regions (code, name, level, parent) of the SBS data",
        "Eurostat GISCO / NUTS 2021 classification",
        "Eurostat reuse policy: free reuse with attribution",
    ),
    EmbeddedFile(
        "nuts_correspondence",
        DATA_DIR / "eu" / "nuts_correspondence.csv",
        "NUTS 2010/2013 codes matched to NUTS 2021",
        "Eurostat NUTS history (changes between versions)",
        "Eurostat reuse policy: free reuse with attribution",
    ),
    EmbeddedFile(
        "india_b18",
        DATA_DIR / "india" / "census2011_b18.parquet",
        "Census of India 2011, Table B-18: workers by district x NIC 2008 (five states)",
        "Office of the Registrar General & Census Commissioner, India",
        "Government Open Data Licence - India (attribution)",
    ),
    EmbeddedFile(
        "india_regions",
        DATA_DIR / "india" / "regions.csv",
        "Indian districts and states (Census 2011 codes)",
        "Office of the Registrar General & Census Commissioner, India",
        "Government Open Data Licence - India (attribution)",
    ),
    EmbeddedFile(
        "uscmp_nace2_definition",
        DATA_DIR / "definitions" / "uscmp_nace2_division.csv",
        "U.S. benchmark clusters carried to NACE Rev.2 divisions (mapped shares reported)",
        "Derived: DPS 2016 definition through NAICS-ISIC Rev.4-NACE Rev.2 concordances",
        "As its sources (cited in definitions/SOURCE.md)",
    ),
    EmbeddedFile(
        "uscmp_nic2008_definition",
        DATA_DIR / "definitions" / "uscmp_nic2008_class.csv",
        "U.S. benchmark clusters carried to NIC 2008 classes (mapped shares reported)",
        "Derived: DPS 2016 definition through NAICS-ISIC Rev.4 (= NIC 2008) concordances",
        "As its sources (cited in definitions/SOURCE.md)",
    ),
    EmbeddedFile(
        "india_product_clusters",
        DATA_DIR / "definitions" / "india_product_clusters_nic2008.csv",
        "Product clusters of India's MSME typology as NIC 2008 code lists",
        "Cluster Observatory, from the source documents' cluster typology",
        "AGPL-3.0-or-later (project content)",
    ),
]


def path(key: str) -> Path:
    """The file of ``key`` (``KeyError`` names the known keys)."""
    for entry in CATALOG:
        if entry.key == key:
            return entry.path
    raise KeyError(f"no embedded file {key!r}; known: {', '.join(e.key for e in CATALOG)}")


CLASSIFICATIONS_DIR = DATA_DIR / "classifications"

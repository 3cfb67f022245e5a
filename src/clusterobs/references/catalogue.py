"""The packaged catalogue of cited sources (``data/documents.json``) and the citation format.

Plain Python (no Django): the starter loaders of other apps build their provenance text with
:func:`cite`, so every record names a document by its title and a section, never by a file.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def documents() -> dict[str, dict[str, Any]]:
    """Catalogue entries by key, as shipped."""
    text = (resources.files("clusterobs.references") / "data" / "documents.json").read_text(
        encoding="utf-8"
    )
    return {d["key"]: d for d in json.loads(text)["documents"]}


def title(key: str) -> str:
    """The title records cite ``key`` by; ``KeyError`` names the unknown key."""
    try:
        return documents()[key]["title"]
    except KeyError:
        raise KeyError(f"no source document {key!r} in the catalogue") from None


def cite(key: str, location: str = "") -> str:
    """``"<title>, <location>"``: how a record states where a fact comes from."""
    location = location.strip()
    return f"{title(key)}, {location}" if location else title(key)

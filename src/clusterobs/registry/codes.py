"""Validation of country codes and industry codes (formats per classification)."""

from __future__ import annotations

import re

#: Code patterns per classification; codes are strings, never numbers ("011", "31-33").
CODE_PATTERNS: dict[str, re.Pattern[str]] = {
    "NAICS1997": re.compile(r"^(\d{2,6}|\d{2}-\d{2})$"),
    "NAICS2002": re.compile(r"^(\d{2,6}|\d{2}-\d{2})$"),
    "NAICS2007": re.compile(r"^(\d{2,6}|\d{2}-\d{2})$"),
    "NAICS2012": re.compile(r"^(\d{2,6}|\d{2}-\d{2})$"),
    "NAICS2017": re.compile(r"^(\d{2,6}|\d{2}-\d{2})$"),
    "NAICS2022": re.compile(r"^(\d{2,6}|\d{2}-\d{2})$"),
    "NACE2": re.compile(r"^([A-U]|\d{2}(\.\d{1,2})?)$"),
    "ISIC4": re.compile(r"^([A-U]|\d{2,4})$"),
    "NIC2008": re.compile(r"^([A-U]|\d{2,5})$"),
    "USCMP": re.compile(r"^\d{1,4}$"),
    "HS": re.compile(r"^\d{2,10}$"),
}

#: Aggregates that are not ISO 3166 countries but appear in sources (figures, networks).
AGGREGATES = {"EU", "WORLD"}


def code_error(classification: str, code: str) -> str | None:
    """Why ``code`` is not a valid code of ``classification``, or None if it is."""
    pattern = CODE_PATTERNS.get(classification)
    if pattern is None:
        return f"unknown classification {classification!r} (known: {', '.join(CODE_PATTERNS)})"
    if not pattern.match(code):
        return f"{code!r} is not a valid {classification} code"
    return None


def parse_coded_list(text: str, default_classification: str | None = None) -> list[tuple[str, str]]:
    """Parse ``"NAICS2007:336111; NIC2008:13111"`` into ``[(classification, code), ...]``.

    A code without a prefix takes ``default_classification``; without one it is an error.
    """
    pairs: list[tuple[str, str]] = []
    for item in re.split(r"[;|]", text or ""):
        item = item.strip()
        if not item:
            continue
        if ":" in item:
            classification, code = (part.strip() for part in item.split(":", 1))
        elif default_classification:
            classification, code = default_classification, item
        else:
            raise ValueError(f"{item!r} has no classification prefix (e.g. NAICS2017:{item})")
        pairs.append((classification.upper(), code))
    return pairs

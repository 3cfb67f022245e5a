"""NAICS code notation: the padded CBP forms and the hierarchy of a code.

County Business Patterns pads aggregate codes: ``------`` (all sectors), ``31----`` (sector),
``336///`` or ``336---`` (subsector), ``3361//`` / ``3361--``, ``33611/`` / ``33611-``. We store the
bare code (``""`` for the total, ``"31"``, ``"336"`` ...) and keep 6-digit codes as they are.
Three NAICS sectors are published as ranges: 31-33 manufacturing, 44-45 retail trade, 48-49
transportation; CBP writes them with the first number (``31----``).
"""

from __future__ import annotations

import re

TOTAL_CODE = ""
PADDING = re.compile(r"[-/]+$")
SECTOR_OF_TWO_DIGITS = {"32": "31", "33": "31", "45": "44", "49": "48"}


def normalize(code: str) -> str:
    """Strip CBP padding: ``'3361//'`` -> ``'3361'``, ``'------'`` -> ``''``."""
    return PADDING.sub("", code.strip())


def parent(code: str) -> str | None:
    """The next level up: ``'336111'`` -> ``'33611'``; ``'336'`` -> ``'31'``; ``'31'`` -> ``''``."""
    if code == TOTAL_CODE:
        return None
    if len(code) == 2 or "-" in code:
        return TOTAL_CODE
    up = code[:-1]
    return SECTOR_OF_TWO_DIGITS.get(up, up)

"""Facts about an organisation that another app supplies to the funding rules.

The rules engine is plain Python over a ``facts`` dict. Some facts live in apps above
``programmes`` (a label's validity lives in ``excellence``), which may not be imported from
here; those apps register a *fact source* when Django starts, and the calculator merges what
the sources say about the applying organisation into the facts before applying the rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

#: (organisation id, date) -> {fact name: value}
FactSource = Callable[[int, dt.date], dict[str, Any]]

_SOURCES: list[FactSource] = []


def register(source: FactSource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def organisation_facts(organisation_id: int, on: dt.date) -> dict[str, Any]:
    """Every registered source's facts about the organisation on ``on``."""
    facts: dict[str, Any] = {}
    for source in _SOURCES:
        facts.update(source(organisation_id, on))
    return facts

"""Quality labels as the collaboration app sees them: a hook, not an import.

Labels (with their award and expiry dates) belong to the ``excellence`` app, a higher layer that
this app may not import. ``excellence`` registers a :class:`LabelSource` when Django starts; the
profile page, partner search and matchmaking ask this module for the labels *valid today*. With no
source registered (the app not installed) every organisation simply holds no label, so a
free-text claim never counts in matchmaking.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class HeldLabel:
    """A label valid today: what a badge shows and what matchmaking compares."""

    name: str  # e.g. "Gold-like quality label"
    level: str  # e.g. "gold"
    number: str
    expires_on: str  # ISO date (first day it is no longer valid)
    url: str = ""  # public verification page


#: org ids (None = all) -> {org id: [HeldLabel, ...]}
LabelLookup = Callable[[Collection[int] | None], dict[int, list[HeldLabel]]]


@dataclass(frozen=True)
class LabelSource:
    lookup: LabelLookup
    #: changes whenever a label is added, changed or expires (a cache key for the match index)
    version: Callable[[], tuple]


_SOURCES: list[LabelSource] = []


def register(source: LabelSource) -> None:
    """Called by the app that owns labels (``excellence``) from its ``AppConfig.ready``."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def valid_labels(org_ids: Collection[int] | None = None) -> dict[int, list[HeldLabel]]:
    """Labels valid today, per organisation id (organisations without one are left out)."""
    held: dict[int, list[HeldLabel]] = {}
    for source in _SOURCES:
        for org_id, labels in source.lookup(org_ids).items():
            held.setdefault(org_id, []).extend(labels)
    return held


def version() -> tuple:
    return tuple(source.version() for source in _SOURCES)

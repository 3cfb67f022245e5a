"""Starter content of the excellence app: the shipped indicator frameworks and label levels
(``clusterobs init`` calls every app's ``starter.load``)."""

from __future__ import annotations

from clusterobs.excellence.frameworks import load_shipped


def load() -> dict[str, int]:
    return load_shipped()

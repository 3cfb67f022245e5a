"""Load the programmes' reference data shipped in ``programmes/data/`` into the database.

``load()`` is called by ``clusterobs init`` (and by the tests). It is idempotent: lifecycle
stages, indicators and rule sets are matched by key and updated from the files (the files are
the reference; edit them, not the rows); status limits an admin has changed are kept.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib import resources
from typing import Any

from django.db import transaction

from clusterobs.programmes.models import Indicator, LifecycleStage, RuleSet, StatusLimit
from clusterobs.programmes.rules import engine
from clusterobs.registry.models import Scheme


def _data(name: str) -> Any:
    path = resources.files("clusterobs.programmes") / "data" / name
    return json.loads(path.read_text(encoding="utf-8"))


def rule_files() -> list[str]:
    folder = resources.files("clusterobs.programmes") / "data" / "rules"
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".json"))


def _scheme_for(key: str) -> Scheme | None:
    """The registry scheme a rule file names: by slug, else by acronym without punctuation."""
    scheme = Scheme.objects.filter(slug=key).first()
    if scheme:
        return scheme
    for candidate in Scheme.objects.exclude(acronym=""):
        if re.sub(r"[^a-z0-9]", "", candidate.acronym.lower()) == key:
            return candidate
    return None


def _source_text(source: Any) -> tuple[str, str]:
    if isinstance(source, dict):
        text = ", ".join(str(source[k]) for k in ("document", "location") if source.get(k))
        return text[:500], source.get("quote", "")
    return str(source)[:500], ""


@transaction.atomic
def load() -> dict[str, int]:
    """Create or refresh stages, indicators, status limits and rule sets.

    Returns the number of records *created* per kind (zero on a second run), like the other
    apps' starter loaders; existing rows are refreshed from the packaged data files.
    """
    counts: dict[str, int] = {}

    def created(kind: str, was_created: bool) -> None:
        counts[kind] = counts.get(kind, 0) + int(was_created)

    lifecycle = _data("lifecycle.json")
    for order, stage in enumerate(lifecycle["stages"], start=1):
        _, new = LifecycleStage.objects.update_or_create(
            key=stage["key"],
            defaults={
                "name": stage["name"],
                "order": order,
                "description": stage.get("description", ""),
                "documents": stage.get("documents", []),
                "source": lifecycle["source"][:500],
            },
        )
        created("stages", new)

    library = _data("indicators.json")
    for item in library["indicators"]:
        _, new = Indicator.objects.update_or_create(
            key=item["key"],
            defaults={
                **{k: item[k] for k in ("name", "level", "definition", "unit", "direction")},
                "frequency": item["frequency"],
                "data_source": item["data_source"],
                "source": library["source"][:500],
            },
        )
        created("indicators", new)

    for status, days in _data("status_limits.json")["limits"].items():
        _, new = StatusLimit.objects.get_or_create(status=status, defaults={"days": days})
        created("status limits", new)

    documents = {name: _data(f"rules/{name}") for name in rule_files()}
    by_version = {(d["scheme"], d["version"]): d for d in documents.values()}
    for name, document in documents.items():
        parent = by_version.get((document["scheme"], document.get("inherits")))
        engine.validate(engine.resolve(document, parent))
        source, detail = _source_text(document["source"])
        _, new = RuleSet.objects.update_or_create(
            scheme_key=document["scheme"],
            version=document["version"],
            defaults={
                "scheme": _scheme_for(document["scheme"]),
                "title": document.get("title", ""),
                "valid_from": dt.date.fromisoformat(document["valid_from"]),
                "valid_to": (
                    dt.date.fromisoformat(document["valid_to"])
                    if document.get("valid_to")
                    else None
                ),
                "definition": document,
                "source": source,
                "source_detail": detail,
                "data_file": f"programmes/data/rules/{name}",
            },
        )
        created("rule sets", new)
    return counts

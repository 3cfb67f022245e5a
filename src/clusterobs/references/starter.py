"""Load the packaged catalogue of cited sources into the database (``clusterobs init``).

Idempotent: entries are matched by key and refreshed from the packaged file, which is the
reference for the shipped sources (as the programmes' reference data is); sources an
administrator added are left alone.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from clusterobs.references.catalogue import documents
from clusterobs.references.models import SourceDocument

FIELDS = ("kind", "title", "subtitle", "authors", "publisher", "place", "series", "url")


@transaction.atomic
def load() -> dict[str, int]:
    """Create or refresh the shipped sources; returns how many were created."""
    created = 0
    for key, item in documents().items():
        _, new = SourceDocument.objects.update_or_create(
            key=key,
            defaults={
                **{f: item.get(f) or "" for f in FIELDS},
                "year": item.get("year"),
                "date": dt.date.fromisoformat(item["date"]) if item.get("date") else None,
                "contents": item.get("contents") or "",
                "note": item.get("note") or "",
            },
        )
        created += int(new)
    return {"source documents": created}

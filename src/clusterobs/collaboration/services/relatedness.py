"""Cluster relatedness (co-location) imported from a CSV file for partner suggestions."""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from clusterobs.collaboration.models import ClusterRelatedness


# -- cluster relatedness -------------------------------------------------------------------------
def import_relatedness(path: str | Path, *, classification: str = "USCMP", source: str = "") -> int:
    """Load a relatedness table (U.S. Cluster Mapping ``relatedClusters`` layout) into the
    database, replacing the rows of that classification. One transaction: a bad row fails all.

    Required columns: ``cluster_code``, ``cluster_name``, ``cluster_code_2``, ``cluster_name_2``,
    ``cr_all``, ``cr_all_pc``, ``rel_all_90_v3``; optional ``cr_io_pc``.
    """
    path = Path(path)
    rows = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        for number, row in enumerate(reader, start=2):
            try:
                io = (row.get("cr_io_pc") or "").strip()
                rows.append(
                    ClusterRelatedness(
                        classification=classification,
                        code=row["cluster_code"].strip(),
                        name=row["cluster_name"].strip(),
                        related_code=row["cluster_code_2"].strip(),
                        related_name=row["cluster_name_2"].strip(),
                        relatedness=float(row["cr_all"]),
                        percentile=int(float(row["cr_all_pc"])),
                        related=row["rel_all_90_v3"].strip() == "1",
                        io_percentile=int(float(io)) if io else None,
                        source=source or path.name,
                    )
                )
            except (KeyError, ValueError) as exc:
                raise ValidationError(f"{path.name}, row {number}: {exc!r}") from exc
    with transaction.atomic():
        ClusterRelatedness.objects.filter(classification=classification).delete()
        ClusterRelatedness.objects.bulk_create(rows, batch_size=1000)
    return len(rows)

"""Cluster relatedness (co-location) imported from a CSV file for partner suggestions."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from clusterobs.collaboration.models import ClusterRelatedness
from clusterobs.imports.readers import read_table


# -- cluster relatedness -------------------------------------------------------------------------
def import_relatedness(path: str | Path, *, classification: str = "USCMP", source: str = "") -> int:
    """Load a relatedness table (U.S. Cluster Mapping ``relatedClusters`` layout) into the
    database, replacing the rows of that classification. One transaction: a bad row fails all.

    Required columns: ``cluster_code``, ``cluster_name``, ``cluster_code_2``, ``cluster_name_2``,
    ``cr_all``, ``cr_all_pc``, ``rel_all_90_v3``; optional ``cr_io_pc``.
    """
    path = Path(path)
    rows = []
    for row in read_table(path).rows:  # the guarded reader: size, encoding, cell checks
        cells = row.cells
        try:
            io = cells.get("cr_io_pc") or ""
            rows.append(
                ClusterRelatedness(
                    classification=classification,
                    code=cells["cluster_code"],
                    name=cells["cluster_name"],
                    related_code=cells["cluster_code_2"],
                    related_name=cells["cluster_name_2"],
                    relatedness=float(cells["cr_all"]),
                    percentile=int(float(cells["cr_all_pc"])),
                    related=cells["rel_all_90_v3"] == "1",
                    io_percentile=int(float(io)) if io else None,
                    source=source or path.name,
                )
            )
        except (KeyError, ValueError) as exc:
            raise ValidationError(f"{path.name}, row {row.number}: {exc!r}") from exc
    with transaction.atomic():
        ClusterRelatedness.objects.filter(classification=classification).delete()
        ClusterRelatedness.objects.bulk_create(rows, batch_size=1000)
    return len(rows)

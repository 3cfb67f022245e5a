"""Template context of the observatory pages: the dataset shown, what it counts, its codes."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from clusterobs.observatory.current import current_store
from clusterobs.observatory.measure import measure_of
from clusterobs.observatory.store import DatasetNotFoundError

#: A search example per code system of a result's definition (region, cluster, code).
EXAMPLES = {
    "NAICS": _("e.g. Texas, Automotive, 336111"),
    "NACE": _("e.g. Stuttgart, Automotive, 29"),
    "NIC": _("e.g. Kolkata, Textiles, 1311"),
}


def measure(request: HttpRequest) -> dict[str, object]:
    """``obs_measure`` on observatory pages (the dataset of ``?dataset=`` or the default)."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "observatory":
        return {}
    try:
        store = current_store(request)
    except DatasetNotFoundError:
        return {}
    classification = str((store.manifest.get("definition") or {}).get("classification") or "")
    family = next((f for f in EXAMPLES if classification.upper().startswith(f)), "NAICS")
    return {
        "obs_measure": measure_of(store.manifest),
        "obs_dataset": store.name,
        "obs_codes": family,
        "obs_search_example": EXAMPLES[family],
    }

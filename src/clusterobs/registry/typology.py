"""Suggest a cluster's thematic challenges from its product (seed 000, Table 1).

Table 1 lists products per challenge ("Energy intensive: Castings & Forging, Steel re-rolling,
Foundry, Ceramics, Brick"). A cluster whose product mentions one of these words gets that
challenge suggested; editors can change the suggestion. Matching is on word stems (a trailing
plural "s" is ignored) so that "Brass castings" matches "Castings & Forging" and "Leather
footwear" matches "Leather", while "Glassware" does not match "Glass" by accident of spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_WORD = re.compile(r"[a-z]+")
_STOP = {"and", "of", "the", "other", "products", "product", "industry", "industries"}


def _stems(text: str) -> set[str]:
    words = _WORD.findall(text.lower().replace("-", " "))
    return {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words if w not in _STOP}


def _term_stem_sets(term: str) -> list[set[str]]:
    """A Table 1 entry may join alternatives with '&' or '/': each alternative must match whole."""
    return [s for s in (_stems(part) for part in re.split(r"[&/,]", term)) if s]


def suggest_challenges(product: str, table: Mapping[str, Iterable[str]]) -> list[str]:
    """Keys of the challenges whose listed products occur in ``product``.

    ``table`` maps challenge key -> list of product terms (the ``products`` of each
    :class:`~clusterobs.registry.models.ThematicChallenge`).
    """
    product_stems = _stems(product)
    suggested = []
    for key, terms in table.items():
        for term in terms:
            if any(stems <= product_stems for stems in _term_stem_sets(term)):
                suggested.append(key)
                break
    return sorted(suggested)

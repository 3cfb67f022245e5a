"""Check a definition's codes against its declared classification.

Why: only the most detailed codes of the classification are summed into clusters, so a code that
does not exist in the declared classification (a typo, ``999999``), a code of another vintage
(NAICS 2012's ``334119`` in a NAICS 2017 definition), an aggregate (a 5-digit NAICS code) or a
code carrying a partial-link marker (``334413 (P)``) would silently match no data: its row
would be dead and its employment lost from the cluster without a word. Every such code is
reported by code, row and reason; the build refuses it unless the user allows unknown codes.
Codes that exist but that no data vintage reaches through the crosswalks are reported by the
pipeline in the same form (:func:`unreachable`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from clusterobs.classifications.store import ClassificationStore
from clusterobs.definitions.model import ClusterDefinition

#: Markers of a partial concordance link ("(P)", "*", "pt", "part") written next to a code.
PARTIAL_MARKER = re.compile(r"\(\s*p\s*\)|\*|\bpt\b|\bpart\b", re.IGNORECASE)


@dataclass(frozen=True)
class CodeProblem:
    """A definition code that cannot contribute employment, with its data row (1-based)."""

    code: str
    row: int
    reason: str

    def describe(self) -> str:
        return f"{self.code} (row {self.row}: {self.reason})"


def code_problems(definition: ClusterDefinition, store: ClassificationStore) -> list[CodeProblem]:
    """Codes of ``definition`` that are not detailed codes of its classification (empty when
    the classification is not in ``store``: the caller says the check was not possible)."""
    name = definition.classification
    if not store.has(name):
        return []
    codes = store.codes[store.codes["classification"] == name]
    known = set(codes["code"].astype(str))
    detailed = set(codes.loc[codes["detailed"].astype(bool), "code"].astype(str))
    problems = []
    table = definition.table
    for row, code in zip(table["source_row"], table["industry_code"].astype(str), strict=True):
        if PARTIAL_MARKER.search(code):
            reason = "partial-code marker: list the code once, without a marker"
        elif code not in known:
            reason = f"not a code of {name}"
        elif code not in detailed:
            reason = f"not a detailed code of {name} (only the most detailed codes are summed)"
        else:
            continue
        problems.append(CodeProblem(code, int(row), reason))
    return problems


def unreachable(
    definition: ClusterDefinition, reached: Iterable[str], vintages: Iterable[str]
) -> list[CodeProblem]:
    """Detailed codes of the definition that no data vintage maps to."""
    hit = set(reached)
    names = ", ".join(sorted(vintages))
    table = definition.table
    return [
        CodeProblem(code, int(row), f"no data code of {names} maps to it")
        for row, code in zip(table["source_row"], table["industry_code"].astype(str), strict=True)
        if code not in hit
    ]

"""Issue 12, item 1, as a rule on the code: no site script builds HTML from a string.

Leaflet's ``bindTooltip``/``bindPopup`` and ``innerHTML``/``insertAdjacentHTML`` parse strings as
HTML, so a name from the database passed to them is a stored XSS. Our scripts pass DOM nodes
(``textNode(...)``, ``popup(...)``) and set text with ``textContent``; ``innerHTML`` may only be
given a string literal. Vendored libraries are not ours to lint.
"""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "clusterobs"
SCRIPTS = [p for p in SRC.rglob("*.js") if "vendor" not in p.parts]
LEAFLET_CALL = re.compile(r"\.(bindTooltip|bindPopup|setTooltipContent|setPopupContent)\(([^)]*)")
NODE_BUILDERS = ("textNode(", "popup(")
HTML_SINK = re.compile(
    r"(innerHTML|outerHTML)\s*\+?=\s*(.+)|insertAdjacentHTML\(|document\.write\("
)


def test_scripts_exist() -> None:
    assert len(SCRIPTS) >= 3


def test_leaflet_content_is_a_dom_node() -> None:
    offenders = [
        f"{p.relative_to(SRC)}: {m.group(0)}"
        for p in SCRIPTS
        for m in LEAFLET_CALL.finditer(p.read_text())
        if not m.group(2).strip().startswith(NODE_BUILDERS)
    ]
    assert offenders == []


def test_inner_html_only_takes_string_literals() -> None:
    offenders = []
    for p in SCRIPTS:
        for m in HTML_SINK.finditer(p.read_text()):
            value = (m.group(2) or "").strip().rstrip(";")
            if not re.fullmatch(r"""("[^"+]*"|'[^'+]*')(\s*;.*)?""", value):
                offenders.append(f"{p.relative_to(SRC)}: {m.group(0)[:80]}")
    assert offenders == []

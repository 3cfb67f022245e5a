"""The one CSV writer of every export: cells a spreadsheet would run as formulas are defused.

Why: a name such as ``=HYPERLINK("https://evil.example","x")``, ``=cmd|' /C calc'!A0``,
``+1+1`` or ``@SUM(1)`` typed into the registry by anyone with an account would be a live
formula in the spreadsheet of whoever opens ``clusters.csv`` (CSV injection). Following OWASP's
advice, a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
prefixed with a single quote, which spreadsheets show as text. Numbers are written as they are:
``-3.5`` stays a negative number (only strings are defused; a numeric string such as "-3.5" too
keeps its value because it is a plain number, never a formula).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet will read it as data: formula-like text gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        if _PLAIN_NUMBER.fullmatch(value):
            return value
        return "'" + value
    return value


def unquote_formula(text: str) -> str:
    """Undo :func:`safe_cell` on import, so an export imports back to the same names."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def write_rows(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, lineterminator: str = "\n"
) -> str:
    """CSV text of ``header`` and ``rows``, every cell through :func:`safe_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()


def write_dicts(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """CSV text of dict rows (columns: ``columns`` or the first row's keys)."""
    if columns is None:
        if not rows:
            return ""
        columns = list(rows[0])
    return write_rows(columns, ([row.get(c) for c in columns] for row in rows))

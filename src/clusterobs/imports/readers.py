"""Read CSV, XLSX or JSON files into rows of strings with their row numbers.

Everything is read as text: codes such as ``"011"`` must keep their leading zeros, and numbers
are parsed (and checked) by the validators, not guessed by a CSV sniffer. This is the one reader
of every import: the limits of :mod:`clusterobs.imports.guards` (size, decompression, JSON depth,
cell length, encoding, control characters) apply to all of them.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clusterobs.imports import guards
from clusterobs.imports.errors import ImportValidationError, RowError
from clusterobs.imports.safe_csv import unquote_formula

# The csv module's own per-cell limit, set to ours so that a long cell is reported by row.
csv.field_size_limit(guards.MAX_CELL_CHARS)


@dataclass(frozen=True)
class Row:
    """A data row: its number as a user sees it in the file and its cells by column name."""

    number: int
    cells: dict[str, str]


@dataclass(frozen=True)
class Table:
    file: str
    columns: list[str]
    rows: list[Row]


def _clean(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(path: str | Path) -> Table:
    """Read ``path`` by its extension (.csv, .tsv, .xlsx, .json).

    Row numbers follow what a spreadsheet shows: the header is row 1, the first data row is 2.
    JSON files are a list of objects; their rows are numbered from 1.
    """
    path = Path(path)
    name = path.name
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    guards.check_size(path)
    suffix = path.suffix.lower()
    if suffix in {".csv", ".tsv", ".txt"}:
        return _read_delimited(path, "\t" if suffix == ".tsv" else ",")
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(path)
    if suffix == ".json":
        return _read_json(path)
    raise ImportValidationError(
        [RowError(name, 0, "", f"unsupported file type {suffix!r} (use CSV, XLSX or JSON)")]
    )


def _read_delimited(path: Path, delimiter: str) -> Table:
    text = guards.decode(path, path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _delimited_table(path, reader)
    except csv.Error as exc:
        message = (
            f"a cell is longer than {guards.MAX_CELL_CHARS:,} characters"
            if "field larger than field limit" in str(exc)
            else f"unreadable CSV: {exc}"
        )
        raise guards.refuse(path.name, message, row=reader.line_num) from None


def _delimited_table(path: Path, reader: Any) -> Table:
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ImportValidationError([RowError(path.name, 1, "", "the file is empty")]) from None
    _check_header(path.name, header)
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise ImportValidationError(
                [
                    RowError(
                        path.name,
                        number,
                        "",
                        f"has {len(values)} cells, the header has {len(header)}",
                    )
                ]
            )
        rows.append(_row(path.name, number, zip(header, values, strict=True)))
    return Table(path.name, header, rows)


def _row(file: str, number: int, cells: Any) -> Row:
    """A checked row: every cell within the length limit and free of control characters."""
    clean = {}
    for column, value in cells:
        text = unquote_formula(_clean(value))
        guards.check_cell(file, number, column, text)
        clean[column] = text
    return Row(number, clean)


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    guards.check_zip(path)
    workbook = load_workbook(path, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        header = [_clean(h) for h in next(iterator)]
    except StopIteration:
        raise ImportValidationError([RowError(path.name, 1, "", "the sheet is empty")]) from None
    while header and not header[-1]:
        header.pop()
    _check_header(path.name, header)
    rows = []
    for number, values in enumerate(iterator, start=2):
        cells = [_clean(v) for v in values[: len(header)]]
        if not any(cells) and not any(_clean(v) for v in values):
            continue
        extra = [v for v in values[len(header) :] if _clean(v)]
        if extra:
            raise ImportValidationError(
                [RowError(path.name, number, "", "has values beyond the last header column")]
            )
        cells += [""] * (len(header) - len(cells))
        rows.append(_row(path.name, number, zip(header, cells, strict=True)))
    workbook.close()
    return Table(path.name, header, rows)


def _read_json(path: Path) -> Table:
    text = guards.decode(path, path.read_bytes())
    guards.check_json_depth(path.name, text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportValidationError(
            [RowError(path.name, exc.lineno, "", f"invalid JSON: {exc.msg}")]
        ) from exc
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ImportValidationError(
            [RowError(path.name, 0, "", "expected a list of objects (one per record)")]
        )
    columns: list[str] = []
    rows = []
    for number, item in enumerate(data, start=1):
        cells = {}
        for key, value in item.items():
            if key not in columns:
                columns.append(key)
            if isinstance(value, list):
                value = "; ".join(_clean(v) for v in value)
            elif isinstance(value, dict):
                value = json.dumps(value)
            cells[key] = value
        rows.append(_row(path.name, number, cells.items()))
    return Table(path.name, columns, rows)


def _check_header(file: str, header: list[str]) -> None:
    errors = []
    seen: set[str] = set()
    for position, column in enumerate(header, start=1):
        if not column:
            errors.append(RowError(file, 1, f"column {position}", "header cell is empty"))
        elif column in seen:
            errors.append(RowError(file, 1, column, "column appears twice in the header"))
        seen.add(column)
    if errors:
        raise ImportValidationError(errors)

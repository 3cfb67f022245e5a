"""The one error type of the analytics core: bad input, named down to file, row and field.

Imports are transactions (DESIGN.md): one bad row fails the whole run and nothing is written. The
message must let an analyst open the file and find the cell, so the exception carries the file,
the 1-based data row (header excluded) and the field (column) as attributes.
"""

from __future__ import annotations

from pathlib import Path


class InputValidationError(ValueError):
    """Bad input data: negative values, duplicate keys, mixed vintages, missing columns.

    Subclasses ``ValueError`` so that generic CLI error handling reports it with exit code 1.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.file = str(file) if file is not None else None
        self.row = row
        self.field = field
        self.reason = message
        where = []
        if self.file:
            where.append(f"file {self.file}")
        if row is not None:
            where.append(f"row {row}")
        if field:
            where.append(f"field {field!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)

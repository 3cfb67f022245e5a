"""The one error type of the analytics core: bad input, named down to file, row and field.

Imports are transactions (DESIGN.md): one bad row fails the whole run and nothing is written. The
message must let an analyst open the file and find the cell, so the exception carries the file,
the 1-based data row (header excluded) and the field (column) as attributes.
"""

from __future__ import annotations

import re
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


def unreadable(path: str | Path, exc: BaseException) -> InputValidationError:
    """The error for a file the engine's reader could not parse (malformed CSV, wrong encoding,
    not a table): the reader's own first line of explanation, with the line it names."""
    text = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    line = re.search(r"[Ll]ine:? (\d+)", str(exc))
    column = re.search(r'column "?([A-Za-z_0-9]+)"?', str(exc))
    return InputValidationError(
        f"cannot be read as a table ({text})",
        file=path,
        row=int(line.group(1)) - 1 if line else None,
        field=column.group(1) if column else None,
    )

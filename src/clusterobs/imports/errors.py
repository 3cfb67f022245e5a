"""Import errors that name the file, row and field, so a user can fix the file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    """One problem in one cell (or one row, when ``field`` is empty)."""

    file: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        # Row 0: the file as a whole (its size, encoding or layout), no row to name.
        where = f"{self.file}, row {self.row}" if self.row else self.file
        if self.field:
            where += f", field {self.field!r}"
        return f"{where}: {self.message}"


class ImportValidationError(Exception):
    """An import was refused as a whole; ``errors`` lists every problem found."""

    MAX_SHOWN = 50

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        shown = "\n".join(f"  {e}" for e in errors[: self.MAX_SHOWN])
        more = len(errors) - self.MAX_SHOWN
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(f"{len(errors)} problem(s):\n{shown}{tail}")

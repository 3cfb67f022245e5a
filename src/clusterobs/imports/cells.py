"""Typed reading of one row's cells, collecting every error instead of stopping at the first.

Usage::

    reader = RowReader(table.file, row, errors)
    name = reader.text("name", required=True)
    employment = reader.number("employment", minimum=0)

Each method returns ``None`` when the cell is empty or invalid; invalid cells add a
:class:`RowError` naming file, row and field. Nothing is guessed: "12,5" is not a number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from urllib.parse import urlparse

from clusterobs.imports.errors import RowError
from clusterobs.imports.readers import Row


class RowReader:
    def __init__(self, file: str, row: Row, errors: list[RowError]):
        self.file = file
        self.row = row
        self.errors = errors

    def error(self, field: str, message: str) -> None:
        self.errors.append(RowError(self.file, self.row.number, field, message))

    def raw(self, field: str) -> str:
        return self.row.cells.get(field, "").strip()

    def has(self, field: str) -> bool:
        return bool(self.raw(field))

    def text(self, field: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.raw(field)
        if required and not value:
            self.error(field, "is required")
        if max_length and len(value) > max_length:
            self.error(field, f"is longer than {max_length} characters")
        return value

    def number(
        self,
        field: str,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        required: bool = False,
    ) -> Decimal | None:
        value = self.raw(field)
        if not value:
            if required:
                self.error(field, "is required")
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            self.error(field, f"{value!r} is not a number (use a dot as decimal separator)")
            return None
        if not number.is_finite():
            self.error(field, f"{value!r} is not a finite number")
            return None
        if minimum is not None and number < Decimal(str(minimum)):
            self.error(field, f"{value} is below the minimum {minimum}")
            return None
        if maximum is not None and number > Decimal(str(maximum)):
            self.error(field, f"{value} is above the maximum {maximum}")
            return None
        return number

    def integer(
        self,
        field: str,
        *,
        minimum: int | None = None,
        maximum: int | None = None,
        required: bool = False,
    ) -> int | None:
        number = self.number(field, minimum=minimum, maximum=maximum, required=required)
        if number is None:
            return None
        if number != number.to_integral_value():
            self.error(field, f"{number} is not a whole number")
            return None
        return int(number)

    def year(self, field: str, *, required: bool = False) -> int | None:
        return self.integer(
            field, minimum=1000, maximum=dt.date.today().year + 50, required=required
        )

    def date(self, field: str) -> dt.date | None:
        value = self.raw(field)
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.error(field, f"{value!r} is not a date in the form YYYY-MM-DD")
            return None

    def choice(self, field: str, allowed: Iterable[str], *, required: bool = False) -> str:
        value = self.raw(field)
        allowed = list(allowed)
        if not value:
            if required:
                self.error(field, "is required")
            return ""
        normalised = value.lower().replace(" ", "_").replace("-", "_")
        if normalised in allowed:
            return normalised
        self.error(field, f"{value!r} is not one of: {', '.join(allowed)}")
        return ""

    def boolean(self, field: str, *, default: bool) -> bool:
        value = self.raw(field).lower()
        if not value:
            return default
        if value in {"1", "true", "yes", "y"}:
            return True
        if value in {"0", "false", "no", "n"}:
            return False
        self.error(field, f"{value!r} is not a yes/no value")
        return default

    def url(self, field: str) -> str:
        value = self.raw(field)
        if not value:
            return ""
        if "://" not in value:
            value = "https://" + value
        parsed = urlparse(value)
        if parsed.scheme not in {"http", "https"} or "." not in parsed.netloc:
            self.error(field, f"{self.raw(field)!r} is not a web address")
            return ""
        return value

    def items(self, field: str) -> list[str]:
        """A list in one cell, separated by semicolons (or ``|``)."""
        value = self.raw(field).replace("|", ";")
        return [item.strip() for item in value.split(";") if item.strip()]

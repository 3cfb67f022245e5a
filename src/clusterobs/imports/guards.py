"""Limits every imported file is read under, so that no file can exhaust the server.

Why one module: each importer (registry CSV/XLSX/JSON, programme measurements and surveys,
collaboration relatedness) reads through :func:`clusterobs.imports.readers.read_table`, which calls
these checks before parsing. A hostile or broken file then gives an :class:`ImportValidationError`
naming the file (and row and field where there is one) instead of a traceback, a MemoryError or a
worker grown to gigabytes:

- size: a file over ``MAX_FILE_BYTES`` is refused before it is read;
- XLSX: a workbook is a ZIP; the uncompressed sizes its directory declares are summed before
  openpyxl opens it (Python's ``zipfile`` never inflates a member beyond its declared size), so a
  1.5 MB file whose shared strings inflate to 1.5 GB is refused without being inflated;
- gzip and Parquet (point files of the spatial jobs): the inflated size is counted while
  streaming (gzip) or estimated from the file's own metadata (Parquet: declared sizes, and rows x
  columns x 8 bytes) before pandas reads it, with the same limit as workbooks;
- CSV: one cell at most ``MAX_CELL_CHARS`` characters (the ``csv`` module's own limit, with a
  clear message);
- JSON: nesting at most ``MAX_JSON_DEPTH`` levels (checked on the text, before ``json`` recurses);
- encoding: a byte-order mark chooses UTF-8/UTF-16/UTF-32, UTF-16 without one is recognised by
  its zero bytes; anything else must be UTF-8, else the error names the row and suggests saving
  as UTF-8 (guessing Latin-1 would silently corrupt names);
- text: no cell may hold a character XML and PostgreSQL cannot store (see :data:`FORBIDDEN`).
"""

from __future__ import annotations

import codecs
import gzip
import re
import zipfile
import zlib
from pathlib import Path

from clusterobs.imports.errors import ImportValidationError, RowError

MAX_FILE_BYTES = 100 * 2**20
MAX_XLSX_UNCOMPRESSED_BYTES = 200 * 2**20
MAX_CELL_CHARS = 100_000
MAX_JSON_DEPTH = 20

# Characters a database or a backup cannot hold: C0 controls except tab, newline and carriage
# return (XML 1.0 forbids them; PostgreSQL refuses NUL), lone surrogates and the two
# non-characters U+FFFE and U+FFFF (XML forbids them).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def refuse(file: str, message: str, row: int = 0, field: str = "") -> ImportValidationError:
    return ImportValidationError([RowError(file, row, field, message)])


def check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise refuse(path.name, f"the file has {size:,} bytes; at most {MAX_FILE_BYTES:,} allowed")


def check_zip(path: Path) -> None:
    """Refuse a workbook whose members would inflate beyond the limit (a decompression bomb)."""
    try:
        with zipfile.ZipFile(path) as archive:
            declared = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise refuse(path.name, "not an XLSX workbook (the file is not a valid ZIP)") from None
    if declared > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise refuse(
            path.name,
            f"the workbook unpacks to {declared:,} bytes, more than the "
            f"{MAX_XLSX_UNCOMPRESSED_BYTES:,} allowed; save it as CSV or split it",
        )


def check_inflated(path: Path) -> None:
    """Refuse a gzip or Parquet file that would inflate beyond ``MAX_XLSX_UNCOMPRESSED_BYTES``.

    gzip has no trustworthy size field (ISIZE is modulo 4 GiB and can lie), so the stream is
    inflated in chunks and counted, never held; Parquet declares each row group's uncompressed
    size in its footer, but dictionary encoding hides repeated values, so at least 8 bytes per
    cell of the frame pandas builds are counted as well.
    """
    limit = MAX_XLSX_UNCOMPRESSED_BYTES
    name = path.name.lower()
    if name.endswith(".gz"):
        inflated = 0
        try:
            with gzip.open(path, "rb") as stream:
                while chunk := stream.read(2**20):
                    inflated += len(chunk)
                    if inflated > limit:
                        break
        except (OSError, EOFError, zlib.error) as exc:
            raise refuse(path.name, f"not a readable gzip file ({exc})") from None
    elif name.endswith(".parquet"):
        import pyarrow.parquet as pq  # only when a Parquet file is checked

        try:
            meta = pq.ParquetFile(path).metadata
        except Exception as exc:  # pyarrow raises several types for a broken footer
            raise refuse(path.name, f"not a readable Parquet file ({exc})") from None
        declared = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        # Dictionary and run-length encoding make the declared size far smaller than the frame
        # pandas builds: count at least 8 bytes per cell of that frame too.
        inflated = max(declared, meta.num_rows * meta.num_columns * 8)
    else:
        return
    if inflated > limit:
        raise refuse(
            path.name,
            f"the file inflates to more than {limit:,} bytes (allowed); split it or send it "
            "uncompressed",
        )


def decode(path: Path, data: bytes) -> str:
    """``data`` as text, by its byte-order mark, UTF-16's zero bytes, or else UTF-8."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(path, data, encoding)
    head = data[:4096]
    if len(head) >= 4 and head.count(0) >= len(head) // 4:
        zeros_odd = head[1::2].count(0)
        return _decode(path, data, "utf-16-le" if zeros_odd > head[0::2].count(0) else "utf-16-be")
    return _decode(path, data, "utf-8")


def _decode(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise refuse(
            path.name,
            f"is not {encoding.upper().removesuffix('-SIG')} text (byte 0x{data[exc.start]:02x}"
            " cannot be read; Latin-1 or Windows-1252?): save the file as UTF-8 and import again",
            row=row,
        ) from None


def check_json_depth(file: str, text: str) -> None:
    """Refuse JSON nested deeper than ``MAX_JSON_DEPTH`` (counted outside strings)."""
    depth = 0
    without_strings = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    for match in re.finditer(r"[\[\]{}]", without_strings):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            line = without_strings[: match.start()].count("\n") + 1
            raise refuse(file, f"JSON nested more than {MAX_JSON_DEPTH} levels deep", row=line)


def check_cell(file: str, row: int, field: str, value: str) -> None:
    """Refuse a cell that is too long or holds a character no database or backup can store."""
    if len(value) > MAX_CELL_CHARS:
        raise refuse(
            file,
            f"the cell has {len(value):,} characters; at most {MAX_CELL_CHARS:,}",
            row=row,
            field=field,
        )
    bad = FORBIDDEN.search(value)
    if bad:
        raise refuse(
            file,
            f"control character U+{ord(bad.group()):04X} at position {bad.start() + 1} "
            "cannot be stored; remove it",
            row=row,
            field=field,
        )

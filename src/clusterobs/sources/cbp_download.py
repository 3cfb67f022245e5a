"""Download County Business Patterns files from the Census Bureau (for users who are online).

The complete CBP files are published as ZIP archives at fixed addresses (Census Bureau, "County
Business Patterns Datasets", ``https://www.census.gov/programs-surveys/cbp/data/datasets.html``)::

    https://www2.census.gov/programs-surveys/cbp/datasets/{year}/cbp{yy}{level}.zip

with ``yy`` the last two digits of the year and ``level`` ``st`` (states), ``co`` (counties) or
``msa`` (metropolitan and micropolitan areas), e.g. ``.../2008/cbp08st.zip``. Each archive holds
one comma-separated ``cbp{yy}{level}.txt`` that :func:`clusterobs.sources.cbp.read_cbp` reads.

Conventions:

* **Resumable**: bytes arrive in ``<file>.part``; a rerun asks the server for the rest with an
  HTTP ``Range`` request (a server that ignores it sends the whole file, which then replaces the
  partial one). The finished file is checked as a ZIP and renamed into place.
* **Checksums**: every finished file is recorded in ``manifest.json`` in the output directory
  with its URL, size, SHA-256 and time of download; a file already listed with a matching
  SHA-256 is not downloaded again (``force`` downloads anyway).
* **Offline**: a network failure raises :class:`DownloadError` (a ``ValueError``) saying which
  address could not be reached and that a rerun resumes; nothing half-written is left under
  the final name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

BASE_URL = "https://www2.census.gov/programs-surveys/cbp/datasets"
LEVELS: dict[str, str] = {"state": "st", "county": "co", "msa": "msa"}
FIRST_YEAR = 1998  # first NAICS year; earlier files use SIC codes, which the reader does not
MANIFEST = "manifest.json"
CHUNK = 1 << 20
USER_AGENT = "clusterobs-cbp-download"

Level = Literal["state", "county", "msa"]


class DownloadError(ValueError):
    """A file could not be fetched (offline, HTTP error, or not a valid ZIP)."""


@dataclass
class DownloadedFile:
    """One manifest entry."""

    year: int
    level: str
    url: str
    file: str
    bytes: int
    sha256: str
    downloaded_at: str
    member: str | None = None


def parse_years(text: str) -> list[int]:
    """``"2008-2011"`` -> ``[2008, ..., 2011]``; ``"2008"``; ``"2008,2010"`` (lists and ranges
    may be mixed). Years must be from 1998 (NAICS) on."""
    years: set[int] = set()
    for part in text.replace(" ", "").split(","):
        bounds = part.split("-")
        try:
            if len(bounds) == 1:
                lo = hi = int(bounds[0])
            elif len(bounds) == 2:
                lo, hi = int(bounds[0]), int(bounds[1])
            else:
                raise ValueError
        except ValueError:
            raise ValueError(
                f"--years must look like 2008-2011 or 2008,2010; got {text!r}"
            ) from None
        if lo > hi:
            raise ValueError(f"--years: {lo} is after {hi}")
        if lo < FIRST_YEAR:
            raise ValueError(f"--years: CBP files before {FIRST_YEAR} use SIC, not NAICS codes")
        years.update(range(lo, hi + 1))
    return sorted(years)


def file_name(year: int, level: Level) -> str:
    """``cbp08st.zip`` for 2008 states."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}; got {level!r}")
    return f"cbp{year % 100:02d}{LEVELS[level]}.zip"


def cbp_url(year: int, level: Level, base_url: str = BASE_URL) -> str:
    """The Census Bureau address of one year's complete file at ``level``."""
    return f"{base_url.rstrip('/')}/{year}/{file_name(year, level)}"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def read_manifest(out: Path) -> dict[str, dict[str, Any]]:
    """Manifest entries by file name (empty when there is none yet)."""
    path = Path(out) / MANIFEST
    if not path.exists():
        return {}
    return {e["file"]: e for e in json.loads(path.read_text())["files"]}


def _write_manifest(out: Path, entries: dict[str, dict[str, Any]]) -> None:
    path = Path(out) / MANIFEST
    tmp = path.with_suffix(".json.tmp")
    data = {"source": BASE_URL, "files": sorted(entries.values(), key=lambda e: e["file"])}
    tmp.write_text(json.dumps(data, indent=2))
    os.replace(tmp, path)


def fetch(
    url: str,
    dest: Path,
    *,
    timeout: float = 60.0,
    progress: Callable[[int, int | None], None] | None = None,
) -> Path:
    """Download ``url`` to ``dest``, resuming ``dest.part`` if present; returns ``dest``.

    ``progress(bytes_so_far, total_or_None)`` is called as data arrives.
    """
    part = dest.with_name(dest.name + ".part")
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if have:
        request.add_header("Range", f"bytes={have}-")
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:  # nothing left to send: the partial file is complete
            os.replace(part, dest)
            return dest
        if exc.code == 404:
            raise DownloadError(f"{url}: not found (HTTP 404); is the year published?") from exc
        raise DownloadError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DownloadError(
            f"cannot reach {url} ({reason}). Are you online? The Census Bureau files need "
            f"internet access; rerun the command to resume"
            + (f" ({have:,} bytes kept in {part.name})." if have else ".")
        ) from exc
    with response:
        status = response.status
        if status == 206:
            mode = "ab"
        else:  # 200: the server sent the whole file (it ignored or we did not send Range)
            mode, have = "wb", 0
        length = response.headers.get("Content-Length")
        total = have + int(length) if length is not None else None
        got = have
        try:
            with part.open(mode) as f:
                while block := response.read(CHUNK):
                    f.write(block)
                    got += len(block)
                    if progress:
                        progress(got, total)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DownloadError(
                f"{url}: connection lost after {got:,} bytes ({exc}); rerun to resume"
            ) from exc
    if total is not None and got != total:
        raise DownloadError(f"{url}: got {got:,} of {total:,} bytes; rerun to resume")
    os.replace(part, dest)
    return dest


def _check_zip(path: Path) -> str:
    """The data member of a CBP archive (the ``.txt``), or :class:`DownloadError`."""
    try:
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
            names = [n for n in z.namelist() if not n.endswith("/")]
    except zipfile.BadZipFile as exc:
        raise DownloadError(f"{path.name}: not a valid ZIP archive ({exc})") from exc
    if bad is not None:
        raise DownloadError(f"{path.name}: corrupt member {bad}")
    data = [n for n in names if n.lower().endswith((".txt", ".csv"))]
    if not data:
        raise DownloadError(f"{path.name}: no .txt/.csv data file inside ({names})")
    return data[0]


def download_cbp(
    years: list[int],
    level: Level,
    out: Path,
    *,
    base_url: str = BASE_URL,
    extract: bool = True,
    force: bool = False,
    timeout: float = 60.0,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> list[DownloadedFile]:
    """Fetch the CBP files of ``years`` at ``level`` into ``out``; returns the manifest entries.

    With ``extract`` the data member is unpacked beside the archive (``cbp08st.txt``), ready for
    ``clusterobs mapping build --employment``. Each finished file is added to the manifest at
    once, so an interrupted run keeps what it finished.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    entries = read_manifest(out)
    done: list[DownloadedFile] = []
    for year in years:
        name = file_name(year, level)
        url = cbp_url(year, level, base_url)
        dest = out / name
        known = entries.get(name)
        if not force and known and dest.exists() and sha256_of(dest) == known["sha256"]:
            entry = DownloadedFile(**known)
        else:
            if force and dest.exists():
                dest.unlink()
            report = (lambda got, total, n=name: progress(n, got, total)) if progress else None
            fetch(url, dest, timeout=timeout, progress=report)
            member = _check_zip(dest)
            entry = DownloadedFile(
                year=year,
                level=level,
                url=url,
                file=name,
                bytes=dest.stat().st_size,
                sha256=sha256_of(dest),
                downloaded_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                member=member,
            )
            entries[name] = asdict(entry)
            _write_manifest(out, entries)
        if extract and entry.member:
            target = out / Path(entry.member).name
            if force or not target.exists():
                with zipfile.ZipFile(dest) as z, z.open(entry.member) as src:
                    tmp = target.with_name(target.name + ".part")
                    with tmp.open("wb") as f:
                        while block := src.read(CHUNK):
                            f.write(block)
                    os.replace(tmp, target)
        done.append(entry)
    return done

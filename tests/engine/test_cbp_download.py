"""The CBP downloader against a real HTTP server on 127.0.0.1 (no internet): URL building, year
parsing, resumable download with Range, manifest checksums, extraction and the offline error."""

from __future__ import annotations

import hashlib
import io
import json
import socket
import threading
import zipfile
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clusterobs.cli import mapping
from clusterobs.sources.cbp_download import (
    DownloadError,
    cbp_url,
    download_cbp,
    fetch,
    parse_years,
    read_manifest,
)

CBP_TEXT = (
    "fipstate,naics,empflag,emp_nf,emp,qp1_nf,qp1,ap_nf,ap,est\n"
    '"01","------","","G",1000,"G",10,"G",40,50\n'
)


def test_urls_and_years() -> None:
    assert cbp_url(2008, "state") == (
        "https://www2.census.gov/programs-surveys/cbp/datasets/2008/cbp08st.zip"
    )
    assert cbp_url(2011, "county").endswith("/2011/cbp11co.zip")
    assert cbp_url(1999, "msa").endswith("/1999/cbp99msa.zip")
    assert cbp_url(2008, "state", "http://mirror/x/").startswith("http://mirror/x/2008/")
    assert parse_years("2008-2011") == [2008, 2009, 2010, 2011]
    assert parse_years("2008,2010-2011") == [2008, 2010, 2011]
    for bad in ("2011-2008", "08-11", "1990-1999", "x"):
        with pytest.raises(ValueError):
            parse_years(bad)
    with pytest.raises(ValueError):
        cbp_url(2008, "city")  # type: ignore[arg-type]


def _zip_bytes(name: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, CBP_TEXT * 200)
    return buf.getvalue()


class RangeHandler(SimpleHTTPRequestHandler):
    """Static files with single ``Range: bytes=N-`` support (as www2.census.gov serves)."""

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        rng = self.headers.get("Range")
        if not path.is_file() or not rng:
            return super().do_GET()
        data = path.read_bytes()
        start = int(rng.removeprefix("bytes=").split("-")[0])
        if start >= len(data):
            self.send_response(416)
            self.end_headers()
            return None
        self.server.ranges.append(start)  # type: ignore[attr-defined]
        self.send_response(206)
        self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.send_header("Content-Length", str(len(data) - start))
        self.end_headers()
        self.wfile.write(data[start:])
        return None


@pytest.fixture
def census(tmp_path: Path) -> Iterator[tuple[str, Path, ThreadingHTTPServer]]:
    root = tmp_path / "www"
    for year in (2008, 2009):
        d = root / "datasets" / str(year)
        d.mkdir(parents=True)
        yy = f"{year % 100:02d}"
        (d / f"cbp{yy}st.zip").write_bytes(_zip_bytes(f"cbp{yy}st.txt"))

    def handler(*args: object, **kwargs: object) -> RangeHandler:
        return RangeHandler(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.ranges = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/datasets", root, server
    finally:
        server.shutdown()
        server.server_close()


def test_download_resume_manifest_and_extract(census, tmp_path: Path) -> None:
    base, root, server = census
    out = tmp_path / "out"
    out.mkdir()
    full = (root / "datasets" / "2008" / "cbp08st.zip").read_bytes()
    # An interrupted earlier run left half of 2008: the rerun asks only for the rest.
    (out / "cbp08st.zip.part").write_bytes(full[: len(full) // 2])
    files = download_cbp([2008, 2009], "state", out, base_url=base)
    assert server.ranges == [len(full) // 2]
    assert (out / "cbp08st.zip").read_bytes() == full
    assert not (out / "cbp08st.zip.part").exists()
    manifest = read_manifest(out)
    assert set(manifest) == {"cbp08st.zip", "cbp09st.zip"}
    assert manifest["cbp08st.zip"]["sha256"] == hashlib.sha256(full).hexdigest()
    assert manifest["cbp08st.zip"]["url"] == f"{base}/2008/cbp08st.zip"
    assert [f.year for f in files] == [2008, 2009]
    assert (out / "cbp09st.txt").read_text().startswith("fipstate,naics")
    # A second run finds the files complete (checksum matches) and fetches nothing.
    server.shutdown()
    again = download_cbp([2008, 2009], "state", out, base_url=base)
    assert [f.sha256 for f in again] == [f.sha256 for f in files]


def test_cli_download_and_missing_year(census, tmp_path: Path) -> None:
    base, _, _ = census
    out = tmp_path / "cli"
    runner = CliRunner()
    args = ["download-cbp", "--years", "2008", "--level", "state", "--out", str(out)]
    r = runner.invoke(mapping.app, [*args, "--base-url", base])
    assert r.exit_code == 0, r.output
    assert json.loads((out / "manifest.json").read_text())["files"][0]["file"] == "cbp08st.zip"
    r = runner.invoke(mapping.app, [*args[:2], "2010", *args[3:], "--base-url", base])
    assert r.exit_code == 1 and "404" in r.output


def test_offline_error_is_clear(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on: connection refused, like offline
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(DownloadError, match="Are you online"):
        fetch(f"http://127.0.0.1:{port}/2008/cbp08st.zip", tmp_path / "cbp08st.zip", timeout=5)
    assert not (tmp_path / "cbp08st.zip").exists()
    r = CliRunner().invoke(
        mapping.app,
        ["download-cbp", "--years", "2008", "--out", str(tmp_path / "o"),
         "--base-url", f"http://127.0.0.1:{port}"],
    )  # fmt: skip
    assert r.exit_code == 1 and "online" in r.output

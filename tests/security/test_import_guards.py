"""Items 3 and 12 of issue 12: every import reads through one guarded reader.

A decompression bomb, a giant cell, deep JSON or a file in another encoding gives an error naming
the file (and row and field) instead of a traceback, a MemoryError or gigabytes of memory.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from clusterobs.imports import guards
from clusterobs.imports.errors import ImportValidationError
from clusterobs.imports.readers import read_table

HEADER = b"indicator,date,value,source\n"


def xlsx_bomb(path: Path, inflated_mb: int = 256) -> Path:
    """A workbook (1 MB on disk) whose shared strings inflate to ``inflated_mb`` MB."""
    chunk = b"<si><t>" + b"A" * (2**20 - 16) + b"</t></si>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as handle:
            handle.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for _ in range(inflated_mb):
                handle.write(chunk)
            handle.write(b"</sst>")
    return path


def refused(path: Path) -> str:
    with pytest.raises(ImportValidationError) as caught:
        read_table(path)
    return " ".join(str(caught.value).split())


def test_xlsx_bomb_is_refused_before_inflating(tmp_path) -> None:
    bomb = xlsx_bomb(tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < 2 * 2**20
    message = refused(bomb)
    assert "bomb.xlsx" in message and "unpacks to" in message


def test_xlsx_bomb_stays_small_in_memory(tmp_path) -> None:
    """Peak memory of a fresh process reading the bomb: the guard refuses it without inflating."""
    bomb = xlsx_bomb(tmp_path / "bomb.xlsx")
    script = (
        "import resource,sys\n"
        "from clusterobs.imports.readers import read_table\n"
        "before=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n    read_table(sys.argv[1])\nexcept Exception as e:\n    print(type(e).__name__)\n"
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss-before)//1024)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(bomb)], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[0] == "ImportValidationError"
    assert int(out[1]) < 50, f"reading the bomb grew the process by {out[1]} MB"


def test_a_huge_csv_cell_names_file_and_row(tmp_path) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(HEADER + b"jobs,2024-01-01,1,ok\njobs,2024-01-02,1," + b"x" * 2**20 + b"\n")
    message = refused(big)
    assert "big.csv, row 3" in message and "longer than" in message


def test_deeply_nested_json_is_refused_clearly(tmp_path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    message = refused(deep)
    assert "deep.json" in message and "nested more than" in message


def test_brackets_inside_json_strings_do_not_count(tmp_path) -> None:
    ok = tmp_path / "ok.json"
    ok.write_text(json.dumps([{"name": "[[[[" * 50 + '"{{'}]))
    assert read_table(ok).rows[0].cells["name"].startswith("[[[[")


def test_latin1_csv_names_the_row_and_says_what_to_do(tmp_path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("name,country\nGood,IN\nSão Paulo cluster,BR\n".encode("latin-1"))
    message = refused(latin)
    assert "latin.csv, row 3" in message and "save the file as UTF-8" in message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig", "utf-32"])
def test_unicode_files_are_recognised(tmp_path, encoding) -> None:
    path = tmp_path / "orgs.csv"
    path.write_bytes("name,country\nSão Paulo cluster,BR\n".encode(encoding))
    table = read_table(path)
    assert table.columns == ["name", "country"]
    assert table.rows[0].cells["name"] == "São Paulo cluster"


def test_an_oversized_file_is_refused_before_reading(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(guards, "MAX_FILE_BYTES", 100)
    path = tmp_path / "large.csv"
    path.write_bytes(HEADER + b"jobs,2024-01-01,1,ok\n" * 10)
    assert "large.csv" in (m := refused(path)) and "at most 100 allowed" in m


def test_the_bomb_uploaded_to_the_web_is_a_message_not_a_crash(
    client, users, registry, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    bomb = xlsx_bomb(tmp_path / "bomb.xlsx", inflated_mb=210)
    client.force_login(users["editor"])
    slug = _initiative_slug(users, registry)
    with bomb.open("rb") as handle:
        response = client.post(
            f"/programmes/{slug}/measurements/import/", {"file": handle}, follow=True
        )
    assert response.status_code == 200
    assert "unpacks to" in response.content.decode()


def _initiative_slug(users, registry) -> str:
    from clusterobs.programmes import services
    from clusterobs.programmes.starter import load

    load()
    return services.create_initiative(
        user=users["editor"],
        name="Bomb test initiative",
        cluster=registry["leather"],
        published=True,
    ).slug


# Point files of the spatial Kd jobs (CSV.gz, Parquet) are read by pandas, not by read_table:
# the same limits apply before pandas inflates them.
POINTS = b"longitude,latitude,naics\n-83.0,42.3,3311\n"


def _points_refused(path: Path) -> str:
    from clusterobs.spatial.points.pointset import read_points

    with pytest.raises(ImportValidationError) as caught:
        read_points(path, industry_column="naics")
    return str(caught.value)


def test_a_gzip_point_file_that_inflates_too_far_is_refused(tmp_path, monkeypatch) -> None:
    import gzip

    monkeypatch.setattr(guards, "MAX_XLSX_UNCOMPRESSED_BYTES", 2**20)
    path = tmp_path / "points.csv.gz"
    with gzip.open(path, "wb") as out:
        out.write(POINTS + b"-83.0,42.3,3311\n" * 200_000)  # 3.2 MB inflated, ~15 kB on disk
    assert path.stat().st_size < 100_000
    assert "points.csv.gz" in (m := _points_refused(path)) and "inflates to more than" in m


def test_a_broken_gzip_point_file_is_a_message(tmp_path) -> None:
    path = tmp_path / "points.csv.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00not really gzip")
    assert "not a readable gzip file" in _points_refused(path)


def test_a_parquet_point_file_that_inflates_too_far_is_refused(tmp_path, monkeypatch) -> None:
    import pandas as pd

    monkeypatch.setattr(guards, "MAX_XLSX_UNCOMPRESSED_BYTES", 2**20)
    n = 300_000
    frame = pd.DataFrame({"longitude": [-83.0] * n, "latitude": [42.3] * n, "naics": ["3311"] * n})
    path = tmp_path / "points.parquet"
    frame.to_parquet(path)
    assert "points.parquet" in (m := _points_refused(path)) and "inflates to more than" in m
    small = tmp_path / "small.parquet"
    frame.head(10).to_parquet(small)
    from clusterobs.spatial.points.pointset import read_points

    assert read_points(small, industry_column="naics").n == 10  # under the limit: read


def test_a_gzip_bomb_uploaded_for_kd_fails_the_job_with_the_users_file_name(
    client, django_user_model, monkeypatch, settings, tmp_path
) -> None:
    import gzip
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.OBSERVATORY_JOBS_SYNC = True
    settings.OBSERVATORY_SPATIAL_DIR = str(tmp_path / "spatial")
    monkeypatch.setattr(guards, "MAX_XLSX_UNCOMPRESSED_BYTES", 2**20)
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb") as out:
        out.write(POINTS + b"-83.0,42.3,3311\n" * 200_000)
    client.force_login(django_user_model.objects.create_user("kd", password="pw-kd-123456"))
    response = client.post(
        "/api/observatory/spatial/kd/",
        {
            "industry": "3311",
            "name": "bomb",
            "industry_column": "naics",
            "points": SimpleUploadedFile("my-plants.csv.gz", buffer.getvalue()),
        },
    )
    job = response.json()["job"]
    assert job["status"] == "failed", job
    assert "my-plants.csv.gz" in job["message"] and "inflates to more than" in job["message"]

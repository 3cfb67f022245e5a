"""API errors never reveal a path of the server's file system."""

from __future__ import annotations

import pytest
from rest_framework.exceptions import ValidationError
from rest_framework.test import APIRequestFactory

from clusterobs.redact import redact_paths
from clusterobs.web.api_errors import exception_handler, scrub, scrub_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "no classifications imported in /srv/clusterobs-data/classifications; run "
            "'clusterobs classifications import --source DIR' first",
            "no classifications imported in classifications; run "
            "'clusterobs classifications import --source DIR' first",
        ),
        (
            "input employment: /home/ana/data/cbp.csv.gz is not a file",
            "input employment: cbp.csv.gz is not a file",
        ),
        (r"C:\Users\ana\data\cbp.csv: bad row 3", "cbp.csv: bad row 3"),
        ("see file:///var/lib/x/report.pdf", "see report.pdf"),
        ("a ratio 1/2 and traded/local economy", "a ratio 1/2 and traded/local economy"),
        ("https://example.org/a/b/c stays", "https://example.org/a/b/c stays"),
        ("no slash at all", "no slash at all"),
    ],
)
def test_redact_paths(text: str, expected: str) -> None:
    assert redact_paths(text) == expected


def test_the_sites_own_addresses_and_its_data_directory(settings) -> None:
    assert scrub_text("send it to /api/clusters/ instead") == "send it to /api/clusters/ instead"
    data_dir = settings.CONFIG.data_dir
    assert scrub_text(f"missing {data_dir}/results/us states/manifest.json") == (
        "missing results/us states/manifest.json"
    )


def test_handler_scrubs_validation_errors_and_keeps_their_codes() -> None:
    exc = ValidationError({"members": ["cannot read /opt/app/data/regions.gpkg"]}, code="bad")
    response = exception_handler(exc, {})
    assert response.status_code == 400
    assert response.data == {"members": ["cannot read regions.gpkg"]}
    assert response.data["members"][0].code == "bad"
    assert scrub({"a": ("/x/y/z.csv", 3)}) == {"a": ["z.csv", 3]}


def test_unexpected_errors_are_a_json_500_with_an_error_id(caplog) -> None:
    from rest_framework.views import APIView

    view = APIView()
    view.request = APIRequestFactory().get("/api/x/")
    exc = FileNotFoundError("/srv/clusterobs-data/classifications/codes.parquet")
    with caplog.at_level("ERROR", logger="clusterobs.api"):
        response = exception_handler(exc, {"view": view})
    assert response.status_code == 500
    assert "/srv" not in str(response.data) and "codes.parquet" not in str(response.data)
    assert response.data["error_id"] in response.data["detail"]
    assert response.data["error_id"] in caplog.text and "codes.parquet" in caplog.text


def test_a_failed_jobs_message_in_the_api_names_no_path(db, users, token_for) -> None:
    from clusterobs.observatory.models import Job

    job = Job.objects.create(
        owner=users["viewer"],
        kind="custom_region",
        status="failed",
        message="FileNotFoundError: input employment: /srv/analyst/data/cbp.csv.gz is not a file",
    )
    data = token_for(users["viewer"]).get(f"/api/observatory/jobs/{job.pk}/").json()
    assert data["message"] == "FileNotFoundError: input employment: cbp.csv.gz is not a file"


def test_api_not_found_answers_stay_json(client, db) -> None:
    response = client.get("/api/observatory/regions/06/", {"dataset": "/etc/passwd"})
    assert response.status_code == 404
    assert "/etc" not in response.content.decode()

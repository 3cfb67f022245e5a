"""Items 7 and 14 of issue 12: HEAD works, uploads are limited before they are read, a busy
SQLite database answers 503 with Retry-After, a model validation error answers 400."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.test import RequestFactory
from rest_framework.test import APIRequestFactory

from clusterobs.web.api_errors import exception_handler
from clusterobs.web.guards import ErrorAnswerMiddleware


def test_head_of_the_home_page_works(client, db) -> None:
    get = client.get("/")
    head = client.head("/")
    assert get.status_code == 200
    assert head.status_code == 200
    assert head.content == b""
    assert int(head["Content-Length"]) == len(get.content)


@pytest.mark.parametrize("url", ["/clusters/", "/map/", "/observatory/"])
def test_head_works_on_other_pages(client, db, url) -> None:
    assert client.head(url).status_code == client.get(url).status_code


def test_an_oversized_upload_is_refused_from_its_content_length(client, users, settings) -> None:
    settings.MAX_UPLOAD_BYTES = 1000
    client.force_login(users["editor"])
    response = client.generic(
        "POST",
        "/programmes/x/measurements/import/",
        data=b"x" * 10,
        content_type="application/octet-stream",
        CONTENT_LENGTH="5000000000",
    )
    assert response.status_code == 413
    assert "at most" in response.content.decode()


def test_django_rejects_huge_form_bodies(settings) -> None:
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 2**20
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 2**20


def test_a_locked_sqlite_database_answers_503_with_retry_after() -> None:
    request = RequestFactory().post("/clusters/new/")
    response = ErrorAnswerMiddleware(lambda r: None).process_exception(
        request, OperationalError("database is locked")
    )
    assert response.status_code == 503 and int(response["Retry-After"]) > 0


def test_the_api_answers_503_with_retry_after_when_locked() -> None:
    request = APIRequestFactory().patch("/api/clusters/x/")
    response = exception_handler(OperationalError("database is locked"), {"request": request})
    assert response.status_code == 503 and int(response["Retry-After"]) > 0


def test_other_database_errors_are_not_hidden() -> None:
    request = RequestFactory().get("/")
    middleware = ErrorAnswerMiddleware(lambda r: None)
    assert middleware.process_exception(request, OperationalError("no such table")) is None


def test_a_model_validation_error_is_a_400_naming_the_field() -> None:
    request = RequestFactory().post("/")
    response = ErrorAnswerMiddleware(lambda r: None).process_exception(
        request, ValidationError({"name": ["bad"]})
    )
    assert response.status_code == 400 and "name: bad" in response.content.decode()
    api = exception_handler(ValidationError({"name": ["bad"]}), {})
    assert api.status_code == 400 and api.data == {"name": ["bad"]}


def test_sqlite_waits_for_a_writer_before_giving_up(settings) -> None:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        assert db["OPTIONS"]["timeout"] >= 10


def test_a_value_the_database_refuses_is_a_400() -> None:
    from django.db import DataError

    request = APIRequestFactory().get("/api/clusters/")
    api = exception_handler(DataError("text fields cannot contain NUL (0x00) bytes"), {})
    assert api.status_code == 400 and "NUL" in api.data["detail"]
    page = ErrorAnswerMiddleware(lambda r: None).process_exception(request, DataError("out"))
    assert page.status_code == 400


def test_a_nul_in_a_lookup_is_a_400_on_every_database(client, registry) -> None:
    response = client.get("/api/clusters/", {"organisation": "a\x00b", "q": "x\x00"})
    assert response.status_code in (200, 400)
    programme = client.get("/api/clusters/a%00b/")
    assert programme.status_code in (400, 404)

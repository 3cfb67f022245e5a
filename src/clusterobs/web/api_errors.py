"""The API's error answers: JSON, and never a path of the server's file system.

Why: error messages of lower layers name files ("no classifications imported in
/srv/clusterobs-data/classifications", "input employment: /home/.../cbp.csv is not a file").
Those paths tell an outsider how the server is laid out and help nobody calling the API. The
handler keeps DRF's answers (status, fields, messages) and replaces each absolute path in them by
its last component; an unexpected exception becomes a JSON 500 whose only detail is an error id,
logged with the full traceback for the administrators.
"""

from __future__ import annotations

import logging
import re
import sys
import uuid
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework import status
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from clusterobs.observatory.job_limits import TooManyJobsError
from clusterobs.redact import redact_paths
from clusterobs.web.guards import (
    DATA_ERROR,
    RETRY_AFTER_SECONDS,
    is_database_busy,
    validation_messages,
)

logger = logging.getLogger("clusterobs.api")


@cache
def _url_roots() -> frozenset[str]:
    """First path segments the site serves (``api``, ``clusters`` ...): a message naming one of
    the site's own addresses ("see /api/docs/") keeps it."""
    roots: set[str] = set()

    def walk(patterns: list[Any], depth: int) -> None:
        for p in patterns:
            text = str(p.pattern).lstrip("^")
            first = re.split(r"[/<(\\]", text, maxsplit=1)[0]
            if first:
                roots.add(first)
            elif isinstance(p, URLResolver) and depth < 3:
                walk(p.url_patterns, depth + 1)
            elif isinstance(p, URLPattern):
                continue

    walk(get_resolver().url_patterns, 0)
    for url in (settings.STATIC_URL, settings.MEDIA_URL):
        roots.add(str(url).strip("/").split("/", 1)[0])
    return frozenset(r for r in roots if r)


def scrub_text(text: str) -> str:
    """``text`` with every server path replaced by its last component."""
    return redact_paths(text, keep_roots=_url_roots(), strip_prefixes=_sensitive_roots())


@cache
def _sensitive_roots() -> tuple[str, ...]:
    """The platform's own directories, removed first (longest first) so that a path inside them
    shrinks to its part below them even when a directory name has a space, which the pattern
    above would stop at."""
    roots = {
        str(settings.CONFIG.data_dir),
        sys.prefix,
        sys.base_prefix,
        str(Path(__file__).resolve().parents[2]),  # the installed package's parent
    }
    return tuple(r for r in roots if len(r) > 1)


def scrub(data: Any) -> Any:
    """Scrub every string of an API answer (dicts, lists, DRF's ErrorDetail keeps its code)."""
    if isinstance(data, ErrorDetail):
        return ErrorDetail(scrub_text(str(data)), code=data.code)
    if isinstance(data, str):
        return scrub_text(data)
    if isinstance(data, dict):
        return {key: scrub(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [scrub(value) for value in data]
    return data


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF's handler, with paths scrubbed; unexpected errors answered as a JSON 500."""
    if isinstance(exc, DjangoValidationError):
        # The model-level guards (control characters, clean()) are 400s naming the field.
        set_rollback()
        return Response(scrub(validation_messages(exc)), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, TooManyJobsError):
        return Response(
            {"detail": str(exc)},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(exc.retry_after)},
        )
    if isinstance(exc, DataError):
        # The database refused a value the validators let through (a NUL in a lookup, a number
        # out of its column's range): the client's data, so a 400, not a 500.
        set_rollback()
        return Response({"detail": DATA_ERROR}, status=status.HTTP_400_BAD_REQUEST)
    if is_database_busy(exc):
        set_rollback()
        return Response(
            {"detail": "The database is busy with an import. Please try again in a few seconds."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = scrub(response.data)
        return response
    error_id = uuid.uuid4().hex[:12]
    view = context.get("view")
    logger.error("API error %s in %s", error_id, type(view).__name__ if view else "?", exc_info=exc)
    set_rollback()
    return Response(
        {
            "detail": "The server could not complete this request. The administrators can find "
            f"the cause in the server log under error id {error_id}.",
            "error_id": error_id,
        },
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )

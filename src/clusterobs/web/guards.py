"""Middleware that turns whole classes of failure into clear answers instead of HTTP 500.

Why here and not in each view: a view cannot forget a rule it never has to apply.

- ``UploadSizeMiddleware``: a body larger than ``MAX_UPLOAD_BYTES`` is refused (413) from its
  ``Content-Length`` before any of it is read, so a 5 GB upload never reaches a worker's disk.
- ``HeadAsGetMiddleware``: ``HEAD`` is answered as ``GET`` without the body (monitors and link
  checkers use it; views decorated ``require_GET`` would otherwise answer 405).
- ``ErrorAnswerMiddleware``: a model-level ``ValidationError`` (the control-character guard,
  :mod:`clusterobs.web.text_guard`) becomes 400 naming the field; SQLite's "database is locked"
  after the busy timeout becomes 503 with ``Retry-After`` instead of 500.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DataError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from clusterobs.observatory.job_limits import TooManyJobsError

RETRY_AFTER_SECONDS = 5
DATA_ERROR = (
    "A value cannot be stored: a number out of range or a character such as NUL that text may "
    "not contain."
)

Handler = Callable[[HttpRequest], HttpResponse]


def is_database_busy(exc: BaseException) -> bool:
    """SQLite's lock error once its busy timeout ran out (a long import is writing)."""
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


def validation_messages(exc: ValidationError) -> dict[str, list[str]]:
    """``{"field": ["message", ...]}`` of a Django validation error (``non_field_errors`` when it
    names no field)."""
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in errors] for field, errors in exc}
    return {"non_field_errors": [str(m) for m in exc.messages]}


class UploadSizeMiddleware:
    """413 for a request whose declared body exceeds ``settings.MAX_UPLOAD_BYTES``."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        limit = settings.MAX_UPLOAD_BYTES
        if declared.isdigit() and int(declared) > limit:
            message = _("Request too large: at most %(mb)d MB may be uploaded.") % {
                "mb": limit // 2**20
            }
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class HeadAsGetMiddleware:
    """Answer ``HEAD`` like ``GET``, keeping the headers and dropping the body."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        response = self.get_response(request)
        request.method = "HEAD"
        if not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response


class ErrorAnswerMiddleware:
    """400 for a model validation error, 503 + Retry-After for a busy SQLite database."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, ValidationError):
            lines = [
                f"{field}: {' '.join(msgs)}" for field, msgs in validation_messages(exc).items()
            ]
            return HttpResponse(
                "\n".join(lines), status=400, content_type="text/plain; charset=utf-8"
            )
        if is_database_busy(exc):
            return busy_response()
        if isinstance(exc, DataError):
            return HttpResponse(DATA_ERROR, status=400, content_type="text/plain; charset=utf-8")
        if isinstance(exc, TooManyJobsError):
            response = HttpResponse(str(exc), status=429, content_type="text/plain; charset=utf-8")
            response["Retry-After"] = str(exc.retry_after)
            return response
        return None


def busy_response() -> HttpResponse:
    """503 asking the client to retry: the database is held by a long write for a moment."""
    response = HttpResponse(
        _("The database is busy with an import. Please try again in a few seconds."),
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: JSON under /api/ (an address no route matches, e.g. a non-numeric id), the site's
    page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)

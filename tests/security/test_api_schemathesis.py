"""Property-based test of the whole REST API against its own OpenAPI schema (Schemathesis).

Every operation of ``/api/schema/`` is called with generated data (valid and invalid), anonymously
and with an editor's token, over a small registry and collaboration fixture. No response may be a
server error, and each must use a status code, content type and body the schema documents.
Bounded in time: ``SCHEMATHESIS_MAX_EXAMPLES`` examples per operation and generation mode
(default 3), no per-example deadline; it runs in the default test run (CI). The operations are
driven from the test itself (not Schemathesis' pytest plugin) so that every failure of every
operation is reported at once, with the request to replay it.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import checks
from schemathesis.generation import GenerationMode

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "3"))
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]


def _editor_token(users) -> str:
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=users["editor"])[0].key


def _exercise(operation, mode, headers: dict[str, str], calls: list[int]) -> str | None:
    """Run one operation in one mode; the first failure's text, or None."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: report, do not minimise
    )
    def run(case) -> None:
        calls.append(1)
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        run()
    except Unsatisfiable:  # e.g. no invalid value exists for an operation without parameters
        return None
    except (Exception, BaseExceptionGroup) as exc:  # a check failed: keep request, response
        parts = getattr(exc, "exceptions", [exc])
        titles = "; ".join(f"{type(p).__name__}: {str(p).splitlines()[0][:200]}" for p in parts)
        where = f"{operation.method.upper()} {operation.path} [{mode.value}]"
        return f"{where}: {titles}\n{str(exc)[:1200]}"
    return None


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI application directly fires request_started/finished, whose handler would
    close the test's database connection (PostgreSQL); Django's test client unhooks it the same
    way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_every_operation_conforms_to_the_schema(
    db, collab, users, keep_test_connection, who
) -> None:
    from clusterobs.web.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    headers = {"Authorization": f"Token {_editor_token(users)}"} if who == "editor" else {}
    only = os.environ.get("SCHEMATHESIS_ONLY", "")  # a path fragment, to debug one area
    operations = [r.ok() for r in schema.get_all_operations() if only in r.ok().path]
    calls: list[int] = []
    failures = [
        failure
        for operation in operations
        for mode in MODES
        if (failure := _exercise(operation, mode, headers, calls))
    ]
    print(f"{who}: {len(operations)} operations, {len(calls)} requests, {len(failures)} failing")
    for failure in failures:
        print("FAIL", failure.splitlines()[0])
    assert not failures, "\n\n".join(failures)

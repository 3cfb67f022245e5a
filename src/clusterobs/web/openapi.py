"""Post-processing of the OpenAPI schema: what every operation can answer, in one place.

Why: the schema promised only the success answer, so a client (and Schemathesis) met 401, 403,
404, 409 ... that the schema did not mention. Every operation can be refused for the same
reasons, by the same machinery (DRF permissions, serializers, optimistic locking, the guards of
:mod:`clusterobs.web.guards`), so they are documented here once rather than on 100 views:

- 400 bad input (a body naming each wrong field), 401 not signed in, 403 not allowed, 404 not
  found (or not visible to you), 413 body too large, 429 too many jobs or logins, 503 database
  busy (``Retry-After``); 409 (someone saved the record since you read it) on PUT and PATCH;
- ``dict`` answers (``responses={200: dict}``) are free-form JSON: object or list;
- PUT and PATCH bodies of versioned records require ``version`` (optimistic locking refuses an
  edit without it).
"""

from __future__ import annotations

from typing import Any

ERROR = {
    "type": "object",
    "description": "Error: 'detail' or one list of messages per field",
    "additionalProperties": True,
}
COMMON_ERRORS = {
    "400": "Bad input: the body names each wrong field",
    "401": "Authentication needed (token or session)",
    "403": "Not allowed for your role",
    "404": "Not found, or not visible to you",
    "405": "Method not allowed",
    "406": "The requested format is not available",
    "413": "Request body too large",
    "415": "Unsupported media type",
    "429": "Too many requests (jobs, logins or contacts); see Retry-After",
    "503": "Database busy with an import; see Retry-After",
}
WRITE_ERRORS = {"409": "Someone saved the record since you read it (version mismatch)"}
FREE_FORM = {"type": "object", "additionalProperties": {}}


def add_error_responses(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook (``SPECTACULAR_SETTINGS``)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    ref = {"$ref": "#/components/schemas/Error"}
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            _free_form_answers(responses)
            errors = COMMON_ERRORS | (WRITE_ERRORS if method in {"put", "patch"} else {})
            # An error is JSON, or CSV where the operation was asked for CSV (?format=csv).
            types = {"application/json", *(_produces(responses) & {"text/csv"})}
            for code, description in errors.items():
                responses.setdefault(
                    code,
                    {"description": description, "content": {t: {"schema": ref} for t in types}},
                )
            if method in {"put", "patch"}:
                _require_version(operation, schemas)
    return result


def _produces(responses: dict[str, Any]) -> set[str]:
    return {t for r in responses.values() for t in (r.get("content") or {})}


def _free_form_answers(responses: dict[str, Any]) -> None:
    for response in responses.values():
        for media in (response.get("content") or {}).values():
            if media.get("schema") == FREE_FORM:
                media["schema"] = {"description": "JSON (object or list)"}


def _require_version(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    for media in ((operation.get("requestBody") or {}).get("content") or {}).values():
        name = (media.get("schema") or {}).get("$ref", "").rsplit("/", 1)[-1]
        component = schemas.get(name) or {}
        if "version" in component.get("properties", {}):
            required = component.setdefault("required", [])
            if "version" not in required:
                required.append("version")

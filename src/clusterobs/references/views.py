"""The sources page: every cited document and classification with its full citation."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clusterobs.references import selectors
from clusterobs.references.models import SourceKind


@require_GET
def sources(request: HttpRequest) -> HttpResponse:
    groups = [(label, list(selectors.source_documents(kind))) for kind, label in SourceKind.choices]
    return render(
        request,
        "references/sources.html",
        {"groups": [(label, docs) for label, docs in groups if docs]},
    )

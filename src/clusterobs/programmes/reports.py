"""PDF (WeasyPrint) and CSV renderings of the dashboards and evaluation reports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string

from clusterobs.imports.safe_csv import write_rows


def pdf_bytes(template: str, context: dict[str, Any]) -> bytes:
    """Render ``template`` to PDF. Fonts come from the system (DejaVu via fontconfig)."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html).write_pdf()


def pdf_response(template: str, context: dict[str, Any], filename: str) -> HttpResponse:
    response = HttpResponse(pdf_bytes(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def csv_response(
    header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str
) -> HttpResponse:
    text = write_rows(header, rows, lineterminator="\r\n")  # formula-like cells defused
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

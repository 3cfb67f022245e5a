"""PDF (WeasyPrint) and CSV renderings of the dashboards and evaluation reports."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string


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
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

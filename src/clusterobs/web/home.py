"""The home page: search box, counts, national figures and the clusters changed last.

The one page the shell owns; every other page belongs to the app whose records it shows.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clusterobs.regions.countries import country_name
from clusterobs.registry import selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Search box, counts, national figures and the clusters changed last."""
    figures = [
        {"figure": f, "country_name": country_name(f.country)} for f in selectors.country_figures()
    ]
    return render(
        request,
        "web/home.html",
        {
            "counts": selectors.home_counts(request.user),
            "figures": figures,
            "recent": selectors.recently_updated(request.user),
        },
    )

"""Web pages: thin views over the registry selectors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clusterobs.registry import selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"counts": selectors.home_counts(request.user)})

"""Pages of the cross-dataset view: common clusters, and one cluster in every dataset."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from clusterobs.observatory import across


def common(request: HttpRequest) -> HttpResponse:
    """Which clusters are strong in several datasets (U.S. states, EU NUTS 2, Indian districts)."""
    data = across.common_clusters()
    return render(
        request,
        "observatory/across.html",
        {"d": data, "api": reverse("api-obs-across-list")},
    )


def cluster(request: HttpRequest, name: str) -> HttpResponse:
    """One cluster's strongest regions in each dataset, side by side."""
    data = across.cluster_across(name)
    if data is None:
        raise Http404(_("No published dataset has a cluster of that name."))
    return render(
        request,
        "observatory/across_cluster.html",
        {"d": data, "api": reverse("api-obs-across-detail", args=[name])},
    )

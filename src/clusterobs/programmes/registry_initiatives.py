"""Pages of the registry's initiatives: the named cluster initiatives and projects the sources
describe (list and detail), thin over ``registry.selectors``.

An initiative that a programme manages through the cluster development cycle links to its
programme record (``/programmes/<slug>/``); the programmes index lists both side by side.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from clusterobs.programmes import selectors as programme_selectors
from clusterobs.regions.countries import country_name
from clusterobs.registry import selectors
from clusterobs.registry.forms import country_choices
from clusterobs.registry.permissions import can_see_unpublished

PAGE_SIZE = 50


class InitiativeFilterForm(forms.Form):
    """The initiative list filters; names match the API's query parameters."""

    q = forms.CharField(required=False, label=_("Search"))
    country = forms.ChoiceField(required=False, label=_("Country"))
    scheme = forms.ChoiceField(required=False, label=_("Scheme or programme"))

    def __init__(self, *args: Any, countries: list[str], schemes: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices(countries)
        self.fields["scheme"].choices = [("", "—")] + [
            (s.slug, f"{s.name} ({s.acronym})" if s.acronym else s.name) for s in schemes
        ]


def _api_url(active: dict[str, str]) -> str:
    url = reverse("api-initiative-list")
    return f"{url}?{urlencode(active)}" if active else url


@require_GET
def initiative_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.filters_from(request.GET, selectors.InitiativeFilters)
    active = selectors.active_filters(request.GET, selectors.InitiativeFilters)
    everything = selectors.initiative_list(request.user, selectors.InitiativeFilters())
    schemes = [s for s in selectors.visible_schemes(request.user) if s.initiatives.exists()]
    form = InitiativeFilterForm(
        request.GET or None, countries=selectors.countries_of(everything), schemes=schemes
    )
    qs = selectors.initiative_list(request.user, filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/registry_initiative_list.html",
        {"form": form, "page": page, "active": active, "api_url": _api_url(active)},
    )


@require_GET
def initiative_detail(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = selectors.initiative_detail(request.user, slug)
    if initiative is None:
        raise Http404
    shown = can_see_unpublished(request.user)
    record = getattr(initiative, "programme", None)
    programme = programme_selectors.initiative_detail(request.user, record.slug) if record else None
    return render(
        request,
        "programmes/registry_initiative_detail.html",
        {
            "initiative": initiative,
            "clusters": [c for c in initiative.clusters.all() if c.published or shown],
            "organisations": [o for o in initiative.organisations.all() if o.published or shown],
            "scheme": (
                initiative.scheme
                if initiative.scheme and (initiative.scheme.published or shown)
                else None
            ),
            "programme": programme,
            "country_name": country_name(initiative.country) if initiative.country else "",
            "api_url": reverse("api-initiative-detail", args=[initiative.slug]),
            "history_url": reverse("api-initiative-history", args=[initiative.slug]),
        },
    )

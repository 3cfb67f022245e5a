"""The registry's web pages: thin views over its selectors (reads) and services (writes).

Every list and detail page links its JSON twin in the API, and list filters are the API's
query parameters, so what a page shows can always be fetched as data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from clusterobs.regions.countries import country_name
from clusterobs.registry import exporters, forms, links, selectors, services
from clusterobs.registry.models import OrganisationProfile
from clusterobs.registry.permissions import can_create, can_edit, can_see_unpublished

PAGE_SIZE = 50


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _api_url(name: str, params: dict[str, str]) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(params)}" if params else url


def _visible_links(request: HttpRequest, links: Any, other_end: str) -> list[Any]:
    """Links of a record whose other end the user may see: an unpublished organisation or
    cluster is not named to readers who may not open it."""
    qs = links.select_related(other_end)
    if not can_see_unpublished(request.user):
        qs = qs.filter(**{f"{other_end}__published": True})
    return list(qs)


def _editable_cluster(request: HttpRequest, slug: str) -> Any:
    """The cluster ``slug`` if the user may edit it (404 if unseen, 403 if read-only)."""
    cluster = _or_404(selectors.cluster_detail(request.user, slug))
    if not can_edit(request.user, cluster):
        raise PermissionDenied
    return cluster


def _or_404(obj: Model | None) -> Any:
    if obj is None:
        raise Http404
    return obj


# --- clusters ---------------------------------------------------------------------------------


@require_GET
def cluster_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.filters_from(request.GET, selectors.ClusterFilters)
    active = selectors.active_filters(request.GET, selectors.ClusterFilters)
    form = forms.ClusterFilterForm(
        request.GET or None,
        countries=selectors.cluster_countries(request.user),
        states=selectors.states(),
        schemes=selectors.visible_schemes(request.user),
    )
    page = _page(request, selectors.cluster_list(request.user, filters))
    return render(
        request,
        "registry/cluster_list.html",
        {
            "form": form,
            "page": page,
            "active": active,
            "api_url": _api_url("api-cluster-list", active),
            "csv_url": _api_url("registry:cluster-export-csv", active),
            "geojson_url": _api_url("registry:cluster-export-geojson", active),
            "map_url": _api_url("registry:map", active),
            "may_create": can_create(request.user, "cluster"),
        },
    )


@require_GET
def cluster_detail(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = _or_404(selectors.cluster_detail(request.user, slug))
    suggested = set(services.suggested_challenges_for(cluster.product))
    assigned = list(cluster.thematic_challenges.all())
    assigned_keys = {c.key for c in assigned}
    challenges = [{"challenge": c, "suggested": c.key in suggested} for c in assigned]
    missing = [key for key in sorted(suggested) if key not in assigned_keys]
    return render(
        request,
        "registry/cluster_detail.html",
        {
            "cluster": cluster,
            "challenges": challenges,
            "suggested_missing": missing,
            "key_figures": list(cluster.key_figures.all()),
            "links": _visible_links(request, cluster.links, "organisation"),
            "country_name": country_name(cluster.country),
            "state_geometry": cluster.state.geometry if cluster.state else None,
            "may_edit": can_edit(request.user, cluster),
            "api_url": reverse("api-cluster-detail", args=[cluster.slug]),
            "history_url": reverse("api-cluster-history", args=[cluster.slug]),
        },
    )


@require_GET
def cluster_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """CSV or GeoJSON of the clusters the list shows (all of them without filters)."""
    active = selectors.active_filters(request.GET, selectors.ClusterFilters)
    if active:
        qs = selectors.cluster_list(
            request.user, selectors.filters_from(request.GET, selectors.ClusterFilters)
        ).prefetch_related("key_figures")
        rows = exporters.cluster_rows(qs)
        body = exporters.render(rows, fmt, "clusters")
    else:
        body = exporters.export(
            "clusters", fmt, include_unpublished=can_see_unpublished(request.user)
        )
    return _download(body, "clusters", fmt)


def _download(body: str, entity: str, fmt: str) -> HttpResponse:
    content_type = {
        "csv": "text/csv; charset=utf-8",
        "geojson": "application/geo+json",
        "json": "application/json",
    }[fmt]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{entity}.{fmt}"'
    return response


@login_required
def cluster_create(request: HttpRequest) -> HttpResponse:
    if not can_create(request.user, "cluster"):
        raise PermissionDenied
    form = forms.ClusterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        challenges = [c.key for c in data.pop("thematic_challenges", [])] or None
        try:
            with transaction.atomic():
                cluster = services.create_cluster(
                    user=request.user, thematic_challenges=challenges, **data
                )
                services.set_industry_codes(cluster, codes=form.cleaned_data["industry_codes"])
        except DjangoValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Cluster created."))
            return redirect("registry:cluster-detail", slug=cluster.slug)
    return render(
        request,
        "registry/edit.html",
        {"form": form, "title": _("New cluster"), "cancel_url": reverse("registry:cluster-list")},
    )


@login_required
def cluster_edit(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = _or_404(selectors.cluster_detail(request.user, slug))

    def save(form: forms.VersionedForm, expected_version: int) -> None:
        services.update_cluster(
            cluster,
            user=request.user,
            expected_version=expected_version,
            changes=form.changes(),
            industry_codes=form.cleaned_data["industry_codes"],
        )

    return _edit(request, cluster, forms.ClusterForm, "registry:cluster-detail", save=save)


@login_required
def cluster_add_key_figure(request: HttpRequest, slug: str) -> HttpResponse:
    """Record a new dated key figure for a cluster (editors only)."""
    cluster = _editable_cluster(request, slug)
    form = forms.KeyFigureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_key_figure(cluster, user=request.user, **form.cleaned_data)
        messages.success(request, _("Key figure added."))
        return redirect(reverse("registry:cluster-detail", args=[cluster.slug]) + "#kf-h")
    return render(
        request,
        "registry/edit.html",
        {
            "form": form,
            "title": _("New key figure for %(name)s") % {"name": cluster},
            "cancel_url": reverse("registry:cluster-detail", args=[cluster.slug]),
        },
    )


@login_required
def cluster_links(request: HttpRequest, slug: str) -> HttpResponse:
    """Add and remove the organisations linked to a cluster, each in a role (editors only)."""
    cluster = _editable_cluster(request, slug)
    form = forms.StakeholderLinkForm(request.POST if "add" in request.POST else None)
    if request.method == "POST" and "remove" in request.POST:
        pk = request.POST["remove"]
        link = cluster.links.filter(pk=int(pk)).first() if pk.isdigit() else None
        if link is None:
            messages.error(request, _("That link no longer exists; nothing was changed."))
        else:
            links.remove_link(link, user=request.user)
            messages.success(request, _("Link removed."))
        return redirect("registry:cluster-links", slug=cluster.slug)
    if request.method == "POST" and form.is_valid():
        try:
            links.add_link(cluster, user=request.user, **form.cleaned_data)
        except DjangoValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Link added."))
            return redirect("registry:cluster-links", slug=cluster.slug)
    return render(
        request,
        "registry/cluster_links.html",
        {
            "cluster": cluster,
            "links": list(cluster.links.select_related("organisation").order_by("role", "pk")),
            "form": form,
        },
    )


# --- organisations ----------------------------------------------------------------------------


@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.filters_from(request.GET, selectors.OrganisationFilters)
    active = selectors.active_filters(request.GET, selectors.OrganisationFilters)
    form = forms.OrganisationFilterForm(
        request.GET or None,
        countries=selectors.organisation_countries(request.user),
        states=selectors.states(),
    )
    page = _page(request, selectors.organisation_list(request.user, filters))
    return render(
        request,
        "registry/organisation_list.html",
        {
            "form": form,
            "page": page,
            "active": active,
            "api_url": _api_url("api-organisation-list", active),
            "csv_url": reverse("registry:organisation-export", args=["csv"]),
            "geojson_url": reverse("registry:organisation-export", args=["geojson"]),
        },
    )


@require_GET
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    org = _or_404(selectors.organisation_detail(request.user, slug))
    return render(
        request,
        "registry/organisation_detail.html",
        {
            "org": org,
            "profile": getattr(org, "profile", None),
            "members": selectors.members_by_type(org),
            "links": _visible_links(request, org.links, "cluster"),
            "country_name": country_name(org.country),
            "may_edit": can_edit(request.user, org),
            "api_url": reverse("api-organisation-detail", args=[org.slug]),
            "history_url": reverse("api-organisation-history", args=[org.slug]),
        },
    )


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit an organisation and its profile (editors, admins and its own managers)."""
    org = _or_404(selectors.organisation_detail(request.user, slug))
    if not can_edit(request.user, org):
        raise PermissionDenied
    try:
        profile = org.profile
    except OrganisationProfile.DoesNotExist:
        profile = OrganisationProfile(organisation=org)
    form = forms.OrganisationForm(request.POST or None, instance=org)
    profile_form = forms.OrganisationProfileForm(
        request.POST or None, instance=profile, prefix="profile"
    )
    conflict = None
    if request.method == "POST" and form.is_valid() and profile_form.is_valid():
        try:
            services.update_organisation_with_profile(
                org,
                user=request.user,
                expected_version=form.cleaned_data["version"] or 0,
                changes=form.changes(),
                profile_changes=dict(profile_form.cleaned_data),
            )
        except services.ConflictError as exc:
            conflict = _conflict(request, form, exc)
        except DjangoValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("registry:organisation-detail", slug=org.slug)
    return render(
        request,
        "registry/edit.html",
        {
            "form": form,
            "extra_forms": [(_("Profile"), profile_form)],
            "object": org,
            "conflict": conflict,
            "title": _("Edit %(name)s") % {"name": org.name},
            "cancel_url": reverse("registry:organisation-detail", args=[org.slug]),
        },
    )


@require_GET
def organisation_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in {"csv", "geojson", "json"}:
        raise Http404
    body = exporters.export(
        "organisations", fmt, include_unpublished=can_see_unpublished(request.user)
    )
    return _download(body, "organisations", fmt)


# --- schemes ----------------------------------------------------------------------------------


@require_GET
def scheme_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.filters_from(request.GET, selectors.SchemeFilters)
    active = selectors.active_filters(request.GET, selectors.SchemeFilters)
    form = forms.SchemeFilterForm(
        request.GET or None, countries=selectors.scheme_countries(request.user)
    )
    page = _page(request, selectors.scheme_list(request.user, filters))
    return render(
        request,
        "registry/scheme_list.html",
        {
            "form": form,
            "page": page,
            "active": active,
            "api_url": _api_url("api-scheme-list", active),
            "csv_url": reverse("registry:scheme-export"),
        },
    )


@require_GET
def scheme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    scheme = _or_404(selectors.scheme_detail(request.user, slug))
    clusters = [
        c for c in scheme.clusters.all() if c.published or can_see_unpublished(request.user)
    ]
    return render(
        request,
        "registry/scheme_detail.html",
        {
            "scheme": scheme,
            "clusters": clusters,
            "country_name": country_name(scheme.country),
            "may_edit": can_edit(request.user, scheme),
            "api_url": reverse("api-scheme-detail", args=[scheme.slug]),
            "history_url": reverse("api-scheme-history", args=[scheme.slug]),
        },
    )


@login_required
def scheme_edit(request: HttpRequest, slug: str) -> HttpResponse:
    scheme = _or_404(selectors.scheme_detail(request.user, slug))
    return _edit(request, scheme, forms.SchemeForm, "registry:scheme-detail")


@require_GET
def scheme_export(request: HttpRequest) -> HttpResponse:
    body = exporters.export("schemes", "csv", include_unpublished=can_see_unpublished(request.user))
    return _download(body, "schemes", "csv")


# --- map --------------------------------------------------------------------------------------


@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    """Clusters and organisations on imported boundaries (no tile server: works air-gapped)."""
    active = selectors.active_filters(request.GET, selectors.ClusterFilters)
    layers = selectors.boundary_layers(preferred_country=active.get("country", ""))
    return render(
        request,
        "registry/map.html",
        {
            "layers": layers,
            "points_url": _api_url("registry:map-points", active),
            "active": active,
            "geojson_url": reverse("api-region-geojson"),
        },
    )


@require_GET
def map_points(request: HttpRequest) -> JsonResponse:
    """The map's points as a GeoJSON FeatureCollection (clusters and organisations)."""
    return JsonResponse(
        {"type": "FeatureCollection", "features": selectors.map_points(request.user, request.GET)}
    )


# --- shared edit flow -------------------------------------------------------------------------


def _edit(
    request: HttpRequest,
    instance: Model,
    form_class: Callable[..., forms.VersionedForm],
    detail_name: str,
    save: Callable[[forms.VersionedForm, int], None] | None = None,
) -> HttpResponse:
    """Edit a versioned record; a stale version shows the conflict instead of saving."""
    if not can_edit(request.user, instance):
        raise PermissionDenied
    form = form_class(request.POST or None, instance=instance)
    conflict = None
    if request.method == "POST" and form.is_valid():
        expected = form.cleaned_data["version"] or 0
        try:
            if save is not None:
                save(form, expected)
            else:
                services.update_record(
                    instance,
                    user=request.user,
                    expected_version=expected,
                    changes=form.changes(),
                )
        except services.ConflictError as exc:
            conflict = _conflict(request, form, exc)
        except DjangoValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(detail_name, slug=instance.slug)
    return render(
        request,
        "registry/edit.html",
        {
            "form": form,
            "object": instance,
            "conflict": conflict,
            "title": _("Edit %(name)s") % {"name": instance},
            "cancel_url": reverse(detail_name, args=[instance.slug]),
        },
    )


def _conflict(
    request: HttpRequest, form: forms.VersionedForm, exc: services.ConflictError
) -> dict[str, Any]:
    """Describe a conflict: the record's current values next to the user's unsaved ones.

    The form keeps the user's input; its hidden version becomes the current one, so saving
    again is a deliberate choice made after seeing the other change.
    """
    current = exc.instance
    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in form.cleaned_data:
            continue
        if current._meta.get_field(name).many_to_many:
            now = _shown(list(getattr(current, name).all()), field)
        else:
            now = _shown(getattr(current, name), field)
        mine = _shown(form.cleaned_data[name], field)
        if now != mine:
            rows.append({"label": field.label or name, "current": now, "mine": mine})
    data = form.data.copy()
    data["version"] = str(exc.current_version)
    form.data = data
    messages.error(
        request,
        _(
            "Not saved: someone else changed this record while you were editing it "
            "(you edited version %(mine)s, it is now version %(now)s). Compare the current "
            "values below; save again to apply your values over theirs."
        )
        % {"mine": exc.expected_version, "now": exc.current_version},
    )
    return {
        "rows": rows,
        "expected": exc.expected_version,
        "current": exc.current_version,
        "updated_by": current.updated_by,
        "updated_at": current.updated_at,
    }


def _shown(value: Any, field: Any) -> str:
    """A value as the user reads it: choice labels, names of related records, yes/no."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple) or hasattr(value, "all"):
        items = value.all() if hasattr(value, "all") else value
        return "; ".join(sorted(str(v) for v in items))
    choices = dict(getattr(field, "choices", None) or []) if not hasattr(value, "pk") else {}
    return str(choices.get(value, value))


def _add_errors(form: forms.VersionedForm, exc: DjangoValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)

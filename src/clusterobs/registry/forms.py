"""Forms of the web pages: GET filter forms (rendering only) and edit forms (ModelForms).

Filter forms only *render* the filter widgets: the list views pass the raw GET parameters to
the same selector dataclasses the API uses, so a page and its JSON twin always filter alike.

Edit forms carry the record's ``version`` as a hidden field; the views save through
``services.update_record(expected_version=...)`` so a concurrent edit is reported, not lost.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterobs.regions.countries import country_name, is_known_country
from clusterobs.regions.models import Region, RegionLevel
from clusterobs.registry.codes import AGGREGATES, code_error, parse_coded_list
from clusterobs.registry.models import (
    CLUSTER_FIELDS,
    KEY_FIGURE_FIELDS,
    ORGANISATION_FIELDS,
    PROFILE_FIELDS,
    PROVENANCE_FIELDS,
    SCHEME_FIELDS,
    Cluster,
    KeyFigure,
    Organisation,
    OrganisationProfile,
    Scheme,
    ThematicChallenge,
)
from clusterobs.registry.vocabularies import (
    Classification,
    ClusterType,
    LinkRole,
    OrganisationKind,
    Performance,
    SchemeKind,
)

ANY = [("", _("Any"))]


def _choices(pairs: list[tuple[str, str]] | Any) -> list[tuple[str, str]]:
    return ANY + [(str(k), str(v)) for k, v in pairs]


def country_choices(codes: list[str]) -> list[tuple[str, str]]:
    """Country select options with English names, for the codes that occur in the data."""
    return _choices(
        sorted(((c, f"{country_name(c)} ({c})") for c in codes if c), key=lambda x: x[1])
    )


class ClusterFilterForm(forms.Form):
    """The cluster list filters; names match the API's query parameters."""

    q = forms.CharField(required=False, label=_("Search"))
    country = forms.ChoiceField(required=False, label=_("Country"))
    state = forms.ChoiceField(required=False, label=_("State / province"))
    district = forms.CharField(required=False, label=_("District code"))
    cluster_type = forms.ChoiceField(
        required=False, label=_("Type"), choices=_choices(ClusterType.choices)
    )
    industry_code = forms.CharField(required=False, label=_("Industry code (prefix)"))
    classification = forms.ChoiceField(
        required=False, label=_("Classification"), choices=_choices(Classification.choices)
    )
    challenge = forms.ChoiceField(required=False, label=_("Thematic challenge"))
    scheme = forms.ChoiceField(required=False, label=_("Scheme"))
    performance = forms.ChoiceField(
        required=False, label=_("Performance"), choices=_choices(Performance.choices)
    )

    def __init__(
        self,
        *args: Any,
        countries: list[str],
        states: list[Region],
        schemes: list[Scheme],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices(countries)
        self.fields["state"].choices = _choices((r.code, f"{r.name} ({r.country})") for r in states)
        self.fields["challenge"].choices = _choices(
            ThematicChallenge.objects.values_list("key", "name")
        )
        self.fields["scheme"].choices = _choices((s.slug, s.acronym or s.name) for s in schemes)


class OrganisationFilterForm(forms.Form):
    """The organisation list filters; names match the API's query parameters."""

    q = forms.CharField(required=False, label=_("Search"))
    country = forms.ChoiceField(required=False, label=_("Country"))
    state = forms.ChoiceField(required=False, label=_("State / province"))
    kind = forms.ChoiceField(
        required=False, label=_("Kind"), choices=_choices(OrganisationKind.choices)
    )
    cluster = forms.CharField(required=False, label=_("Cluster (slug)"))
    sector_code = forms.CharField(required=False, label=_("Sector code"))
    classification = forms.ChoiceField(
        required=False, label=_("Classification"), choices=_choices(Classification.choices)
    )

    def __init__(self, *args: Any, countries: list[str], states: list[Region], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices(countries)
        self.fields["state"].choices = _choices((r.code, f"{r.name} ({r.country})") for r in states)


class SchemeFilterForm(forms.Form):
    """The scheme list filters; names match the API's query parameters."""

    q = forms.CharField(required=False, label=_("Search"))
    country = forms.ChoiceField(required=False, label=_("Country"))
    kind = forms.ChoiceField(required=False, label=_("Kind"), choices=_choices(SchemeKind.choices))
    focus = forms.CharField(required=False, label=_("Focus area"))

    def __init__(self, *args: Any, countries: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices(countries)


class ListField(forms.CharField):
    """A JSON list of strings edited as one line, items separated by semicolons."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "; ".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list):
            return value
        text = super().to_python(value) or ""
        return [item.strip() for item in text.split(";") if item.strip()]


class CountryCodeField(forms.CharField):
    """ISO 3166-1 alpha-2 code, upper-cased, checked against pycountry.

    ``aggregates=True`` also accepts EU and WORLD, for schemes run above the national level
    (e.g. the EU's Competitiveness and Innovation Framework Programme).
    """

    def __init__(self, *args: Any, aggregates: bool = False, **kwargs: Any) -> None:
        self.aggregates = aggregates
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> str:
        code = (super().clean(value) or "").strip().upper()
        if self.aggregates and code in AGGREGATES:
            return code
        if code and not is_known_country(code):
            raise forms.ValidationError(
                _("%(code)s is not an ISO 3166-1 alpha-2 country code"), params={"code": code}
            )
        return code


class VersionedForm(forms.ModelForm):
    """A ModelForm that round-trips the record's version for optimistic locking."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        for name in ("source_date",):
            if name in self.fields:
                self.fields[name].widget = forms.DateInput(attrs={"type": "date"})

    def changes(self) -> dict[str, Any]:
        """Cleaned model values (including many-to-many) to hand to the services."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


def _region_field(level: str, country: str, label: str) -> forms.ModelChoiceField:
    qs = Region.objects.filter(level=level).order_by("country", "name")
    if country:
        qs = qs.filter(country=country)
    return forms.ModelChoiceField(
        queryset=qs.only("id", "name", "country", "code"), required=False, label=label
    )


class ClusterForm(VersionedForm):
    """Create or edit a cluster (typology, place, challenges, provenance)."""

    country = CountryCodeField(max_length=2, label=_("Country (ISO code)"))

    class Meta:
        model = Cluster
        fields = [*CLUSTER_FIELDS, *PROVENANCE_FIELDS]
        widgets = {"thematic_challenges": forms.CheckboxSelectMultiple}
        help_texts = {
            "thematic_challenges": _(
                "Leave empty on a new cluster to use the challenges suggested by its product."
            )
        }

    industry_codes = forms.CharField(
        required=False,
        label=_("Industry codes"),
        help_text=_(
            "Classification and code, separated by semicolons, e.g. NAICS2017:336111; NIC2008:13111"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        country = self.instance.country if self.instance.pk else ""
        self.fields["state"] = _region_field(RegionLevel.STATE, country, _("State / province"))
        self.fields["district"] = _region_field(RegionLevel.DISTRICT, country, _("District"))
        if self.instance.pk and not self.is_bound:
            self.initial["industry_codes"] = "; ".join(
                f"{c.classification}:{c.code}" for c in self.instance.industry_codes.all()
            )

    def clean_industry_codes(self) -> list[tuple[str, str]]:
        """Parse and check every code's format for its classification."""
        try:
            pairs = parse_coded_list(self.cleaned_data.get("industry_codes", ""))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        problems = [p for p in (code_error(c, code) for c, code in pairs) if p]
        if problems:
            raise forms.ValidationError(problems)
        return list(dict.fromkeys(pairs))

    def changes(self) -> dict[str, Any]:
        """Model values only; industry codes are saved by ``services.update_cluster``."""
        return {k: v for k, v in super().changes().items() if k != "industry_codes"}

    def clean(self) -> dict[str, Any]:
        """A cluster's state and district must lie in its country (the model cannot say so)."""
        data = super().clean()
        _check_region_country(self, data, ("state", "district"))
        return data


class OrganisationForm(VersionedForm):
    """Edit an organisation; managers of a cluster organisation use it for their profile."""

    country = CountryCodeField(max_length=2, required=False, label=_("Country (ISO code)"))
    website = forms.URLField(required=False, assume_scheme="https", label=_("Website"))

    class Meta:
        model = Organisation
        fields = [*ORGANISATION_FIELDS, *PROVENANCE_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        country = self.instance.country if self.instance.pk else ""
        self.fields["state"] = _region_field(RegionLevel.STATE, country, _("State / province"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_region_country(self, data, ("state",))
        return data


def _check_region_country(form: forms.Form, data: dict[str, Any], names: tuple[str, ...]) -> None:
    country = data.get("country")
    for name in names:
        region = data.get(name)
        if region is not None and country and region.country != country:
            form.add_error(
                name,
                _("%(region)s is not in %(country)s")
                % {"region": region.name, "country": country_name(country)},
            )


class OrganisationProfileForm(forms.ModelForm):
    """The profile part of an organisation's edit page (members, team, sectors, labels)."""

    sectors = ListField(required=False, help_text=_("Separate items with semicolons"))
    technologies = ListField(required=False, help_text=_("Separate items with semicolons"))
    value_chains = ListField(required=False, help_text=_("Separate items with semicolons"))
    labels = ListField(required=False, help_text=_("Separate items with semicolons"))

    class Meta:
        model = OrganisationProfile
        fields = list(PROFILE_FIELDS)


class SchemeForm(VersionedForm):
    """Edit a scheme or programme."""

    country = CountryCodeField(max_length=2, aggregates=True, label=_("Country (ISO code or EU)"))
    focus_areas = ListField(required=False, help_text=_("Separate items with semicolons"))
    url = forms.URLField(required=False, assume_scheme="https", label=_("Website"))

    class Meta:
        model = Scheme
        fields = [*SCHEME_FIELDS, *PROVENANCE_FIELDS]
        widgets = {"clusters": forms.SelectMultiple(attrs={"size": 10})}


class KeyFigureForm(forms.ModelForm):
    """A new dated observation of a key figure (earlier observations stay as they are)."""

    class Meta:
        model = KeyFigure
        fields = list(KEY_FIGURE_FIELDS)
        widgets = {"as_of": forms.DateInput(attrs={"type": "date"})}

    def clean_value(self) -> Any:
        value = self.cleaned_data["value"]
        if value is not None and value < 0:
            raise forms.ValidationError(_("A key figure cannot be negative."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("year") and not data.get("as_of"):
            raise forms.ValidationError(_("Give the year or the date the figure refers to."))
        return data


class StakeholderLinkForm(forms.Form):
    """Link an organisation to a cluster in a role (by slug or exact name: the registry may hold
    tens of thousands of organisations, too many for a drop-down)."""

    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        help_text=_("Its slug (shown in its address) or its exact name."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=LinkRole.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_organisation(self) -> Organisation:
        from clusterobs.registry.links import find_organisation

        return find_organisation(self.cleaned_data["organisation"])  # its errors are form errors

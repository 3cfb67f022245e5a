"""Web forms of the collaboration pages (input validation only; writes go through services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from clusterobs.collaboration.vocabularies import EventKind
from clusterobs.regions.countries import is_known_country

DATE = forms.DateInput(attrs={"type": "date"})


class EventForm(forms.Form):
    """A new matchmaking event; the organiser is named by slug or exact name."""

    name = forms.CharField(max_length=300)
    kind = forms.ChoiceField(choices=EventKind.choices)
    organiser = forms.CharField(
        max_length=200, required=False, help_text="Slug or exact name of the organising body"
    )
    place = forms.CharField(max_length=200, required=False)
    country = forms.CharField(max_length=2, required=False, help_text="ISO 3166-1 alpha-2")
    starts_on = forms.DateField(widget=DATE)
    ends_on = forms.DateField(widget=DATE)
    description = forms.CharField(widget=forms.Textarea, required=False)
    registration_open = forms.BooleanField(required=False, initial=True)

    def clean_organiser(self) -> Any:
        from clusterobs.registry.links import find_organisation

        text = self.cleaned_data["organiser"].strip()
        return find_organisation(text) if text else None  # its errors are form errors

    def clean_country(self) -> str:
        country = self.cleaned_data["country"].strip().upper()
        if country and not is_known_country(country):
            raise forms.ValidationError(f"{country!r} is not an ISO 3166-1 alpha-2 country code")
        return country

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "The event cannot end before it starts.")
        return data


class SlotsForm(forms.Form):
    """Consecutive bilateral-meeting slots of equal length."""

    first = forms.DateTimeField(
        label="First slot starts",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    count = forms.IntegerField(min_value=1, max_value=96, initial=8)
    minutes = forms.IntegerField(min_value=5, max_value=240, initial=30)

    def __init__(self, *args: Any, event: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.event = event

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, count, minutes = data.get("first"), data.get("count"), data.get("minutes")
        if self.event is not None and first and count and minutes:
            last_end = first + dt.timedelta(minutes=count * minutes)
            if first.date() < self.event.starts_on or last_end.date() > self.event.ends_on:
                raise forms.ValidationError("The slots must fall within the event's dates.")
        return data


class ListField(forms.CharField):
    """Comma- or line-separated values, as a list of stripped, non-empty strings."""

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return [x.strip() for x in text.replace("\n", ",").split(",") if x.strip()]


class CountryListField(ListField):
    """ISO 3166-1 alpha-2 codes, separated as in :class:`ListField`, upper-cased and checked."""

    def clean(self, value: Any) -> list[str]:
        countries = [c.upper() for c in super().clean(value)]
        unknown = [c for c in countries if not is_known_country(c)]
        if unknown:
            raise forms.ValidationError(f"not ISO 3166-1 alpha-2 country codes: {unknown}")
        return countries


class PartnerRequestForm(forms.Form):
    """A new partner search. Who may post for the organisation is the service's rule
    (a non-manager gets 403, not a form error); the form checks types and names the field."""

    organisation = forms.ModelChoiceField(queryset=None, to_field_name="slug")
    title = forms.CharField(max_length=300)
    description = forms.CharField(required=False)
    partner_kinds = forms.MultipleChoiceField(required=False, choices=())
    sector_codes = ListField(required=False)
    technologies = ListField(required=False)
    countries = CountryListField(required=False)
    deadline = forms.DateField(required=False, widget=DATE)
    visibility = forms.ChoiceField(choices=())
    audience = forms.ModelMultipleChoiceField(queryset=None, to_field_name="slug", required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        from clusterobs.collaboration.vocabularies import Visibility
        from clusterobs.registry.models import Organisation
        from clusterobs.registry.vocabularies import OrganisationKind

        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organisation"].queryset = Organisation.objects.all()
        fields["audience"].queryset = Organisation.objects.filter(published=True)
        fields["partner_kinds"].choices = OrganisationKind.choices
        fields["visibility"].choices = Visibility.choices
        fields["visibility"].initial = Visibility.PUBLIC


class VerificationRequestForm(forms.Form):
    """The figures a verification request states; blank ones come from the registry profile."""

    management_fte = forms.DecimalField(required=False, min_value=0, max_digits=7, decimal_places=2)
    website = forms.URLField(required=False, assume_scheme="https")
    website_shows_activity = forms.BooleanField(required=False)
    committed_members = forms.IntegerField(required=False, min_value=0)
    member_types = forms.MultipleChoiceField(
        required=False,
        choices=[(t, t) for t in ("sme", "large", "research", "public", "other")],
    )
    recognised_by = forms.CharField(required=False, max_length=300)
    evidence = forms.CharField(required=False)


def form_errors(form: forms.Form) -> list[str]:
    """Each error of a bound, invalid form as one line naming its field."""
    return [
        str(error) if field == "__all__" else f"{field}: {error}"
        for field, errors in form.errors.items()
        for error in errors
    ]


class ProfileEditForm(forms.Form):
    """A collaboration profile's text: offers and needs per category (one field each, as the
    page shows them), target countries, languages and fields; ``version`` guards against two
    editors overwriting each other (checked by the service)."""

    summary = forms.CharField(required=False)
    target_countries = CountryListField(required=False)
    languages = ListField(required=False)
    emerging_fields = ListField(required=False)
    past_cooperation = forms.CharField(required=False)
    version = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any):
        from clusterobs.collaboration.vocabularies import OfferCategory

        super().__init__(*args, **kwargs)
        self.categories = list(OfferCategory.values)
        for category in self.categories:
            self.fields[f"offers_{category}"] = ListField(required=False)
            self.fields[f"needs_{category}"] = ListField(required=False)

    def changes(self) -> dict[str, Any]:
        """The profile fields to write, in the service's shape."""
        data = self.cleaned_data
        return {
            "summary": data["summary"],
            "offers": {c: data[f"offers_{c}"] for c in self.categories},
            "needs": {c: data[f"needs_{c}"] for c in self.categories},
            "target_countries": data["target_countries"],
            "languages": data["languages"],
            "emerging_fields": data["emerging_fields"],
            "past_cooperation": data["past_cooperation"],
        }

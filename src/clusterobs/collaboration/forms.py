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

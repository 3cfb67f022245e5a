"""The Kd upload form of the spatial pages (same fields as the API's KdUploadSerializer)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class KdUploadForm(forms.Form):
    points = forms.FileField(label=_("Point file"), help_text=_("CSV, CSV.gz or Parquet"))
    industry = forms.CharField(label=_("Industry code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=61)
    industry_column = forms.CharField(label=_("Industry column"), initial="industry")
    lon_column = forms.CharField(label=_("Longitude column"), initial="longitude")
    lat_column = forms.CharField(label=_("Latitude column"), initial="latitude")
    weight_column = forms.CharField(label=_("Weight column (optional)"), required=False)
    simulations = forms.IntegerField(label=_("Simulations"), initial=99, min_value=1, max_value=999)
    r_max = forms.FloatField(label=_("Largest distance (km)"), initial=200.0, min_value=0.001)
    r_step = forms.FloatField(label=_("Distance step (km)"), initial=1.0, min_value=0.001)
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=[("exact", _("exact")), ("binned", _("binned (approximation)"))],
        initial="exact",
    )
    seed = forms.IntegerField(label=_("Seed"), initial=20_261_122)

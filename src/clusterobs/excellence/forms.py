"""Forms of the excellence pages (validation only; the writes are in assessments/lifecycle)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterobs.excellence.models import Assessment, Assessor, Framework, LabelLevel
from clusterobs.registry.models import Organisation


class StartForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), to_field_name="slug", label=_("Organisation")
    )
    framework = forms.ModelChoiceField(
        queryset=Framework.objects.filter(active=True), label=_("Framework")
    )
    year = forms.IntegerField(min_value=2000, max_value=2100, label=_("Year"))

    def __init__(self, *args, organisations=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations or Organisation.objects.none()
        self.fields["year"].initial = timezone.localdate().year


class ApplyForm(forms.Form):
    level = forms.ModelChoiceField(queryset=LabelLevel.objects.all(), label=_("Label level"))
    assessment = forms.ModelChoiceField(
        queryset=Assessment.objects.none(), required=False, label=_("Assessment")
    )
    competitors = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.filter(published=True),
        required=False,
        label=_("Competitors (their staff may not assess you)"),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = Assessment.objects.filter(
            organisation=organisation, status="submitted"
        )
        self.fields["competitors"].queryset = Organisation.objects.filter(published=True).exclude(
            pk=organisation.pk
        )


class AssignForm(forms.Form):
    assessor = forms.ModelChoiceField(
        queryset=Assessor.objects.filter(active=True).select_related("user"),
        label=_("Assessor"),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("award", _("Award the label")), ("refuse", _("Refuse"))], label=_("Decision")
    )
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Reasons"))


class ScoreForm(forms.Form):
    indicator = forms.CharField(widget=forms.HiddenInput)
    score = forms.DecimalField(min_value=0, max_value=100, decimal_places=2, label=_("Score (%)"))
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Note")
    )
    evidence = forms.FileField(required=False, label=_("Evidence"))


class LabelImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    source = forms.CharField(max_length=300, label=_("Source (who awarded these labels)"))


class RegistryFilterForm(forms.Form):
    level = forms.ChoiceField(required=False, label=_("Level"))
    country = forms.CharField(required=False, max_length=2, label=_("Country (ISO code)"))
    q = forms.CharField(required=False, label=_("Name or number"))
    expired = forms.BooleanField(required=False, label=_("Include expired labels"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", _("Any"))] + [
            (lv.key, lv.name) for lv in LabelLevel.objects.all()
        ]


def this_year() -> int:
    return dt.date.today().year

"""Web forms of the programmes pages (validation of input only; writes go through services)."""

from __future__ import annotations

from django import forms

from clusterobs.programmes.models import Indicator, LifecycleStage
from clusterobs.programmes.rules.engine import UNITS
from clusterobs.programmes.vocabularies import DocumentKind, ResultLevel
from clusterobs.registry.models import Cluster, Organisation, Scheme

DATE = forms.DateInput(attrs={"type": "date"})
UNIT_CHOICES = [(u, u) for u in UNITS]


class InitiativeForm(forms.Form):
    name = forms.CharField(max_length=300)
    cluster = forms.ModelChoiceField(Cluster.objects.all())
    scheme = forms.ModelChoiceField(Scheme.objects.all(), required=False)
    implementing_agency = forms.ModelChoiceField(Organisation.objects.all(), required=False)
    funding_agencies = forms.ModelMultipleChoiceField(Organisation.objects.all(), required=False)
    cluster_development_agent = forms.CharField(max_length=200, required=False)
    start_date = forms.DateField(required=False, widget=DATE)
    end_date = forms.DateField(required=False, widget=DATE)
    budget = forms.DecimalField(required=False, min_value=0, max_digits=16, decimal_places=4)
    budget_unit = forms.ChoiceField(choices=UNIT_CHOICES, initial="lakh")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    published = forms.BooleanField(required=False, initial=True)


class StageForm(forms.Form):
    stage = forms.ModelChoiceField(LifecycleStage.objects.all(), to_field_name="key")
    reached_on = forms.DateField(widget=DATE)
    note = forms.CharField(required=False, max_length=2000)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(choices=DocumentKind.choices)
    title = forms.CharField(max_length=300)
    file = forms.FileField()
    document_date = forms.DateField(required=False, widget=DATE)
    author = forms.CharField(max_length=300, required=False)


class ApplicationForm(forms.Form):
    component = forms.CharField(max_length=80, help_text="Component key, e.g. cfc")
    proposed_cost = forms.DecimalField(min_value=0, max_digits=16, decimal_places=4)
    unit = forms.ChoiceField(choices=UNIT_CHOICES, initial="lakh")
    grant_requested = forms.DecimalField(required=False, max_digits=16, decimal_places=4)
    reference = forms.CharField(max_length=100, required=False)
    submitted_on = forms.DateField(widget=DATE)


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=[])
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=2000)
    grant_sanctioned = forms.DecimalField(required=False, max_digits=16, decimal_places=4)
    grant_released = forms.DecimalField(required=False, max_digits=16, decimal_places=4)

    def __init__(self, *args, allowed: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = allowed


class ResultForm(forms.Form):
    level = forms.ChoiceField(choices=ResultLevel.choices)
    description = forms.CharField(max_length=2000)
    assumptions = forms.CharField(max_length=2000, required=False)


class TrackForm(forms.Form):
    indicator = forms.ModelChoiceField(Indicator.objects.all(), to_field_name="key")
    baseline = forms.DecimalField(required=False, max_digits=20, decimal_places=4)
    baseline_date = forms.DateField(required=False, widget=DATE)
    baseline_source = forms.CharField(max_length=300, required=False)
    target = forms.DecimalField(required=False, max_digits=20, decimal_places=4)
    target_date = forms.DateField(required=False, widget=DATE)


class MeasurementForm(forms.Form):
    indicator = forms.ModelChoiceField(Indicator.objects.all(), to_field_name="key")
    measured_on = forms.DateField(widget=DATE)
    value = forms.DecimalField(max_digits=20, decimal_places=4)
    source = forms.CharField(max_length=300)


class UploadForm(forms.Form):
    file = forms.FileField(help_text="CSV, XLSX or JSON")


class EvaluationForm(forms.Form):
    outcome = forms.ChoiceField(choices=[])
    programme_start = forms.IntegerField(min_value=1900, max_value=2200)

    def __init__(self, *args, outcomes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = outcomes


class CalculatorForm(forms.Form):
    """Facts are free key=value lines so any rule set's facts can be entered."""

    scheme = forms.ChoiceField(choices=[])
    on = forms.DateField(required=False, widget=DATE, help_text="Date of the application")
    version = forms.CharField(required=False, help_text="Rule version (overrides the date)")
    unit = forms.ChoiceField(choices=UNIT_CHOICES, initial="lakh")
    costs = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One component per line: key = cost (e.g. cfc = 800)",
    )
    facts = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="One fact per line: name = value (e.g. special_units_percent = 60)",
    )
    organisation = forms.SlugField(
        required=False,
        help_text="Applying organisation's slug: adds the facts the platform holds about it "
        "(e.g. the label levels it holds on the date, for has_label rules)",
    )

    def __init__(self, *args, schemes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].choices = [(s, s) for s in schemes]

    @staticmethod
    def pairs(text: str) -> dict[str, str]:
        out = {}
        for line in text.splitlines():
            if "=" in line:
                key, value = line.split("=", 1)
                out[key.strip()] = value.strip()
            elif line.strip():
                raise forms.ValidationError(f"{line.strip()!r}: write name = value")
        return out

    def clean_costs(self) -> dict[str, str]:
        return self.pairs(self.cleaned_data["costs"])

    def clean_facts(self) -> dict[str, str]:
        return self.pairs(self.cleaned_data.get("facts") or "")


YES_NO = [("", "not answered"), ("yes", "yes"), ("no", "no")]


class SurveyResponseForm(forms.Form):
    """One firm's answers for one year; the question fields come from the survey instrument
    (``data/survey.json``), so a new question needs no code."""

    firm = forms.CharField(max_length=80, help_text="The firm's id in the survey")
    firm_name = forms.CharField(max_length=300, required=False)
    cluster_name = forms.CharField(max_length=300, label="Cluster of the firm")
    in_treated_cluster = forms.BooleanField(required=False, label="Firm is in a treated cluster")
    participant = forms.BooleanField(required=False, label="Firm takes part in the programme")
    year = forms.IntegerField(min_value=1900, max_value=2200)

    def __init__(self, *args, instrument: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = instrument["questions"]
        for q in self.questions:
            label = f"{q['text']} ({q['unit']})"
            if q["type"] == "boolean":
                self.fields[q["key"]] = forms.ChoiceField(
                    choices=YES_NO, required=False, label=label
                )
            else:
                self.fields[q["key"]] = forms.DecimalField(
                    required=False,
                    label=label,
                    min_value=q.get("minimum", 0),
                    max_value=q.get("maximum"),
                    max_digits=20,
                    decimal_places=4,
                )

    def answers(self) -> dict:
        """Question key -> answer (``None`` when not answered)."""
        out = {}
        for q in self.questions:
            value = self.cleaned_data.get(q["key"])
            if q["type"] == "boolean":
                out[q["key"]] = {"yes": True, "no": False}.get(value)
            else:
                out[q["key"]] = value
        return out

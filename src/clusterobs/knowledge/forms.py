"""Forms of the library pages: search, upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterobs.knowledge.vocabularies import DocumentType, Visibility


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(label=_("Files (PDF, DOCX, HTML, Markdown, text)"))
    title = forms.CharField(label=_("Title (one file only)"), max_length=500, required=False)
    doc_type = forms.ChoiceField(label=_("Type"), choices=DocumentType.choices)
    year = forms.IntegerField(label=_("Year"), min_value=1800, max_value=2100, required=False)
    country = forms.CharField(label=_("Country (ISO code)"), max_length=2, required=False)
    authors = forms.CharField(label=_("Authors"), max_length=500, required=False)
    publisher = forms.CharField(label=_("Publisher"), max_length=300, required=False)
    licence = forms.CharField(label=_("Licence"), max_length=200, required=False)
    source_url = forms.URLField(label=_("Source URL"), required=False, assume_scheme="https")
    collection = forms.CharField(label=_("Collection"), max_length=100, required=False)
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=[(Visibility.PUBLIC, _("Public")), (Visibility.EDITORS, _("Editors only"))],
    )

    def metadata(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("files")
        data.pop("collection")
        data["country"] = (data.get("country") or "").upper()
        return {k: v for k, v in data.items() if v not in (None, "")}

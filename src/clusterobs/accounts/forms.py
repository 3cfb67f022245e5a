"""Forms of the onboarding pages (validation of input only; the rules live in ``services``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterobs.registry.links import find_organisation
from clusterobs.registry.models import Organisation
from clusterobs.registry.vocabularies import OrganisationKind


class SignUpForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        label=_("Username"),
        help_text=_("Letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send a link to confirm it; it is never shown to other users."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class ResendForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address you signed up with"))


class ClaimExistingForm(forms.Form):
    organisation = forms.CharField(
        max_length=300,
        label=_("Organisation"),
        help_text=_("Its name as the registry shows it, or the last part of its page address."),
    )
    role = forms.CharField(max_length=200, label=_("Your position in it"))
    evidence = forms.CharField(
        widget=forms.Textarea,
        label=_("How can we check this?"),
        help_text=_("For example a page of the organisation's website that names you."),
    )

    def clean_organisation(self) -> Organisation:
        organisation = find_organisation(self.cleaned_data["organisation"])
        if not organisation.published:  # an unpublished record is not to be found by readers
            raise forms.ValidationError(_("No organisation has this slug or name."))
        return organisation


class ClaimNewForm(forms.Form):
    name = forms.CharField(max_length=300, label=_("Organisation's name"))
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", "—"), *OrganisationKind.choices],
        initial=OrganisationKind.CLUSTER_ORGANISATION,
    )
    country = forms.CharField(
        max_length=2, required=False, label=_("Country"), help_text=_("ISO code, e.g. IN")
    )
    city = forms.CharField(max_length=200, required=False, label=_("City"))
    website = forms.URLField(required=False, assume_scheme="https", label=_("Website"))
    description = forms.CharField(widget=forms.Textarea, required=False, label=_("Description"))
    role = forms.CharField(max_length=200, label=_("Your position in it"))
    evidence = forms.CharField(
        widget=forms.Textarea,
        label=_("How can we check this?"),
        help_text=_("For example a page of the organisation's website that names you."),
    )


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("1", _("Approve")), ("0", _("Reject"))], coerce=lambda v: v == "1"
    )
    reasons = forms.CharField(widget=forms.Textarea, required=False, label=_("Reasons"))

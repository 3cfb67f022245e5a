"""Request bodies of the collaboration API, each validated by a serializer.

Why: reading ``request.data.get(...)`` by hand turned ``{"accept": "false"}`` into consent
(``bool("false")`` is true), a JSON list body into a 500 and ``languages: "en"`` into
``["e", "n"]``. A serializer parses booleans strictly, refuses wrong types with a 400 naming the
field, and documents the body in the OpenAPI schema.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from clusterobs.collaboration.vocabularies import OfferCategory
from clusterobs.registry.models import Organisation


class RespondBody(serializers.Serializer):
    """``accept``: true consents to the contact, false declines it (``"false"``, ``0`` too)."""

    accept = serializers.BooleanField(required=True)


class InterestBody(serializers.Serializer):
    sender = serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects.all())
    message = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class MessageBody(serializers.Serializer):
    body = serializers.CharField(max_length=10000)


class EraseBody(serializers.Serializer):
    delete_account = serializers.BooleanField(required=False, default=False)


class OffersField(serializers.DictField):
    """``{category: [phrase, ...]}`` with categories from :class:`OfferCategory`."""

    child = serializers.ListField(child=serializers.CharField(max_length=200))

    def to_internal_value(self, data: Any) -> dict[str, list[str]]:
        value = super().to_internal_value(data)
        unknown = set(value) - set(OfferCategory.values)
        if unknown:
            raise serializers.ValidationError(
                f"unknown categories {sorted(unknown)}; use {sorted(OfferCategory.values)}"
            )
        return value


class ProfileUpdateBody(serializers.Serializer):
    """A profile edit: ``version`` (the one you read) plus the fields that change."""

    version = serializers.IntegerField(min_value=1)
    summary = serializers.CharField(required=False, allow_blank=True)
    offers = OffersField(required=False)
    needs = OffersField(required=False)
    target_countries = serializers.ListField(
        required=False, child=serializers.RegexField(r"^[A-Za-z]{2}$")
    )
    languages = serializers.ListField(
        required=False, child=serializers.RegexField(r"^[A-Za-z]{2,3}$")
    )
    emerging_fields = serializers.ListField(
        required=False, child=serializers.CharField(max_length=200)
    )
    past_cooperation = serializers.CharField(required=False, allow_blank=True)
    published = serializers.BooleanField(required=False)
    member_of = serializers.SlugRelatedField(
        required=False, allow_null=True, slug_field="slug", queryset=Organisation.objects.all()
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError({name: "not a profile field" for name in unknown})
        return attrs


def validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    """The body's validated data, or a 400 naming each wrong field."""
    if not isinstance(data, dict):
        raise serializers.ValidationError({"non_field_errors": ["send a JSON object"]})
    body = serializer_class(data=data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)

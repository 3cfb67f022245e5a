"""One validation point for text: no stored field may hold a character XML or PostgreSQL refuses.

Why: one ``\\u0001`` accepted through the API made every later ``clusterobs backup`` fail (Django's
XML serializer refuses it, and the history row kept it after the field was cleaned); a NUL broke
PostgreSQL writes with a traceback. Rather than a check per form and serializer, every text field
of every model gets :func:`no_forbidden_characters` as a validator when the apps are ready. Model
forms and DRF model serializers run model validators, so a form or API call gets a 400 naming the
field. A ``pre_save`` signal checks every text and JSON value again, so a service that saves
without validating cannot store one either (its ``ValidationError`` becomes a 400 through
:mod:`clusterobs.web.guards`). Bulk imports check each cell in the guarded reader
(:func:`clusterobs.imports.guards.check_cell`).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _

from clusterobs.imports.guards import FORBIDDEN

MESSAGE = _("Control character U+%(code)s cannot be stored; remove it.")


def no_forbidden_characters(value: Any) -> None:
    """Validator: refuse text holding a character outside XML 1.0 / PostgreSQL text."""
    bad = first_forbidden(value)
    if bad is not None:
        raise ValidationError(MESSAGE, code="control_character", params={"code": bad})


def first_forbidden(value: Any) -> str | None:
    """Hex code of the first forbidden character in ``value`` (strings inside JSON too)."""
    if isinstance(value, str):
        match = FORBIDDEN.search(value)
        return f"{ord(match.group()):04X}" if match else None
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list | tuple):
        for item in value:
            found = first_forbidden(item)
            if found:
                return found
    return None


def _text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    ]


def install() -> None:
    """Give every text field of every installed model the validator; guard every save."""
    for model in apps.get_models(include_auto_created=True):
        for field in _text_fields(model):
            # Into the cached ``validators`` list that forms, serializers and ``full_clean``
            # run, not into ``_validators``: that one is part of the field's deconstruction,
            # so every model (Django's own included) would seem changed to makemigrations.
            if no_forbidden_characters not in field.validators:
                field.__dict__["validators"] = [*field.validators, no_forbidden_characters]
    pre_save.connect(_refuse_forbidden, dispatch_uid="clusterobs.text_guard")


def _refuse_forbidden(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    errors = {}
    for field in _text_fields(sender):
        bad = first_forbidden(getattr(instance, field.attname, None))
        if bad is not None:
            errors[field.name] = ValidationError(MESSAGE, params={"code": bad})
    if errors:
        raise ValidationError(errors)

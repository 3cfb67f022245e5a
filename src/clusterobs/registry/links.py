"""Stakeholder links: which organisation plays which role in a cluster.

Kept apart from ``services`` because links are edited on their own page: adding or removing one
does not rewrite the cluster record (no version bump, no conflict with someone editing the
cluster's fields), while the link's own history (django-simple-history) records who did what.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from clusterobs.registry.models import Cluster, ClusterLink, Organisation
from clusterobs.registry.services import UserLike
from clusterobs.registry.vocabularies import LinkRole


def find_organisation(text: str) -> Organisation:
    """The organisation whose slug is ``text``, else whose name is ``text`` (ignoring case).

    A name shared by several organisations is refused with their slugs, never guessed.
    """
    text = text.strip()
    if not text:
        raise ValidationError(_("Name or slug of an organisation is required."))
    by_slug = Organisation.objects.filter(slug=text).first()
    if by_slug is not None:
        return by_slug
    named = list(Organisation.objects.filter(name__iexact=text).order_by("slug")[:6])
    if len(named) == 1:
        return named[0]
    if not named:
        raise ValidationError(_("No organisation has the slug or name %(text)r.") % {"text": text})
    raise ValidationError(
        _("Several organisations are named %(text)r; use one of the slugs: %(slugs)s.")
        % {"text": text, "slugs": ", ".join(o.slug for o in named)}
    )


def add_link(
    cluster: Cluster, *, organisation: Organisation, role: str, note: str, user: UserLike
) -> ClusterLink:
    """Link ``organisation`` to ``cluster`` in ``role``; the same link twice is an error."""
    if role not in LinkRole.values:
        raise ValidationError({"role": _("Unknown role %(role)r.") % {"role": role}})
    link = ClusterLink(cluster=cluster, organisation=organisation, role=role, note=note.strip())
    link._history_user = user if getattr(user, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("%(org)s is already linked to this cluster as %(role)s.")
            % {"org": organisation.name, "role": link.get_role_display()}
        ) from exc
    return link


def remove_link(link: ClusterLink, *, user: UserLike) -> None:
    """Delete one link; its history keeps the removal and who made it."""
    link._history_user = user if getattr(user, "is_authenticated", False) else None
    link.delete()

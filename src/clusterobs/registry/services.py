"""Writes to the registry: creation, updates with conflict detection, links.

Typed functions (HackSoft style): the record a function changes is its one positional argument,
everything else is keyword-only. Views, API, importers and the other apps call these and hold
no business logic of their own; ``update_record`` is the one versioned update they share.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models, transaction
from django.utils.text import slugify

from clusterobs.registry.models import (
    Cluster,
    ClusterIndustryCode,
    KeyFigure,
    Organisation,
    OrganisationProfile,
    RegistryRecord,
    ThematicChallenge,
)
from clusterobs.registry.typology import suggest_challenges

M = TypeVar("M", bound=RegistryRecord)
#: A model with a ``version`` (and ``updated_by``) column: anything ``update_record`` may save.
V = TypeVar("V", bound=models.Model)
UserLike = AbstractBaseUser | AnonymousUser | None


class ConflictError(Exception):
    """Someone else changed the record since it was read: the edit would overwrite theirs."""

    def __init__(self, instance: models.Model, expected: int, current: int):
        self.instance = instance
        self.expected_version = expected
        self.current_version = current
        super().__init__(
            f"{instance} was changed by someone else (you edited version {expected}, "
            f"it is now version {current}). Reload it and apply your change again."
        )


def acting_user(user: UserLike) -> AbstractBaseUser | None:
    """The user a change is recorded against (``None`` for anonymous or system changes)."""
    return user if user is not None and user.is_authenticated else None


def unique_slug(model: type[models.Model], text: str, *, exclude_pk: int | None = None) -> str:
    """A slug from ``text`` that no other row of ``model`` uses (suffix -2, -3 ... if needed)."""
    base = slugify(text)[:300] or "record"
    slug, n = base, 1
    others = model.objects.all()
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    while others.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def challenge_table() -> dict[str, list[str]]:
    return {c.key: list(c.products) for c in ThematicChallenge.objects.all()}


def suggested_challenges_for(product: str) -> list[str]:
    """Thematic challenge keys suggested by seed 000 Table 1 for a product."""
    return suggest_challenges(product, challenge_table())


def create_record(model: type[M], /, *, user: UserLike, **fields: Any) -> M:
    """Create a registry record with a unique slug, authorship and validation."""
    if "slug" in {f.name for f in model._meta.fields} and not fields.get("slug"):
        fields["slug"] = unique_slug(model, fields.get("name", ""))
    instance = model(**fields, created_by=acting_user(user), updated_by=acting_user(user))
    instance._history_user = acting_user(user)  # recorded by django-simple-history
    instance.full_clean()
    instance.save()
    return instance


def create_cluster(
    *, user: UserLike, thematic_challenges: list[str] | None = None, **fields: Any
) -> Cluster:
    """Create a cluster; without explicit challenges, those suggested by its product are set."""
    with transaction.atomic():
        cluster = create_record(Cluster, user=user, **fields)
        keys = (
            thematic_challenges
            if thematic_challenges is not None
            else suggested_challenges_for(cluster.product)
        )
        cluster.thematic_challenges.set(ThematicChallenge.objects.filter(key__in=keys))
    return cluster


def lock_version(instance: V, expected_version: int) -> V:
    """The current row of ``instance``, locked until the transaction ends, if it is still at
    ``expected_version``; else :class:`ConflictError`. Call inside ``transaction.atomic``."""
    current = type(instance).objects.select_for_update().get(pk=instance.pk)
    if current.version != expected_version:
        raise ConflictError(current, expected_version, current.version)
    return current


def update_record(
    instance: V, /, *, user: UserLike, expected_version: int, changes: dict[str, Any]
) -> V:
    """Apply ``changes`` if nobody changed the record since ``expected_version`` was read.

    The one versioned update of the platform: registry records, programme initiatives and
    collaboration agreements all save through it (any model with ``version`` and
    ``updated_by``). Many-to-many fields in ``changes`` are set after the row is saved.

    The row is locked (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite serialises writers) so two
    concurrent saves cannot both pass the version check: the second gets a
    :class:`ConflictError` instead of silently overwriting the first.
    """
    model = type(instance)
    many_to_many = {k: changes.pop(k) for k in list(changes) if _is_m2m(model, k)}
    with transaction.atomic():
        current = lock_version(instance, expected_version)
        for field, value in changes.items():
            setattr(current, field, value)
        current.version += 1
        current.updated_by = acting_user(user)
        current._history_user = acting_user(user)
        current.full_clean()
        current.save()
        for field, values in many_to_many.items():
            getattr(current, field).set(values)
    return current


def _is_m2m(model: type[models.Model], name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except Exception:
        return False
    return field.many_to_many and not field.auto_created


def delete_record(instance: models.Model, /, *, user: UserLike) -> None:
    """Delete a record, its history entry naming who deleted it."""
    with transaction.atomic():
        instance._history_user = acting_user(user)  # type: ignore[attr-defined]
        instance.delete()


def update_organisation_with_profile(
    organisation: Organisation,
    /,
    *,
    user: UserLike,
    expected_version: int,
    changes: dict[str, Any],
    profile_changes: dict[str, Any],
) -> Organisation:
    """Update an organisation and its profile atomically behind the organisation's version.

    The profile has no version of its own, so a stale page changes neither the organisation
    nor its profile (raises :class:`ConflictError`).
    """
    with transaction.atomic():
        updated = update_record(
            organisation, user=user, expected_version=expected_version, changes=changes
        )
        profile, _ = OrganisationProfile.objects.get_or_create(organisation=updated)
        for field, value in profile_changes.items():
            setattr(profile, field, value)
        profile.full_clean()
        profile.save()
    return updated


def set_industry_codes(cluster: Cluster, /, *, codes: list[tuple[str, str]]) -> None:
    """Make ``codes`` (classification, code) the cluster's industry codes, keeping titles."""
    with transaction.atomic():
        wanted = set(codes)
        for existing in cluster.industry_codes.all():
            key = (existing.classification, existing.code)
            if key in wanted:
                wanted.discard(key)
            else:
                existing.delete()
        for classification, code in sorted(wanted):
            ClusterIndustryCode.objects.create(
                cluster=cluster, classification=classification, code=code
            )


def update_cluster(
    cluster: Cluster,
    /,
    *,
    user: UserLike,
    expected_version: int,
    changes: dict[str, Any],
    industry_codes: list[tuple[str, str]] | None = None,
) -> Cluster:
    """Update a cluster and, if given, its industry codes, in one versioned change."""
    with transaction.atomic():
        updated = update_record(
            cluster, user=user, expected_version=expected_version, changes=changes
        )
        if industry_codes is not None:
            set_industry_codes(updated, codes=industry_codes)
    return updated


def add_industry_codes(cluster: Cluster, /, *, codes: list[tuple[str, str]]) -> int:
    """Add ``codes`` (classification, code) the cluster does not carry yet; return how many.

    Each code is validated (format of its classification) like any other record."""
    added = 0
    with transaction.atomic():
        for classification, code in codes:
            if cluster.industry_codes.filter(classification=classification, code=code).exists():
                continue
            row = ClusterIndustryCode(cluster=cluster, classification=classification, code=code)
            row.full_clean()
            row.save()
            added += 1
    return added


def add_key_figure(cluster: Cluster, /, *, user: UserLike, **fields: Any) -> KeyFigure:
    """Record a new dated observation of a cluster's key figure (never overwrites one)."""
    figure = KeyFigure(cluster=cluster, **fields)
    figure._history_user = acting_user(user)
    figure.full_clean()
    figure.save()
    return figure

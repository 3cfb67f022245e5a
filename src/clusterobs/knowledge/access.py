"""Who finds what in the library: the record's visibility decides, with the programmes' rules.

* editors and admins read and manage everything (import, link, case studies);
* a document imported from a programme initiative (visibility ``initiative``) is found only by
  those who read that initiative in full (``programmes.permissions.full``): its implementing
  agency, its funders, editors; the programmes app shows no one else its documents either;
* ``editors`` documents are found by editors only; ``public`` ones by everyone.

Case studies: published public ones for everyone, and any case study (drafts included) of an
initiative the user reads in full.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from clusterobs.knowledge.vocabularies import CaseStudyStatus, Visibility
from clusterobs.programmes import permissions as programme_permissions
from clusterobs.registry.permissions import is_editor

UserLike = User | AnonymousUser


def can_manage(user: UserLike) -> bool:
    """Import documents, confirm links, write case studies: editors and admins."""
    return is_editor(user)


def _readable_initiatives(user: UserLike) -> QuerySet:
    from clusterobs.programmes.models import ClusterInitiative

    return programme_permissions.full(ClusterInitiative.objects.all(), user).values("pk")


def visible_documents(qs: QuerySet, user: UserLike) -> QuerySet:
    """The documents of ``qs`` that ``user`` may find and open."""
    if is_editor(user):
        return qs
    condition = Q(visibility=Visibility.PUBLIC)
    if user.is_authenticated:
        condition |= Q(visibility=Visibility.INITIATIVE, initiative__in=_readable_initiatives(user))
    return qs.filter(condition)


def can_read_document(user: UserLike, document: Any) -> bool:
    return visible_documents(type(document).objects.filter(pk=document.pk), user).exists()


def visible_case_studies(qs: QuerySet, user: UserLike) -> QuerySet:
    """The case studies of ``qs`` that ``user`` may read."""
    if is_editor(user):
        return qs
    condition = Q(status=CaseStudyStatus.PUBLISHED, visibility=Visibility.PUBLIC)
    if user.is_authenticated:
        condition |= Q(initiative__in=_readable_initiatives(user))
    return qs.filter(condition)

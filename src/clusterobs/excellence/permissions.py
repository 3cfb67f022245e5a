"""Who may do what with assessments, applications and labels (one place, tested per role).

* manager: a manager of the organisation (``Organisation.managers``) fills in its assessments,
  sees its reports and applies for labels;
* assessor: an active :class:`~clusterobs.excellence.models.Assessor` sees and scores only the
  applications assigned to them;
* label admin: member of the ``Label admins`` group (or a superuser) accepts applications,
  assigns assessors, decides, imports labels awarded elsewhere;
* public: the label registry and verification pages and API.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from clusterobs.excellence.models import Application, Assessment
from clusterobs.registry.models import Organisation

LABEL_ADMINS_GROUP = "Label admins"
UserLike = User | AnonymousUser


def is_label_admin(user: UserLike) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=LABEL_ADMINS_GROUP).exists()


def manages(user: UserLike, organisation: Organisation) -> bool:
    return user.is_authenticated and organisation.managers.filter(pk=user.pk).exists()


def assessor_of(user: UserLike, application: Application) -> bool:
    return (
        user.is_authenticated
        and application.assignments.filter(assessor__user=user, assessor__active=True).exists()
    )


def can_edit_assessment(user: UserLike, assessment: Assessment) -> bool:
    return manages(user, assessment.organisation)


def can_see_assessment(user: UserLike, assessment: Assessment) -> bool:
    """Individual answers: the organisation's managers, label admins, and the assessors of an
    application that uses the assessment. Nobody else ever sees them."""
    if manages(user, assessment.organisation) or is_label_admin(user):
        return True
    return (
        user.is_authenticated
        and assessment.applications.filter(assignments__assessor__user=user).exists()
    )


def can_see_application(user: UserLike, application: Application) -> bool:
    return (
        is_label_admin(user)
        or manages(user, application.organisation)
        or assessor_of(user, application)
    )

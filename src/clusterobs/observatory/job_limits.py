"""How many background jobs may wait or run at once: per user and for the whole site.

Why: any signed-in viewer could queue custom-cluster recomputations without limit (4 took 13 s
of worker CPU and slowed the dashboards sevenfold). Every job is created through
:func:`new_job`, which refuses one more with :class:`TooManyJobsError` (answered 429 with
``Retry-After`` by the API and the pages, :mod:`clusterobs.web.guards`). Limits come from
``settings.JOBS_PER_USER`` and ``settings.JOBS_GLOBAL`` (``CLUSTEROBS_JOBS_*``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from clusterobs.observatory.models import Job

ACTIVE = (Job.Status.QUEUED, Job.Status.RUNNING)
RETRY_AFTER_SECONDS = 30


class TooManyJobsError(Exception):
    """One more job would pass the per-user or the global limit."""

    retry_after = RETRY_AFTER_SECONDS


def check_capacity(owner: AbstractBaseUser) -> None:
    """Raise :class:`TooManyJobsError` when ``owner`` may not start another job now."""
    active = Job.objects.filter(status__in=ACTIVE)
    mine = active.filter(owner=owner).count()
    if mine >= settings.JOBS_PER_USER:
        raise TooManyJobsError(
            _(
                "You already have %(n)d computations waiting or running (at most %(limit)d). "
                "Wait for one to finish, then try again."
            )
            % {"n": mine, "limit": settings.JOBS_PER_USER}
        )
    if active.count() >= settings.JOBS_GLOBAL:
        raise TooManyJobsError(
            _("The server is busy with %(limit)d computations. Try again in a minute.")
            % {"limit": settings.JOBS_GLOBAL}
        )


def new_job(*, owner: AbstractBaseUser, **fields: Any) -> Job:
    """Create a queued job if the limits allow it (checked and created in one transaction)."""
    with transaction.atomic():
        check_capacity(owner)
        return Job.objects.create(owner=owner, **fields)

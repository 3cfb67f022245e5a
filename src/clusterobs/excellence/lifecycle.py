"""Writes of the label lifecycle: apply, check eligibility, accept, assign assessors (the
national/foreign rule and conflicts of interest), score, decide, award, remind before expiry.

Dates: a label awarded on ``A`` for ``N`` years *expires on* the same calendar day ``N`` years
later (29 February -> 1 March) and is valid on the days ``A <= day < expiry``. A renewal
decided before the old label expires starts on the old expiry date, so validity is continuous.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterobs.collaboration.models import CollaborationProfile
from clusterobs.collaboration.services.notifications import notify
from clusterobs.excellence import permissions
from clusterobs.excellence.models import (
    Application,
    ApplicationStatus,
    Assessment,
    AssessmentStatus,
    Assessor,
    AssessorRole,
    Assignment,
    Label,
    LabelLevel,
    Reminder,
    Score,
)
from clusterobs.registry.models import Organisation


class LifecycleError(ValueError):
    """The step is not allowed in the application's state; the message says why."""


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return dt.date(day.year + years, 3, 1)


def _managers(org: Organisation) -> list:
    return list(org.managers.all())


# --- application and eligibility ----------------------------------------------------------------


def _eligibility(app: Application, today: dt.date) -> list[dict]:
    """Each eligibility rule of the level with whether it holds and why."""
    org, checks = app.organisation, []
    for rule in app.level.eligibility:
        name, _sep, arg = rule.partition(":")
        if name == "cluster_organisation":
            ok = org.kind == "cluster_organisation"
            detail = _("organisation type: %s") % org.get_kind_display()
        elif name == "verified_profile":
            ok = CollaborationProfile.objects.filter(
                organisation=org, initiative=None, verified=True
            ).exists()
            detail = _("verified collaboration profile") if ok else _("no verified profile")
        elif name == "submitted_assessment":
            a = app.assessment
            ok = bool(
                a
                and a.organisation_id == org.pk
                and a.status == AssessmentStatus.SUBMITTED
                and a.framework.key == app.level.framework.key
                and a.submitted_at
                and (today - a.submitted_at.date()).days <= 365
            )
            detail = (
                _("assessment %(y)s submitted") % {"y": a.year}
                if ok
                else _("needs a %(f)s assessment submitted within a year")
                % {"f": app.level.framework.title}
            )
        elif name == "held_level":
            level = LabelLevel.objects.get(key=arg)
            since = today - dt.timedelta(days=level.renewal_window_days)
            ok = Label.objects.filter(
                organisation=org, level__key=arg, expires_on__gt=since, revoked_on=None
            ).exists()
            detail = _("holds or recently held a %s") % level.name
        else:
            ok, detail = False, _("unknown rule %s") % rule
        checks.append({"rule": rule, "ok": ok, "detail": detail})
    return checks


def renewal_target(org: Organisation, level: LabelLevel, today: dt.date) -> Label | None:
    """The label of the same level this application renews: one expiring within the renewal
    window from now, or one that expired less than the window ago."""
    window = dt.timedelta(days=level.renewal_window_days)
    return (
        Label.objects.filter(
            organisation=org,
            level=level,
            revoked_on=None,
            expires_on__gte=today - window,
            expires_on__lte=today + window,
        )
        .order_by("-expires_on")
        .first()
    )


@transaction.atomic
def apply(
    *,
    user,
    organisation: Organisation,
    level: LabelLevel,
    assessment: Assessment | None = None,
    competitors: list[Organisation] | None = None,
) -> Application:
    if not permissions.manages(user, organisation):
        raise PermissionDenied
    if Application.objects.filter(
        organisation=organisation,
        level=level,
        status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED],
    ).exists():
        raise LifecycleError(_("An application for this level is already open."))
    today = timezone.localdate()
    app = Application.objects.create(
        organisation=organisation,
        level=level,
        assessment=assessment,
        submitted_by=user,
        renewal_of=renewal_target(organisation, level, today),
    )
    if competitors:
        app.competitors.set([c for c in competitors if c.pk != organisation.pk])
    app.eligibility = _eligibility(app, today)
    app.save(update_fields=["eligibility"])
    admins = [u for u in _label_admins() if u.pk not in {m.pk for m in _managers(organisation)}]
    notify(
        users=admins,
        text=_("New application for a %(level)s from %(org)s")
        % {"level": level.name, "org": organisation.name},
        url=reverse("excellence:application", args=[app.pk]),
    )
    return app


def _label_admins() -> list:
    from django.contrib.auth.models import User

    return list(User.objects.filter(groups__name=permissions.LABEL_ADMINS_GROUP).distinct())


def _require_admin(user) -> None:
    if not permissions.is_label_admin(user):
        raise PermissionDenied


@transaction.atomic
def accept(*, user, application: Application) -> Application:
    """Accept for assessment after re-checking eligibility; an ineligible one is closed with the
    failed rules as the reasons."""
    _require_admin(user)
    if application.status != ApplicationStatus.SUBMITTED:
        raise LifecycleError(_("Only a submitted application can be accepted."))
    application.eligibility = _eligibility(application, timezone.localdate())
    failed = [c for c in application.eligibility if not c["ok"]]
    if failed:
        application.status = ApplicationStatus.INELIGIBLE
        application.reasons = "; ".join(f"{c['rule']}: {c['detail']}" for c in failed)
        application.decided_by, application.decided_at = user, timezone.now()
    else:
        application.status = ApplicationStatus.ACCEPTED
    application.save()
    return application


# --- assessors -----------------------------------------------------------------------------------


def role_of(assessor: Assessor, org: Organisation) -> str:
    return AssessorRole.NATIONAL if assessor.country == org.country else AssessorRole.FOREIGN


def conflict(assessor: Assessor, application: Application) -> str:
    """Why this assessor may not assess the application ('' when they may)."""
    org = application.organisation
    if assessor.organisation_id == org.pk:
        return _("the assessor works for the applying organisation")
    if org.managers.filter(pk=assessor.user_id).exists():
        return _("the assessor manages the applying organisation")
    if (
        assessor.organisation_id
        and application.competitors.filter(pk=assessor.organisation_id).exists()
    ):
        return _("the assessor works for an organisation on the applicant's competitor list")
    return ""


@transaction.atomic
def assign(*, user, application: Application, assessor: Assessor) -> Assignment:
    """Assign an assessor; a level asking for N national and M foreign assessors gets no more
    of either (so the Gold-like rule of one national and one foreign assessor is enforced)."""
    _require_admin(user)
    if application.status != ApplicationStatus.ACCEPTED:
        raise LifecycleError(_("Assessors are assigned to accepted applications only."))
    if not assessor.active:
        raise LifecycleError(_("This assessor is not active."))
    why = conflict(assessor, application)
    if why:
        raise LifecycleError(_("Conflict of interest: %s.") % why)
    if application.assignments.filter(assessor=assessor).exists():
        raise LifecycleError(_("This assessor is already assigned."))
    level, role = application.level, role_of(assessor, application.organisation)
    wanted = {
        AssessorRole.NATIONAL: level.national_assessors,
        AssessorRole.FOREIGN: level.foreign_assessors,
    }
    if level.national_assessors or level.foreign_assessors:
        have = application.assignments.filter(role=role).count()
        if have >= wanted[role]:
            raise LifecycleError(
                _(
                    "A %(level)s needs %(n)d national and %(f)d foreign assessor(s); it already "
                    "has its %(role)s one."
                )
                % {
                    "level": level.name,
                    "n": level.national_assessors,
                    "f": level.foreign_assessors,
                    "role": role,
                }
            )
    assignment = Assignment.objects.create(
        application=application, assessor=assessor, role=role, assigned_by=user
    )
    notify(
        users=[assessor.user],
        text=_("You are asked to assess %(org)s for a %(level)s")
        % {"org": application.organisation.name, "level": level.name},
        url=reverse("excellence:application", args=[application.pk]),
    )
    return assignment


def assessors_complete(application: Application) -> tuple[bool, str]:
    level = application.level
    roles = list(application.assignments.values_list("role", flat=True))
    if len(roles) < level.min_assessors:
        return False, _("needs at least %d assessor(s)") % level.min_assessors
    national, foreign = roles.count(AssessorRole.NATIONAL), roles.count(AssessorRole.FOREIGN)
    if level.national_assessors and national != level.national_assessors:
        return False, _("needs %d national assessor(s)") % level.national_assessors
    if level.foreign_assessors and foreign != level.foreign_assessors:
        return False, _("needs %d foreign assessor(s)") % level.foreign_assessors
    return True, ""


# --- scoring and decision ------------------------------------------------------------------------


@transaction.atomic
def score(
    *,
    user,
    application: Application,
    indicator_key: str,
    value: Decimal,
    note: str = "",
    evidence=None,
) -> Score:
    assignment = application.assignments.filter(assessor__user=user).first()
    if assignment is None or not assignment.assessor.active:
        raise PermissionDenied
    if application.status != ApplicationStatus.ACCEPTED:
        raise LifecycleError(_("Scores are given while the application is under assessment."))
    if not Decimal(0) <= value <= Decimal(100):
        raise LifecycleError(_("A score is between 0 and 100 per cent."))
    indicator = application.level.framework.indicators.filter(key=indicator_key).first()
    if indicator is None:
        raise LifecycleError(_("Unknown indicator %s.") % indicator_key)
    defaults = {"score": value, "note": note}
    if evidence is not None:
        defaults["evidence"] = evidence
    result, _created = Score.objects.update_or_create(
        assignment=assignment, indicator=indicator, defaults=defaults
    )
    return result


def overall(application: Application) -> tuple[Decimal | None, dict[str, Decimal], list[str]]:
    """(overall score %, mean score per indicator, indicators not yet scored by every assessor).

    The overall score is the mean over the level framework's indicators of the assessors' mean
    score; it exists only when every assigned assessor scored every indicator.
    """
    keys = list(application.level.framework.indicators.values_list("key", flat=True))
    assignments = list(application.assignments.all())
    given: dict[str, list[Decimal]] = {k: [] for k in keys}
    for key, value in Score.objects.filter(assignment__in=assignments).values_list(
        "indicator__key", "score"
    ):
        given[key].append(value)
    means = {k: sum(v) / len(v) for k, v in given.items() if v}
    missing = [k for k, v in given.items() if len(v) < len(assignments) or not v]
    if missing or not assignments:
        return None, means, missing
    total = (sum(means.values()) / len(means)).quantize(Decimal("0.01"))
    return total, means, missing


def next_number(level: LabelLevel, year: int) -> str:
    prefix = f"CO-{level.key.upper()}-{year}-"
    used = Label.objects.filter(number__startswith=prefix).count()
    n = used + 1
    while Label.objects.filter(number=f"{prefix}{n:04d}").exists():
        n += 1
    return f"{prefix}{n:04d}"


@transaction.atomic
def decide(*, user, application: Application, award: bool, reasons: str) -> Application:
    """Record the decision with its reasons; an award creates the label."""
    _require_admin(user)
    if application.status != ApplicationStatus.ACCEPTED:
        raise LifecycleError(_("Only an application under assessment can be decided."))
    if not reasons.strip():
        raise LifecycleError(_("A decision needs its reasons."))
    level = application.level
    total, _means, missing = overall(application)
    if award:
        ok, why = assessors_complete(application)
        if not ok:
            raise LifecycleError(_("Cannot award: the application %s.") % why)
        if level.pass_mark is not None:
            if total is None:
                raise LifecycleError(
                    _(
                        "Cannot award: not every assessor has scored every indicator "
                        "(%(n)d missing)."
                    )
                    % {"n": len(missing)}
                )
            if total < level.pass_mark:
                raise LifecycleError(
                    _("Cannot award: the score %(s)s %% is below the pass mark of %(p)s %%.")
                    % {"s": total, "p": level.pass_mark}
                )
    today = timezone.localdate()
    application.score = total
    application.reasons = reasons.strip()
    application.decided_by, application.decided_at = user, timezone.now()
    application.status = ApplicationStatus.AWARDED if award else ApplicationStatus.REFUSED
    application.save()
    if award:
        label = award_label(application=application, on=today)
        text = _("%(org)s was awarded the %(level)s %(number)s") % {
            "org": application.organisation.name,
            "level": level.name,
            "number": label.number,
        }
    else:
        text = _("The application of %(org)s for a %(level)s was refused") % {
            "org": application.organisation.name,
            "level": level.name,
        }
    notify(
        users=_managers(application.organisation),
        text=text,
        url=reverse("excellence:application", args=[application.pk]),
    )
    return application


def award_label(*, application: Application, on: dt.date) -> Label:
    starts = on
    old = application.renewal_of
    if old is not None and old.expires_on > on:
        starts = old.expires_on  # a renewal before expiry continues the old label
    return Label.objects.create(
        number=next_number(application.level, on.year),
        organisation=application.organisation,
        level=application.level,
        awarded_on=starts,
        expires_on=add_years(starts, application.level.validity_years),
        application=application,
    )


# --- renewal reminders ---------------------------------------------------------------------------


def remind(on: dt.date | None = None) -> list[Reminder]:
    """Remind the holders of labels that expire within a configured number of days (90 and 30
    by default): an in-app notification and an e-mail to each manager, once per label and
    offset. A label already nearer its expiry than a larger offset gets only the nearest one."""
    on = on or timezone.localdate()
    offsets = sorted(getattr(settings, "EXCELLENCE_REMINDER_DAYS", (90, 30)))
    if not offsets:
        return []
    horizon = on + dt.timedelta(days=max(offsets))
    sent = []
    labels = Label.objects.filter(
        awarded_on__lte=on, expires_on__gt=on, expires_on__lte=horizon, revoked_on=None
    ).select_related("organisation", "level")
    for label in labels:
        left = (label.expires_on - on).days
        due = [d for d in offsets if left <= d]
        done = set(label.reminders.values_list("days_before", flat=True))
        if not due or min(due) in done:
            continue
        with transaction.atomic():
            for d in due:
                if d not in done:
                    reminder = Reminder.objects.create(label=label, days_before=d, sent_on=on)
            notify(
                users=_managers(label.organisation),
                text=_(
                    "The %(level)s %(number)s of %(org)s expires on %(date)s (in %(n)d "
                    "days): apply for its renewal."
                )
                % {
                    "level": label.level.name,
                    "number": label.number,
                    "org": label.organisation.name,
                    "date": label.expires_on.isoformat(),
                    "n": left,
                },
                url=reverse("excellence:label", args=[label.number]),
            )
        sent.append(reminder)
    return sent

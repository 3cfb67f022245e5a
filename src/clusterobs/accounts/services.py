"""Writes of the onboarding flow: sign up, confirm the address, claim, decide (HackSoft style).

Why an inactive account until the address is confirmed: Django's ``ModelBackend`` refuses
inactive users, so an unconfirmed account cannot log in or act, with no extra check anywhere.
Why claims: the manager role lets a user edit an organisation's record and speak for it in
partner search; it must rest on an administrator's decision, never on the claimant's word.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from clusterobs.accounts.models import ClaimStatus, OrganisationClaim
from clusterobs.accounts.tokens import email_confirmation_token
from clusterobs.collaboration.services.notifications import notify
from clusterobs.regions.countries import is_known_country
from clusterobs.registry.models import Organisation
from clusterobs.registry.permissions import is_admin
from clusterobs.registry.services import create_record
from clusterobs.registry.vocabularies import OrganisationKind


def _email_taken(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def sign_up(*, username: str, email: str, password: str, confirm_url: str) -> User:
    """Create an inactive account and send the confirmation link.

    ``confirm_url`` is the absolute URL of the confirmation view with ``{uid}`` and ``{token}``
    placeholders (the view knows the site's address; this function does not).
    """
    email = User.objects.normalize_email(email.strip())
    if not email:
        raise ValidationError({"email": _("Give an e-mail address: the confirmation goes there.")})
    if _email_taken(email):
        raise ValidationError({"email": _("An account with this e-mail address exists.")})
    user = User(username=username.strip(), email=email, is_active=False)
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ValidationError({"username": _("This username is taken.")}) from exc
    send_confirmation(user=user, confirm_url=confirm_url)
    return user


def send_confirmation(*, user: User, confirm_url: str) -> None:
    """(Re)send the confirmation link of an unconfirmed account; nothing for a confirmed one."""
    if user.is_active or not user.email:
        return
    link = confirm_url.format(
        uid=urlsafe_base64_encode(force_bytes(user.pk)),
        token=email_confirmation_token.make_token(user),
    )
    context = {"user": user, "link": link}
    send_mail(
        subject=render_to_string("accounts/email/confirm_subject.txt", context).strip(),
        message=render_to_string("accounts/email/confirm_body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


def confirm_email(*, uidb64: str, token: str) -> User:
    """Activate the account the link was made for; ``ValidationError`` for any bad link."""
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist) as exc:
        raise ValidationError(_("This confirmation link is not valid.")) from exc
    if user.is_active:
        raise ValidationError(_("This address is already confirmed: log in."))
    if not email_confirmation_token.check_token(user, token):
        raise ValidationError(_("This confirmation link is not valid or has expired."))
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def _admins() -> list[User]:
    return list(User.objects.filter(is_staff=True, is_active=True))


def submit_claim(
    *,
    user: User,
    role: str,
    evidence: str,
    organisation: Organisation | None = None,
    new_organisation: dict[str, Any] | None = None,
) -> OrganisationClaim:
    """Ask to manage ``organisation``, or to add ``new_organisation`` (name, kind, country, city,
    website, description) and manage it. Administrators are notified; nothing else changes."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Confirm your e-mail address first."))
    if (organisation is None) == (new_organisation is None):
        raise ValidationError(_("Claim one existing organisation or propose one new one."))
    if not role.strip() or not evidence.strip():
        raise ValidationError(_("Say what your position is and how it can be checked."))
    fields: dict[str, Any] = {}
    if organisation is not None:
        if organisation.managers.filter(pk=user.pk).exists():
            raise ValidationError(_("You already manage %(org)s.") % {"org": organisation})
    else:
        new = {k: (v or "").strip() for k, v in (new_organisation or {}).items()}
        if not new.get("name"):
            raise ValidationError({"name": _("Give the organisation's name.")})
        if new.get("kind") not in OrganisationKind.values:
            raise ValidationError({"kind": _("Choose what kind of organisation it is.")})
        country = new.get("country", "").upper()
        if country and not is_known_country(country):
            raise ValidationError({"country": _("Use an ISO 3166-1 alpha-2 code (e.g. IN).")})
        if Organisation.objects.filter(name__iexact=new["name"]).exists():
            raise ValidationError(
                {"name": _("The registry has an organisation of this name: claim it instead.")}
            )
        fields = {
            "proposed_name": new["name"][:300],
            "proposed_kind": new["kind"],
            "proposed_country": country,
            "proposed_city": new.get("city", "")[:200],
            "proposed_website": new.get("website", ""),
            "proposed_description": new.get("description", ""),
        }
    claim = OrganisationClaim(
        user=user, organisation=organisation, role=role.strip(), evidence=evidence.strip(), **fields
    )
    claim.full_clean(exclude=["user", "organisation"])
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError as exc:
        raise ValidationError(_("Your claim of this organisation is already pending.")) from exc
    notify(
        users=_admins(),
        text=_("%(user)s claims %(org)s") % {"user": user.get_username(), "org": claim.subject},
        url="/accounts/claims/",
    )
    return claim


def decide_claim(
    *, claim: OrganisationClaim, user: User, approve: bool, reasons: str = ""
) -> OrganisationClaim:
    """An administrator approves (the claimant becomes a manager of exactly that organisation,
    created first when it was proposed) or rejects (reasons required)."""
    if not is_admin(user):
        raise PermissionDenied(_("Only administrators decide claims."))
    if not approve and not reasons.strip():
        raise ValidationError(_("Give the reasons for a rejection."))
    with transaction.atomic():
        claim = OrganisationClaim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != ClaimStatus.PENDING:
            raise ValidationError(_("This claim was already decided."))
        now = timezone.now()
        if approve:
            if claim.organisation is None:
                claim.organisation = create_record(
                    Organisation,
                    user=user,
                    name=claim.proposed_name,
                    kind=claim.proposed_kind,
                    country=claim.proposed_country,
                    city=claim.proposed_city,
                    website=claim.proposed_website,
                    description=claim.proposed_description,
                    source=f"Organisation claim {claim.pk}, approved {now:%Y-%m-%d}",
                    source_date=now.date(),
                )
            claim.organisation.managers.add(claim.user)
        claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
        claim.reasons = reasons.strip()
        claim.decided_by = user
        claim.decided_at = now
        claim.save()
    verdict = _("approved: you now manage it") if approve else _("rejected: %s") % claim.reasons
    notify(
        users=[claim.user],
        text=_("Your claim of %(org)s was %(verdict)s")
        % {"org": claim.subject, "verdict": verdict},
        url="/accounts/",
    )
    return claim

"""Contacts between organisations, with consent and a rate limit, and their messages."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clusterobs.collaboration import permissions
from clusterobs.collaboration.models import Contact, Message, PartnerRequest, RequestFollow
from clusterobs.collaboration.services.checks import require, require_manager
from clusterobs.collaboration.services.notifications import managers_of, notify
from clusterobs.collaboration.vocabularies import ContactStatus, RequestStatus
from clusterobs.registry.models import Organisation


class RateLimitedError(Exception):
    """Too many contact requests by one user in the last hour."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(
            f"You sent {limit} contact requests in the last hour, the most allowed. "
            "Please try again later."
        )


# -- contacts (with consent and a rate limit) ---------------------------------------------------
def contacts_per_hour() -> int:
    return int(settings.COLLABORATION_CONTACTS_PER_HOUR)


def _check_rate(user: User) -> None:
    """At most N contact requests per user per rolling hour, counted in the database.

    The count is made while the user's row is locked (``SELECT ... FOR UPDATE`` on PostgreSQL;
    SQLite serialises writers), so concurrent requests in different worker processes cannot
    both slip under the limit; a per-process cache (LocMem) would give every worker its own
    counter.
    """
    User.objects.select_for_update().filter(pk=user.pk).first()
    since = timezone.now() - dt.timedelta(hours=1)
    limit = contacts_per_hour()
    if Contact.objects.filter(sender_user=user, created_at__gte=since).count() >= limit:
        raise RateLimitedError(limit)


def _create_contact(
    *,
    sender_org: Organisation,
    recipient_org: Organisation,
    user: User,
    message: str,
    request: PartnerRequest | None,
) -> Contact:
    require_manager(user, sender_org)
    if sender_org.pk == recipient_org.pk:
        raise ValidationError("An organisation cannot contact itself.")
    with transaction.atomic():
        _check_rate(user)
        try:
            with transaction.atomic():
                contact = Contact.objects.create(
                    sender_org=sender_org,
                    sender_user=user,
                    recipient_org=recipient_org,
                    request=request,
                    message=message,
                )
        except IntegrityError as exc:
            raise ValidationError(f"{sender_org} already expressed interest.") from exc
    what = f"interest in “{request.title}”" if request else "a contact request"
    notify(
        users=managers_of(recipient_org),
        text=f"{sender_org} sent {what}",
        url="/collaboration/contacts/",
    )
    return contact


def express_interest(
    *, request: PartnerRequest, sender_org: Organisation, user: User, message: str = ""
) -> Contact:
    """Tell the author of a request that ``sender_org`` is interested (their consent pending)."""
    from clusterobs.collaboration.selectors import can_see_request

    require(can_see_request(user, request), "You cannot see this request.")
    if request.status != RequestStatus.OPEN:
        raise ValidationError("This request is closed.")
    if request.deadline and request.deadline < timezone.localdate():
        raise ValidationError("The deadline of this request has passed.")
    contact = _create_contact(
        sender_org=sender_org,
        recipient_org=request.organisation,
        user=user,
        message=message,
        request=request,
    )
    RequestFollow.objects.get_or_create(request=request, user=user)
    return contact


def contact_organisation(
    *, sender_org: Organisation, recipient_org: Organisation, user: User, message: str = ""
) -> Contact:
    return _create_contact(
        sender_org=sender_org, recipient_org=recipient_org, user=user, message=message, request=None
    )


def respond_to_contact(*, contact: Contact, user: User, accept: bool) -> Contact:
    """The recipient's managers accept (consent: messages may flow) or decline."""
    require_manager(user, contact.recipient_org)
    if contact.status != ContactStatus.PENDING:
        raise ValidationError("This contact was already answered.")
    contact.status = ContactStatus.ACCEPTED if accept else ContactStatus.DECLINED
    contact.decided_at = timezone.now()
    contact.decided_by = user
    contact.save(update_fields=["status", "decided_at", "decided_by"])
    senders = [contact.sender_user] if contact.sender_user else []
    notify(
        users=senders + managers_of(contact.sender_org),
        text=f"{contact.recipient_org} {'accepted' if accept else 'declined'} your contact",
        url=f"/collaboration/contacts/{contact.pk}/",
    )
    return contact


def send_message(*, contact: Contact, user: User, body: str) -> Message:
    """A message in an accepted contact, by a manager of either side."""
    require(
        permissions.manages(user, contact.sender_org)
        or permissions.manages(user, contact.recipient_org),
        "Only the two organisations' managers write in this conversation.",
    )
    if contact.status != ContactStatus.ACCEPTED:
        raise ValidationError("Messages are possible once the contact is accepted.")
    if not body.strip():
        raise ValidationError("Write a message.")
    message = Message.objects.create(contact=contact, author=user, body=body)
    other = (
        contact.recipient_org
        if permissions.manages(user, contact.sender_org)
        else contact.sender_org
    )
    author_org = contact.sender_org if other == contact.recipient_org else contact.recipient_org
    notify(
        users=[u for u in managers_of(other) if u.pk != user.pk],
        text=f"New message from {author_org}",
        url=f"/collaboration/contacts/{contact.pk}/",
    )
    return message

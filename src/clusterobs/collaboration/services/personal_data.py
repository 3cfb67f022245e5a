"""A user's personal data: export it, delete it (GDPR articles 15 and 17)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from clusterobs.collaboration.models import (
    Contact,
    Message,
    Notification,
    PartnerRequest,
    Registration,
    RequestFollow,
    VerificationRequest,
)


# -- personal data -------------------------------------------------------------------------------
def export_personal_data(*, user: User) -> dict[str, Any]:
    """Everything the collaboration app holds about ``user``, as JSON-ready data."""

    def when(value: Any) -> str | None:
        return value.isoformat() if value else None

    return {
        "user": {
            "username": user.username,
            "email": user.email,
            "date_joined": when(user.date_joined),
        },
        "managed_organisations": [o.slug for o in user.managed_organisations.all()],
        "contacts_sent": [
            {
                "from": c.sender_org.slug,
                "to": c.recipient_org.slug,
                "request": c.request_id,
                "message": c.message,
                "status": c.status,
                "created_at": when(c.created_at),
            }
            for c in Contact.objects.filter(sender_user=user).select_related(
                "sender_org", "recipient_org"
            )
        ],
        "messages": [
            {"contact": m.contact_id, "body": m.body, "created_at": when(m.created_at)}
            for m in Message.objects.filter(author=user)
        ],
        "partner_requests_created": [
            {"id": r.pk, "title": r.title, "created_at": when(r.created_at)}
            for r in PartnerRequest.objects.filter(created_by=user)
        ],
        "follows": [f.request_id for f in RequestFollow.objects.filter(user=user)],
        "notifications": [
            {
                "text": n.text,
                "url": n.url,
                "created_at": when(n.created_at),
                "read": bool(n.read_at),
            }
            for n in Notification.objects.filter(user=user)
        ],
        "verification_requests": [
            {
                "organisation": v.organisation.slug,
                "status": v.status,
                "created_at": when(v.created_at),
            }
            for v in VerificationRequest.objects.filter(requested_by=user)
        ],
        "event_registrations": [
            {"event": r.event.slug, "organisation": r.organisation.slug}
            for r in Registration.objects.filter(registered_by=user).select_related(
                "event", "organisation"
            )
        ],
    }


def delete_personal_data(*, user: User, delete_account: bool = False) -> dict[str, int]:
    """Erase what the collaboration app holds about ``user``.

    Messages keep their place in a conversation (the other side's record) but lose their text
    and author; the user's notifications and follows go; contacts and requests the user sent for
    an organisation stay the organisation's, without the user's name. With ``delete_account`` the
    account itself is deleted too.
    """
    with transaction.atomic():
        counts = {
            "messages": Message.objects.filter(author=user).update(
                author=None, body="[deleted by its author]"
            ),
            "notifications": Notification.objects.filter(user=user).delete()[0],
            "follows": RequestFollow.objects.filter(user=user).delete()[0],
            "contacts": Contact.objects.filter(sender_user=user).update(sender_user=None),
            "requests": PartnerRequest.objects.filter(created_by=user).update(created_by=None),
            "registrations": Registration.objects.filter(registered_by=user).update(
                registered_by=None
            ),
        }
        if delete_account:
            user.delete()
            counts["account"] = 1
    return counts

"""In-site notifications (and their e-mail copies) to users and to an organisation's managers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.utils import timezone

from clusterobs.collaboration.models import Notification
from clusterobs.registry.models import Organisation


# -- notifications ------------------------------------------------------------------------------
def notify(*, users: list[User], text: str, url: str = "") -> list[Notification]:
    """An in-app notification for each user, and an e-mail to those who have an address.

    Addresses are only ever used here, by the platform's mail backend: no page or API response
    shows one user's address to another.
    """
    created = []
    for user in {u.pk: u for u in users}.values():
        note = Notification.objects.create(user=user, text=text[:500], url=url)
        if user.email:
            send_mail(
                subject=f"[Cluster Observatory] {text[:80]}",
                message=f"{text}\n\n{url}",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[user.email],
                fail_silently=True,
            )
            note.emailed = True
            note.save(update_fields=["emailed"])
        created.append(note)
    return created


def managers_of(organisation: Organisation) -> list[User]:
    return list(organisation.managers.all())


def mark_read(*, user: User, pk: int | None = None) -> int:
    """Mark the user's notification ``pk`` (or all of them) as read; only their own."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=timezone.now())

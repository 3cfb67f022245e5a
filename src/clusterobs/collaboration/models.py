"""Collaboration models: data and constraints only (writes in ``services``, reads in
``selectors``, ranking in ``matchmaking``).

The registry owns organisations, their members by type, labels and sector codes; a
:class:`CollaborationProfile` adds only what partners look for (offers, needs, markets,
languages) so no fact is stored twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from clusterobs.collaboration.vocabularies import (
    AgreementKind,
    AgreementStatus,
    ContactStatus,
    DatePrecision,
    EventKind,
    MeetingStatus,
    RequestStatus,
    VerificationStatus,
    Visibility,
)

USER = settings.AUTH_USER_MODEL
ORG = "registry.Organisation"


class CollaborationProfile(models.Model):
    """What an organisation (cluster organisation or member firm) or a project offers and seeks.

    ``organisation`` is the owner: its managers, and only they, edit the profile. A project
    profile (``initiative`` set) is owned by the project's lead organisation, or, when the source
    names none, edited by editors. ``offers`` and
    ``needs`` map an :class:`~clusterobs.collaboration.vocabularies.OfferCategory` to a list of
    short phrases, because partners search by category ("technologies", "markets" ...).
    """

    organisation = models.ForeignKey(
        ORG, null=True, blank=True, on_delete=models.CASCADE, related_name="collab_profiles"
    )
    initiative = models.ForeignKey(
        "registry.Initiative",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="collab_profiles",
    )
    member_of = models.ForeignKey(
        ORG,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member_profiles",
        help_text="For a member firm: its cluster organisation",
    )
    summary = models.TextField(blank=True, help_text="What the organisation does and seeks")
    offers = models.JSONField(default=dict, blank=True)
    needs = models.JSONField(default=dict, blank=True)
    target_countries = models.JSONField(default=list, blank=True, help_text="ISO 3166-1 alpha-2")
    languages = models.JSONField(default=list, blank=True, help_text="ISO 639-1 codes")
    emerging_fields = models.JSONField(default=list, blank=True)
    past_cooperation = models.TextField(blank=True)
    published = models.BooleanField(default=True)
    verified = models.BooleanField(default=False, help_text="Set only by an approved verification")
    verified_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(initiative__isnull=True),
                name="collab_one_profile_per_org",
            ),
            models.UniqueConstraint(
                fields=["initiative"],
                condition=Q(initiative__isnull=False),
                name="collab_one_profile_per_initiative",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(initiative__isnull=False),
                name="collab_profile_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.initiative or self.organisation}"

    @property
    def name(self) -> str:
        return str(self.initiative or self.organisation)


class VerificationRequest(models.Model):
    """A cluster organisation's request to be listed as verified, with the evidence and verdict.

    The evidence is stored as submitted, so an admin's decision can be checked later against
    what was in front of them.
    """

    organisation = models.ForeignKey(ORG, on_delete=models.CASCADE, related_name="verifications")
    requested_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    management_fte = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    website = models.URLField(blank=True)
    website_shows_activity = models.BooleanField(default=False)
    committed_members = models.PositiveIntegerField(null=True, blank=True)
    member_types = models.JSONField(default=list, blank=True)
    recognised_by = models.CharField(
        max_length=300, blank=True, help_text="National or regional cluster programme, if any"
    )
    evidence = models.TextField(blank=True)
    criteria = models.JSONField(default=dict, blank=True, help_text="Each criterion and result")
    status = models.CharField(
        max_length=16, choices=VerificationStatus.choices, default=VerificationStatus.PENDING
    )
    reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="pending"),
                name="collab_one_pending_verification",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="collab_verification_decided_at",
            ),
        ]

    def __str__(self) -> str:
        return f"Verification of {self.organisation} ({self.status})"


class PartnerRequest(models.Model):
    """An organisation's call for partners: what kind, in which sectors, where, until when."""

    organisation = models.ForeignKey(ORG, on_delete=models.CASCADE, related_name="partner_requests")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    partner_kinds = models.JSONField(default=list, blank=True, help_text="Organisation kinds")
    sector_codes = models.JSONField(
        default=list, blank=True, help_text='"CLASSIFICATION:code", e.g. "USCMP:23"'
    )
    technologies = models.JSONField(default=list, blank=True)
    countries = models.JSONField(default=list, blank=True, help_text="Where partners should be")
    deadline = models.DateField(null=True, blank=True)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    audience = models.ManyToManyField(ORG, blank=True, related_name="private_requests")
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default="open")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "visibility"])]

    def __str__(self) -> str:
        return self.title


class RequestFollow(models.Model):
    """A user follows a request to be notified of changes."""

    request = models.ForeignKey(PartnerRequest, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="collab_follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "user"], name="collab_follow_unique")
        ]


class Contact(models.Model):
    """A contact through the platform: interest in a request, or a direct contact request.

    The recipient's managers see the sender organisation and message, never an e-mail address;
    messages flow only after they accept (consent).
    """

    sender_org = models.ForeignKey(ORG, on_delete=models.CASCADE, related_name="contacts_sent")
    sender_user = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="collab_contacts"
    )
    recipient_org = models.ForeignKey(
        ORG, on_delete=models.CASCADE, related_name="contacts_received"
    )
    request = models.ForeignKey(
        PartnerRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="interests"
    )
    message = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=ContactStatus.choices, default="pending")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sender_org=F("recipient_org")), name="collab_contact_not_self"
            ),
            models.UniqueConstraint(
                fields=["sender_org", "request"],
                condition=Q(request__isnull=False),
                name="collab_one_interest_per_request",
            ),
        ]
        indexes = [models.Index(fields=["sender_user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.sender_org} → {self.recipient_org} ({self.status})"


class Message(models.Model):
    """A message in an accepted contact."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="collab_messages"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class Notification(models.Model):
    """An in-app notification (also sent by e-mail when the user has an address)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="collab_notifications")
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    emailed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class ClusterRelatedness(models.Model):
    """A pair of related clusters from an imported relatedness table (e.g. U.S. Cluster Mapping).

    ``percentile`` is the source's overall relatedness percentile (``cr_all_pc``); ``related`` its
    90th-percentile flag (``rel_all_90_v3``); ``io_percentile`` the input-output link percentile
    (``cr_io_pc``), used for value-chain (up- and downstream) links.
    """

    classification = models.CharField(max_length=16, default="USCMP")
    code = models.CharField(max_length=16)
    name = models.CharField(max_length=200)
    related_code = models.CharField(max_length=16)
    related_name = models.CharField(max_length=200)
    relatedness = models.FloatField()
    percentile = models.PositiveSmallIntegerField()
    related = models.BooleanField()
    io_percentile = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["classification", "code", "-relatedness"]
        constraints = [
            models.UniqueConstraint(
                fields=["classification", "code", "related_code"], name="collab_relatedness_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ~ {self.related_name} ({self.percentile})"


#: What an editor records about an agreement (key, parties and version are handled apart): the
#: services accept these, the API shows them.
AGREEMENT_FIELDS = (
    "title",
    "kind",
    "signed_on",
    "signed_on_precision",
    "starts_on",
    "ends_on",
    "scope",
    "status",
    "status_note",
    "outcomes",
    "documents",
    "source",
    "source_detail",
)


class Agreement(models.Model):
    """A cooperation agreement (MoU, strategic partnership, joint project) between organisations."""

    key = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=400)
    kind = models.CharField(max_length=32, choices=AgreementKind.choices)
    parties = models.ManyToManyField(ORG, related_name="agreements")
    signed_on = models.DateField(null=True, blank=True)
    signed_on_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    scope = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.UNKNOWN
    )
    status_note = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    documents = models.JSONField(default=list, blank=True, help_text='[{"title", "url"}]')
    event = models.ForeignKey(
        "Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="agreements"
    )
    source = models.CharField(max_length=500, blank=True)
    source_detail = models.TextField(blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-signed_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="collab_agreement_dates",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Event(models.Model):
    """A matchmaking event: cluster-to-cluster or B2B meetings, a study tour, a trade fair."""

    slug = models.SlugField(max_length=200, unique=True)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    organiser = models.ForeignKey(
        ORG, null=True, blank=True, on_delete=models.SET_NULL, related_name="organised_events"
    )
    place = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    description = models.TextField(blank=True)
    registration_open = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="collab_event_dates"
            )
        ]

    def __str__(self) -> str:
        return self.name


class TimeSlot(models.Model):
    """A time slot for bilateral meetings at an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="collab_slot_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="collab_slot_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class Registration(models.Model):
    """An organisation taking part in an event (its profile is what others see)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    organisation = models.ForeignKey(ORG, on_delete=models.CASCADE, related_name="registrations")
    registered_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation"], name="collab_reg_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} at {self.event}"


class MeetingRequest(models.Model):
    """A participant asks another for a bilateral meeting; accepted ones get a slot."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests")
    requester = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    invitee = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    message = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=MeetingStatus.choices, default="pending")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=F("invitee")), name="collab_meeting_not_self"
            ),
            models.UniqueConstraint(fields=["requester", "invitee"], name="collab_meeting_pair"),
        ]


class Meeting(models.Model):
    """A scheduled bilateral meeting, and afterwards its outcome."""

    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    slot = models.ForeignKey(TimeSlot, on_delete=models.PROTECT, related_name="meetings")
    table = models.CharField(max_length=40, blank=True)
    outcome = models.TextField(blank=True)
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slot__starts_at", "id"]


class MeetingSeat(models.Model):
    """One participant's place in one slot: the unique constraint forbids double booking.

    Every meeting has two seats (requester and invitee). Because (slot, registration) is unique
    in the database, two transactions that try to book the same participant into the same slot
    cannot both commit, whatever the application code does.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="seats")
    slot = models.ForeignKey(TimeSlot, on_delete=models.CASCADE, related_name="seats")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="seats")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "registration"], name="collab_no_double_booking"
            )
        ]

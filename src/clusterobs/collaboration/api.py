"""REST API of the collaboration app: thin viewsets over ``selectors`` and ``services``.

No e-mail address appears in any response: organisations are named, people are not.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from clusterobs.collaboration import selectors
from clusterobs.collaboration.api_bodies import (
    EraseBody,
    InterestBody,
    MessageBody,
    ProfileUpdateBody,
    RespondBody,
    validated,
)
from clusterobs.collaboration.models import (
    AGREEMENT_FIELDS,
    Agreement,
    CollaborationProfile,
    Contact,
    Event,
    PartnerRequest,
)
from clusterobs.collaboration.permissions import CollaborationPermission
from clusterobs.collaboration.services import contacts as contact_services
from clusterobs.collaboration.services import events as event_services
from clusterobs.collaboration.services import partner_requests as request_services
from clusterobs.collaboration.services import personal_data as personal_data_services
from clusterobs.collaboration.services import profiles as profile_services
from clusterobs.registry.models import Organisation
from clusterobs.registry.services import ConflictError


class ProfileSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    initiative = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = CollaborationProfile
        fields = (
            "organisation",
            "initiative",
            "summary",
            "offers",
            "needs",
            "target_countries",
            "languages",
            "emerging_fields",
            "past_cooperation",
            "published",
            "verified",
            "verified_at",
            "version",
        )
        read_only_fields = ("verified", "verified_at")


class PartnerRequestSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all()
    )
    audience = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), many=True, required=False
    )

    class Meta:
        model = PartnerRequest
        fields = (
            "id",
            "organisation",
            "title",
            "description",
            "partner_kinds",
            "sector_codes",
            "technologies",
            "countries",
            "deadline",
            "visibility",
            "audience",
            "status",
            "created_at",
        )
        read_only_fields = ("status", "created_at")


class ContactSerializer(serializers.ModelSerializer):
    sender_org = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    recipient_org = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Contact
        fields = ("id", "sender_org", "recipient_org", "request", "message", "status", "created_at")


class AgreementSerializer(serializers.ModelSerializer):
    parties = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = ("key", *AGREEMENT_FIELDS, "parties", "version")


class EventSerializer(serializers.ModelSerializer):
    organiser = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Event
        fields = (
            "slug",
            "name",
            "kind",
            "organiser",
            "place",
            "country",
            "starts_on",
            "ends_on",
            "description",
            "registration_open",
        )


def suggestions_json(suggestions: list) -> list[dict[str, Any]]:
    orgs = {o.pk: o for o in Organisation.objects.filter(pk__in=[s.id for s in suggestions])}
    return [
        {
            "organisation": orgs[s.id].slug if s.id in orgs else None,
            "name": s.name,
            "score": s.score,
            "reasons": [{"kind": r.kind, "score": r.score, "text": r.text} for r in s.reasons],
        }
        for s in suggestions
    ]


class CollaborationViewSet(viewsets.GenericViewSet):
    """Maps the services' exceptions to HTTP: 400 invalid, 409 conflict, 429 rate limited."""

    permission_classes = [CollaborationPermission]
    filter_backends: list = []

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DjangoValidationError):
            return Response({"detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, (ConflictError, event_services.DoubleBookingError)):
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        if isinstance(exc, contact_services.RateLimitedError):
            return Response(
                {"detail": str(exc)},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": "3600"},
            )
        return super().handle_exception(exc)


class ProfileViewSet(CollaborationViewSet):
    """Collaboration profiles of organisations (by organisation slug)."""

    serializer_class = ProfileSerializer
    lookup_field = "organisation__slug"
    lookup_url_kwarg = "slug"

    def get_queryset(self) -> Any:
        return selectors.profiles(self.request.user).filter(initiative=None)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, slug: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=ProfileUpdateBody, responses={200: ProfileSerializer})
    def partial_update(self, request: Request, slug: str) -> Response:
        profile = self.get_object()
        data = validated(ProfileUpdateBody, request.data)
        expected = data.pop("version")
        profile = profile_services.update_profile(
            profile=profile, user=request.user, expected_version=expected, changes=data
        )
        return Response(self.get_serializer(profile).data)

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def suggestions(self, request: Request, slug: str) -> Response:
        """Suggested partners for this organisation, with the reasons behind each score."""
        profile = self.get_object()
        return Response(
            suggestions_json(selectors.suggestions_for_organisation(profile.organisation))
        )


class PartnerRequestViewSet(CollaborationViewSet):
    """Partner search requests (private ones only for their audience)."""

    serializer_class = PartnerRequestSerializer

    def get_queryset(self) -> Any:
        return selectors.partner_requests(self.request.user)

    def get_object(self) -> PartnerRequest:
        pk = str(self.kwargs["pk"])
        obj = selectors.partner_request_detail(self.request.user, int(pk)) if pk.isdigit() else None
        if obj is None:
            raise NotFound()
        return obj

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = request_services.create_partner_request(
            user=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def suggestions(self, request: Request, pk: str) -> Response:
        return Response(suggestions_json(selectors.suggestions_for_request(self.get_object())))

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"])
    def follow(self, request: Request, pk: str) -> Response:
        request_services.follow_request(request=self.get_object(), user=request.user)
        return Response({"following": True})

    @extend_schema(request=InterestBody, responses={201: ContactSerializer})
    @action(detail=True, methods=["post"])
    def interest(self, request: Request, pk: str) -> Response:
        """Express interest for one of your organisations (``sender``: its slug)."""
        target = self.get_object()
        body = validated(InterestBody, request.data)
        contact = contact_services.express_interest(
            request=target, sender_org=body["sender"], user=request.user, message=body["message"]
        )
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)


class ContactViewSet(CollaborationViewSet):
    """Contacts sent or received by organisations you manage."""

    serializer_class = ContactSerializer

    def get_queryset(self) -> Any:
        return selectors.contacts(self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=RespondBody, responses={200: ContactSerializer})
    @action(detail=True, methods=["post"])
    def respond(self, request: Request, pk: str) -> Response:
        """``{"accept": true}`` to consent to the contact, ``false`` to decline."""
        contact = self.get_object()
        accept = validated(RespondBody, request.data)["accept"]
        contact = contact_services.respond_to_contact(
            contact=contact, user=request.user, accept=accept
        )
        return Response(self.get_serializer(contact).data)

    @extend_schema(request=MessageBody, responses={201: dict})
    @action(detail=True, methods=["post"])
    def messages(self, request: Request, pk: str) -> Response:
        contact = self.get_object()
        body = validated(MessageBody, request.data)["body"]
        message = contact_services.send_message(contact=contact, user=request.user, body=body)
        return Response({"id": message.pk}, status=status.HTTP_201_CREATED)


class AgreementViewSet(
    CollaborationViewSet, viewsets.mixins.ListModelMixin, viewsets.mixins.RetrieveModelMixin
):
    """Cooperation agreements: MoUs, strategic partnerships, joint projects."""

    serializer_class = AgreementSerializer
    lookup_field = "key"

    def get_queryset(self) -> Any:
        return selectors.agreements()


class EventViewSet(
    CollaborationViewSet, viewsets.mixins.ListModelMixin, viewsets.mixins.RetrieveModelMixin
):
    """Matchmaking events; ``schedule`` lists the bilateral meetings per slot."""

    serializer_class = EventSerializer
    lookup_field = "slug"

    def get_queryset(self) -> Any:
        return Event.objects.all()

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def schedule(self, request: Request, slug: str) -> Response:
        rows = selectors.schedule(self.get_object())
        return Response(
            [
                {
                    "starts_at": row["slot"].starts_at,
                    "ends_at": row["slot"].ends_at,
                    "meetings": [
                        {
                            "between": [
                                m.request.requester.organisation.slug,
                                m.request.invitee.organisation.slug,
                            ],
                            "table": m.table,
                        }
                        for m in row["meetings"]
                    ],
                }
                for row in rows
            ]
        )


class PersonalDataViewSet(CollaborationViewSet):
    """Your personal data: ``GET`` exports it, ``POST .../erase/`` deletes it."""

    serializer_class = serializers.Serializer

    @extend_schema(responses={200: dict})
    def list(self, request: Request) -> Response:
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        return Response(personal_data_services.export_personal_data(user=request.user))

    @extend_schema(request=EraseBody, responses={200: dict})
    @action(detail=False, methods=["post"])
    def erase(self, request: Request) -> Response:
        delete_account = validated(EraseBody, request.data)["delete_account"]
        counts = personal_data_services.delete_personal_data(
            user=request.user, delete_account=delete_account
        )
        return Response(counts)

"""Web pages of the collaboration app: thin views over ``selectors`` and ``services``.

Every POST handler calls one service and turns its exceptions into a message; no rule lives here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterobs.collaboration import forms, labels, permissions, selectors
from clusterobs.collaboration.models import Contact, Event, MeetingRequest, Registration, TimeSlot
from clusterobs.collaboration.services import contacts as contact_services
from clusterobs.collaboration.services import events as event_services
from clusterobs.collaboration.services import notifications as notification_services
from clusterobs.collaboration.services import partner_requests as request_services
from clusterobs.collaboration.services import personal_data as personal_data_services
from clusterobs.collaboration.services import profiles as profile_services
from clusterobs.collaboration.services import verification as verification_services
from clusterobs.collaboration.vocabularies import OfferCategory, Visibility
from clusterobs.registry.models import Organisation
from clusterobs.registry.permissions import is_admin
from clusterobs.registry.safe_redirect import back_url
from clusterobs.registry.services import ConflictError


def _guard(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn service exceptions, and input that is not a number or date where one is needed,
    into a message and a redirect back to the page (never a 500, never off-site)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (
            ValidationError,
            ConflictError,
            event_services.DoubleBookingError,
            contact_services.RateLimitedError,
        ) as exc:
            text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, text)
            return redirect(back_url(request, "collab-home"))
        except (ValueError, ArithmeticError) as exc:  # a number or date that is none
            messages.error(request, _("Invalid input: %(error)s") % {"error": exc})
            return redirect(back_url(request, "collab-home"))
        except IntegrityError:  # e.g. a meeting slot already taken
            messages.error(request, _("That conflicts with an existing record; nothing saved."))
            return redirect(back_url(request, "collab-home"))

    return wrapper


def _org_from_post(request: HttpRequest, field: str = "organisation") -> Organisation:
    return get_object_or_404(Organisation, slug=request.POST.get(field, ""))


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "requests": selectors.partner_requests(user).filter(status="open")[:20],
        "events": selectors.events()[:10],
        "managed": selectors.managed_organisations(user) if user.is_authenticated else [],
        "notifications": selectors.notifications(user)[:20],
        "unread": selectors.unread_count(user),
        "contacts": selectors.contacts(user)[:20],
    }
    return render(request, "collaboration/home.html", context)


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notifications as read and go where it points (local paths only)."""
    note = get_object_or_404(selectors.notifications(request.user), pk=pk)
    notification_services.mark_read(user=request.user, pk=note.pk)
    if note.url and url_has_allowed_host_and_scheme(
        note.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(note.url)
    return redirect("collab-home")


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    n = notification_services.mark_read(user=request.user)
    messages.success(request, f"{n} notifications marked as read.")
    return redirect("collab-home")


# -- partner requests -----------------------------------------------------------------------------
def request_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "collaboration/request_list.html",
        {"requests": selectors.partner_requests(request.user)},
    )


@login_required
@_guard
def request_new(request: HttpRequest) -> HttpResponse:
    managed = selectors.managed_organisations(request.user)
    errors: list[str] = []
    if request.method == "POST":
        form = forms.PartnerRequestForm(request.POST)
        if form.is_valid():
            created = request_services.create_partner_request(
                user=request.user, **form.cleaned_data
            )
            messages.success(request, "Your partner search is published.")
            return redirect("collab-request", pk=created.pk)
        errors = forms.form_errors(form)
    return render(
        request,
        "collaboration/request_form.html",
        {
            "managed": managed,
            "errors": errors,
            "visibilities": Visibility.choices,
            "organisations": Organisation.objects.filter(published=True).order_by("name"),
        },
    )


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.partner_request_detail(request.user, pk)
    if obj is None:
        raise Http404
    user = request.user
    is_author = user.is_authenticated and (
        is_admin(user) or obj.organisation.managers.filter(pk=user.pk).exists()
    )
    context = {
        "obj": obj,
        "is_author": is_author,
        "suggestions": selectors.suggestions_for_request(obj, limit=10) if is_author else [],
        "interests": obj.interests.select_related("sender_org") if is_author else [],
        "managed": selectors.managed_organisations(user).exclude(pk=obj.organisation_id)
        if user.is_authenticated
        else [],
        "following": user.is_authenticated and obj.follows.filter(user=user).exists(),
    }
    return render(request, "collaboration/request_detail.html", context)


@login_required
@require_POST
@_guard
def request_action(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.partner_request_detail(request.user, pk)
    if obj is None:
        raise Http404
    what = request.POST.get("action")
    if what == "interest":
        contact_services.express_interest(
            request=obj,
            sender_org=_org_from_post(request, "sender"),
            user=request.user,
            message=request.POST.get("message", ""),
        )
        messages.success(request, "Your interest was sent. The author decides whether to accept.")
    elif what == "follow":
        request_services.follow_request(request=obj, user=request.user)
        messages.success(request, "You follow this request.")
    elif what == "unfollow":
        request_services.unfollow_request(request=obj, user=request.user)
    elif what == "close":
        request_services.close_partner_request(request=obj, user=request.user)
    return redirect("collab-request", pk=pk)


# -- profiles -------------------------------------------------------------------------------------
def profile_detail(request: HttpRequest, slug: str) -> HttpResponse:
    org = selectors.organisation_for_profile(request.user, slug)
    if org is None:
        raise Http404
    user = request.user
    can_edit = user.is_authenticated and (
        is_admin(user) or org.managers.filter(pk=user.pk).exists()
    )
    profile = selectors.profile_of(org)
    context = {
        "org": org,
        "profile": profile,
        "registry_profile": getattr(org, "profile", None),
        "held_labels": labels.valid_labels([org.pk]).get(org.pk, []),
        "can_edit": can_edit,
        "categories": OfferCategory.choices,
        "suggestions": selectors.suggestions_for_organisation(org, limit=10) if can_edit else [],
        "verifications": org.verifications.all()[:5] if can_edit else [],
        "agreements": org.agreements.all(),
        "managed": selectors.managed_organisations(user).exclude(pk=org.pk)
        if user.is_authenticated
        else [],
    }
    return render(request, "collaboration/profile_detail.html", context)


@login_required
@require_POST
@_guard
def profile_action(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organisation, slug=slug)
    p = request.POST
    what = p.get("action")
    if what == "edit":
        profile = selectors.profile_of(org)
        if profile is None:
            if not (is_admin(request.user) or org.managers.filter(pk=request.user.pk).exists()):
                raise PermissionDenied
            profile = profile_services.get_or_create_profile(organisation=org)
        form = forms.ProfileEditForm(p)
        if not form.is_valid():
            for error in forms.form_errors(form):
                messages.error(request, error)
            return redirect("collab-profile", slug=slug)
        profile_services.update_profile(
            profile=profile,
            user=request.user,
            expected_version=form.cleaned_data["version"] or profile.version,
            changes=form.changes(),
        )
        messages.success(request, "Profile saved.")
    elif what == "verify":
        form = forms.VerificationRequestForm(p)
        if not form.is_valid():
            for error in forms.form_errors(form):
                messages.error(request, error)
            return redirect("collab-profile", slug=slug)
        data = form.cleaned_data
        verification_services.request_verification(
            organisation=org,
            user=request.user,
            **{**data, "member_types": data["member_types"] or None},
        )
        messages.success(request, "Verification requested; an administrator will check it.")
    elif what == "contact":
        contact_services.contact_organisation(
            sender_org=_org_from_post(request, "sender"),
            recipient_org=org,
            user=request.user,
            message=p.get("message", ""),
        )
        messages.success(request, "Contact request sent.")
    return redirect("collab-profile", slug=slug)


@login_required
@_guard
def verification_queue(request: HttpRequest) -> HttpResponse:
    if not is_admin(request.user):
        raise PermissionDenied
    if request.method == "POST":
        verification = get_object_or_404(
            selectors.pending_verifications(), pk=request.POST.get("verification")
        )
        verification_services.decide_verification(
            verification=verification,
            user=request.user,
            approve=request.POST.get("decision") == "approve",
            reasons=request.POST.get("reasons", ""),
        )
        messages.success(request, "Decision recorded.")
        return redirect("collab-verifications")
    return render(
        request,
        "collaboration/verifications.html",
        {"pending": selectors.pending_verifications()},
    )


# -- contacts -------------------------------------------------------------------------------------
@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "collaboration/contact_list.html", {"contacts": selectors.contacts(request.user)}
    )


@login_required
@_guard
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact: Contact | None = selectors.contact_detail(request.user, pk)
    if contact is None:
        raise Http404
    if request.method == "POST":
        what = request.POST.get("action")
        if what in ("accept", "decline"):
            contact_services.respond_to_contact(
                contact=contact, user=request.user, accept=what == "accept"
            )
            messages.success(request, f"Contact {what}ed.")
        elif what == "message":
            contact_services.send_message(
                contact=contact, user=request.user, body=request.POST.get("body", "")
            )
        return redirect("collab-contact", pk=pk)
    manages_recipient = (
        is_admin(request.user) or contact.recipient_org.managers.filter(pk=request.user.pk).exists()
    )
    return render(
        request,
        "collaboration/contact_detail.html",
        {
            "contact": contact,
            "messages_list": contact.messages.select_related("author"),
            "can_answer": manages_recipient and contact.status == "pending",
        },
    )


# -- events ---------------------------------------------------------------------------------------
def event_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "collaboration/event_list.html",
        {
            "events": selectors.events(),
            "may_create_event": permissions.can_create_event(request.user),
        },
    )


@_guard
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_detail(slug)
    if event is None:
        raise Http404
    user = request.user
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        what = request.POST.get("action")
        if what == "register":
            event_services.register(event=event, organisation=_org_from_post(request), user=user)
            messages.success(request, "Registered.")
        elif what == "meet":
            requester = get_object_or_404(
                Registration, event=event, pk=request.POST.get("requester")
            )
            invitee = get_object_or_404(Registration, event=event, pk=request.POST.get("invitee"))
            event_services.request_meeting(
                requester=requester,
                invitee=invitee,
                user=user,
                message=request.POST.get("message", ""),
            )
            messages.success(request, "Meeting requested.")
        elif what in ("accept", "decline"):
            mr = get_object_or_404(
                MeetingRequest, event=event, pk=request.POST.get("meeting_request")
            )
            event_services.respond_to_meeting(
                meeting_request=mr, user=user, accept=what == "accept"
            )
            messages.success(request, f"Meeting request {what}ed.")
        elif what == "slots":
            form = forms.SlotsForm(request.POST, event=event)
            if not form.is_valid():
                for field, errors in form.errors.items():
                    for error in errors:
                        messages.error(
                            request, error if field == "__all__" else f"{field}: {error}"
                        )
                return redirect("collab-event", slug=slug)
            slots = event_services.add_slots(event=event, user=user, **form.cleaned_data)
            messages.success(request, f"{len(slots)} time slots added.")
        elif what == "schedule":
            mr = get_object_or_404(
                MeetingRequest, event=event, pk=request.POST.get("meeting_request")
            )
            slot = get_object_or_404(TimeSlot, event=event, pk=request.POST.get("slot"))
            event_services.schedule_meeting(meeting_request=mr, slot=slot, user=user)
            messages.success(request, "Meeting scheduled.")
        return redirect("collab-event", slug=slug)
    managed = selectors.managed_organisations(user) if user.is_authenticated else []
    registrations = event.registrations.select_related("organisation")
    my_regs = [r for r in registrations if user.is_authenticated and r.organisation in managed]
    my_requests = [
        {"obj": mr, "free_slots": selectors.free_slots(mr)}
        for mr in selectors.meeting_requests_for(user, event)
    ]
    return render(
        request,
        "collaboration/event_detail.html",
        {
            "event": event,
            "registrations": registrations,
            "managed": managed,
            "my_regs": my_regs,
            "my_requests": my_requests,
            "schedule": selectors.schedule(event),
            "may_add_slots": user.is_authenticated
            and (
                permissions.can_create_event(user)
                or (event.organiser is not None and permissions.manages(user, event.organiser))
            ),
            "slots_form": forms.SlotsForm(event=event),
            "may_create_event": permissions.can_create_event(user),
        },
    )


@login_required
@_guard
def event_new(request: HttpRequest) -> HttpResponse:
    """Editors create a matchmaking event (the organiser's managers then add time slots)."""
    if not permissions.can_create_event(request.user):
        raise PermissionDenied
    form = forms.EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if Event.objects.filter(slug=slugify(data["name"])[:200]).exists():
            form.add_error("name", "An event with this name exists already.")
        else:
            event = event_services.create_event(user=request.user, **data)
            messages.success(request, "Event created.")
            return redirect("collab-event", slug=event.slug)
    return render(request, "collaboration/event_form.html", {"form": form})


# -- agreements -----------------------------------------------------------------------------------
def agreement_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "collaboration/agreement_list.html", {"agreements": selectors.agreements()}
    )


def agreement_detail(request: HttpRequest, key: str) -> HttpResponse:
    agreement = get_object_or_404(selectors.agreements(), key=key)
    return render(request, "collaboration/agreement_detail.html", {"agreement": agreement})


# -- personal data --------------------------------------------------------------------------------
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        delete_account = bool(request.POST.get("delete_account"))
        personal_data_services.delete_personal_data(
            user=request.user, delete_account=delete_account
        )
        if delete_account:
            logout(request)
            return redirect("home")
        messages.success(request, "Your collaboration data was deleted.")
        return redirect("collab-me")
    return render(request, "collaboration/my_data.html")


@login_required
def my_data_export(request: HttpRequest) -> HttpResponse:
    data = personal_data_services.export_personal_data(user=request.user)
    response = HttpResponse(json.dumps(data, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="my-collaboration-data.json"'
    return response

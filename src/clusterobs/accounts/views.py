"""Onboarding pages: sign up, confirm the address, the account page, claims and their queue.

Thin over ``services`` (writes) and ``selectors`` (reads). Password reset and change are
Django's own views with our templates (``urls``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterobs.accounts import forms, selectors, services
from clusterobs.accounts.models import OrganisationClaim
from clusterobs.registry.permissions import is_admin

#: Session key of the account signed up in this browser: confirming from the same browser logs
#: in at once; a link opened elsewhere (another device, a mail scanner) only activates.
SIGNUP_SESSION_KEY = "accounts_signup_user"


def _confirm_url(request: HttpRequest) -> str:
    url = reverse("account-confirm", args=["UIDB64", "TOKEN"])
    return request.build_absolute_uri(url).replace("UIDB64", "{uid}").replace("TOKEN", "{token}")


def _form_errors(form: forms.forms.Form, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: per field where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("account")
    form = forms.SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.sign_up(
                username=data["username"],
                email=data["email"],
                password=data["password1"],
                confirm_url=_confirm_url(request),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            request.session[SIGNUP_SESSION_KEY] = user.pk
            return render(request, "accounts/signup_done.html", {"email": user.email})
    return render(request, "accounts/signup.html", {"form": form})


def confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = services.confirm_email(uidb64=uidb64, token=token)
    except ValidationError as exc:
        context = {"errors": exc.messages}
        return render(request, "accounts/confirm_invalid.html", context, status=400)
    if request.session.get(SIGNUP_SESSION_KEY) == user.pk:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session.pop(SIGNUP_SESSION_KEY, None)
        messages.success(request, _("Your e-mail address is confirmed. Welcome!"))
        return redirect("account")
    messages.success(request, _("Your e-mail address is confirmed: log in to continue."))
    return redirect(f"{reverse('login')}?next={reverse('account')}")


def resend(request: HttpRequest) -> HttpResponse:
    form = forms.ResendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = selectors.unconfirmed_user(form.cleaned_data["email"])
        if user is not None:
            services.send_confirmation(user=user, confirm_url=_confirm_url(request))
        # The same answer whether or not the address has an account: no account enumeration.
        messages.info(
            request,
            _("If an unconfirmed account uses this address, a new link is on its way."),
        )
        return redirect("login")
    return render(request, "accounts/resend.html", {"form": form})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/account.html",
        {
            "managed": selectors.managed_organisations(request.user),
            "claims": selectors.claims_of(request.user),
            "pending_queue": selectors.pending_claims().count() if is_admin(request.user) else 0,
        },
    )


@login_required
def claim(request: HttpRequest) -> HttpResponse:
    """Claim an organisation of the registry (``?organisation=<slug>`` fills it in)."""
    initial = {"organisation": request.GET.get("organisation", "")}
    form = forms.ClaimExistingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_claim(
                user=request.user,
                organisation=data["organisation"],
                role=data["role"],
                evidence=data["evidence"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your claim of %(org)s is with the administrators.")
                % {"org": data["organisation"]},
            )
            return redirect("account")
    return render(request, "accounts/claim.html", {"form": form, "new": False})


@login_required
def claim_new(request: HttpRequest) -> HttpResponse:
    """Propose an organisation the registry does not have yet, and claim it."""
    form = forms.ClaimNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        role, evidence = data.pop("role"), data.pop("evidence")
        try:
            services.submit_claim(
                user=request.user, new_organisation=data, role=role, evidence=evidence
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your proposal of %(org)s is with the administrators.") % {"org": data["name"]},
            )
            return redirect("account")
    return render(request, "accounts/claim.html", {"form": form, "new": True})


@login_required
def claims_queue(request: HttpRequest) -> HttpResponse:
    if not is_admin(request.user):
        raise PermissionDenied
    return render(
        request,
        "accounts/claims_queue.html",
        {
            "pending": selectors.pending_claims(),
            "decided": selectors.decided_claims(),
            "form": forms.DecisionForm(),
        },
    )


@login_required
@require_POST
def claim_decide(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_admin(request.user):
        raise PermissionDenied
    claim_ = get_object_or_404(OrganisationClaim, pk=pk)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("account-claims")
    try:
        services.decide_claim(
            claim=claim_,
            user=request.user,
            approve=form.cleaned_data["approve"],
            reasons=form.cleaned_data["reasons"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Decided: %(claim)s.") % {"claim": claim_.subject})
    return redirect("account-claims")

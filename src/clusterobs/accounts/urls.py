"""Account pages under /accounts/ (mounted before ``django.contrib.auth.urls``, whose login and
logout stay as they are): sign-up, confirmation, the account page, claims, and Django's own
password reset and change views with the site's templates."""

from django.contrib.auth import views as auth
from django.urls import path

from clusterobs.accounts import views

T = "accounts/"

urlpatterns = [
    path("", views.account, name="account"),
    path("signup/", views.signup, name="signup"),
    path("confirm/resend/", views.resend, name="account-confirm-resend"),
    path("confirm/<str:uidb64>/<str:token>/", views.confirm, name="account-confirm"),
    path("claim/", views.claim, name="account-claim"),
    path("claim/new/", views.claim_new, name="account-claim-new"),
    path("claims/", views.claims_queue, name="account-claims"),
    path("claims/<int:pk>/decide/", views.claim_decide, name="account-claim-decide"),
    path(
        "password_reset/",
        auth.PasswordResetView.as_view(
            template_name=T + "password_reset_form.html",
            email_template_name=T + "email/password_reset_body.txt",
            subject_template_name=T + "email/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        auth.PasswordResetDoneView.as_view(template_name=T + "password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(template_name=T + "password_reset_confirm.html"),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth.PasswordResetCompleteView.as_view(template_name=T + "password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path(
        "password_change/",
        auth.PasswordChangeView.as_view(template_name=T + "password_change_form.html"),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth.PasswordChangeDoneView.as_view(template_name=T + "password_change_done.html"),
        name="password_change_done",
    ),
]

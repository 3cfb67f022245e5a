"""Pages of the collaboration app (mounted at ``/collaboration/``)."""

from __future__ import annotations

from django.urls import path

from clusterobs.collaboration import views

urlpatterns = [
    path("", views.home, name="collab-home"),
    path("requests/", views.request_list, name="collab-requests"),
    path("requests/new/", views.request_new, name="collab-request-new"),
    path("requests/<int:pk>/", views.request_detail, name="collab-request"),
    path("requests/<int:pk>/act/", views.request_action, name="collab-request-action"),
    path("profiles/<slug:slug>/", views.profile_detail, name="collab-profile"),
    path("profiles/<slug:slug>/act/", views.profile_action, name="collab-profile-action"),
    path("verifications/", views.verification_queue, name="collab-verifications"),
    path("contacts/", views.contact_list, name="collab-contacts"),
    path("contacts/<int:pk>/", views.contact_detail, name="collab-contact"),
    path("events/", views.event_list, name="collab-events"),
    path("events/new/", views.event_new, name="collab-event-new"),
    path("events/<slug:slug>/", views.event_detail, name="collab-event"),
    path("agreements/", views.agreement_list, name="collab-agreements"),
    path("agreements/<slug:key>/", views.agreement_detail, name="collab-agreement"),
    path("notifications/<int:pk>/", views.notification_open, name="collab-notification"),
    path("notifications/read/", views.notifications_read, name="collab-notifications-read"),
    path("me/", views.my_data, name="collab-me"),
    path("me/export.json", views.my_data_export, name="collab-me-export"),
]

from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    """Profiles, verification, partner search, matchmaking, agreements and B2B events."""

    name = "clusterobs.collaboration"
    label = "collaboration"
    verbose_name = "Collaboration"

from django.apps import AppConfig


class ReferencesConfig(AppConfig):
    """The documents and classifications the platform's content cites, with full citations."""

    name = "clusterobs.references"
    label = "references"
    verbose_name = "References"

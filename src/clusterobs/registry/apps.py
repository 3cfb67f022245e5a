from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_search(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    from django.db import connections

    from clusterobs.registry.search import ensure_search_indexes

    ensure_search_indexes(connections[using])


class RegistryConfig(AppConfig):
    """Clusters, organisations and other stakeholders, schemes and programmes."""

    name = "clusterobs.registry"
    label = "registry"
    verbose_name = "Registry"

    def ready(self) -> None:
        post_migrate.connect(_ensure_search, sender=self, dispatch_uid="registry_fts")

from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


def _ensure_index(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    from django.db import connections

    from clusterobs.knowledge.fulltext import ensure_index

    ensure_index(connections[using])


class KnowledgeConfig(AppConfig):
    """The knowledge library: documents, passages, case studies and their search."""

    name = "clusterobs.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge library"

    def ready(self) -> None:
        from clusterobs.knowledge import signals

        post_migrate.connect(_ensure_index, sender=self, dispatch_uid="knowledge_fts")
        post_save.connect(
            signals.initiative_document_saved,
            sender="programmes.InitiativeDocument",
            dispatch_uid="knowledge_initiative_document",
        )
        post_save.connect(
            signals.evaluation_saved,
            sender="programmes.EvaluationRun",
            dispatch_uid="knowledge_evaluation_report",
        )

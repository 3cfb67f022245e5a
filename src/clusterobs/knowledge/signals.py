"""Keep the library in step with the programmes app, which does not know the library exists.

* a document uploaded to a programme initiative is indexed when it is saved (after the
  transaction commits, so a failed upload indexes nothing);
* an evaluation report saved from the M&E module (``EvaluationRun.report`` set) becomes a
  case-study draft.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction


def initiative_document_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from clusterobs.knowledge import services

    pk = instance.pk

    def index() -> None:
        from clusterobs.programmes.models import InitiativeDocument

        document = InitiativeDocument.objects.filter(pk=pk).first()
        if document is not None:
            services.sync_initiative_document(document)

    transaction.on_commit(index)


def evaluation_saved(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any):
    if instance.report_id is None:
        return
    if update_fields is not None and "report" not in update_fields:
        return
    from clusterobs.knowledge import services

    pk = instance.pk

    def draft() -> None:
        from clusterobs.programmes.models import EvaluationRun

        run = EvaluationRun.objects.select_related("initiative__cluster").get(pk=pk)
        services.draft_from_evaluation(run)

    transaction.on_commit(draft)

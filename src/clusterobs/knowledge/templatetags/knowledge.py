"""``{% record_knowledge record %}``: the documents and case studies linked to a record, for
the cluster, scheme, organisation and initiative pages (one line in their templates)."""

from __future__ import annotations

from typing import Any

from django import template

from clusterobs.knowledge import selectors

register = template.Library()


@register.inclusion_tag("knowledge/_record_knowledge.html", takes_context=True)
def record_knowledge(context: dict[str, Any], record: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    return selectors.knowledge_of(user, record)

"""``{% cite record.source %}``: a provenance text whose title links to the sources page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from clusterobs.references import selectors

register = template.Library()

_CACHE_ATTR = "_clusterobs_cited_titles"


def _titles(context: template.Context) -> list[tuple[str, str]]:
    """The catalogue's titles, read once per request (pages cite many records)."""
    request = context.get("request")
    if request is None:
        return selectors.cited_titles()
    if not hasattr(request, _CACHE_ATTR):
        setattr(request, _CACHE_ATTR, selectors.cited_titles())
    return getattr(request, _CACHE_ATTR)


@register.simple_tag(takes_context=True)
def cite(context: template.Context, text: Any, empty: str = "—") -> SafeString:
    """The cited title as a link to its full citation, then the section as written."""
    text = "" if text is None else str(text)
    if not text:
        return conditional_escape(empty)
    match = selectors.split_citation(text, _titles(context))
    if match is None:
        return conditional_escape(text)
    key, title, rest = match
    url = reverse("sources") + f"#{key}"
    return format_html('<a href="{}" class="cite">{}</a>{}', url, title, rest)

"""``{% nav_section as section %}``: the main-menu item of the current page (see
``clusterobs.web.navigation``)."""

from __future__ import annotations

from django import template

from clusterobs.web.navigation import section

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_section(context: template.Context) -> str:
    return section(context.get("request"))

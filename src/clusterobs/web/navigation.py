"""Which main-menu item a page belongs to: exactly one, or none.

Why not substring tests on the path in the template: "/map/" is inside "/observatory/map/", so
two items lit up at once. The section comes from the URL pattern that served the page (its
namespace and name), with the path's first segment only as the fallback for pages no pattern
matched (a 404).
"""

from __future__ import annotations

from django.http import HttpRequest

#: url-name prefix -> section, first match wins (longest prefixes first where they overlap)
NAME_PREFIXES = (
    ("collab-", "collaboration"),
    ("cluster-", "clusters"),
    ("organisation-", "organisations"),
    ("scheme-", "schemes"),
    ("map", "map"),
    ("account", "account"),
    ("signup", "account"),
    ("password_", "account"),
    ("login", "login"),
    ("sources", "sources"),
    ("home", "home"),
)
NAMESPACES = {
    "observatory": "observatory",
    "programmes": "programmes",
    "initiatives": "programmes",
    "excellence": "excellence",
    "knowledge": "library",
}
FIRST_SEGMENTS = {
    "": "home",
    "clusters": "clusters",
    "organisations": "organisations",
    "schemes": "schemes",
    "map": "map",
    "initiatives": "programmes",
    "observatory": "observatory",
    "programmes": "programmes",
    "collaboration": "collaboration",
    "excellence": "excellence",
    "sources": "sources",
    "library": "library",
    "accounts": "account",
}


def section(request: HttpRequest | None) -> str:
    """The menu section of the page ``request`` asked for ("" when it has none, e.g. admin)."""
    if request is None:
        return ""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        if match.namespace in NAMESPACES:
            return NAMESPACES[match.namespace]
        name = match.url_name or ""
        for prefix, value in NAME_PREFIXES:
            if name.startswith(prefix):
                return value
        return ""
    first = request.path.strip("/").split("/", 1)[0]
    return FIRST_SEGMENTS.get(first, "")

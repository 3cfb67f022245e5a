"""Where to send a user back to, never off-site.

Why: "back to where you came from" read from the ``Referer`` header or a ``next`` parameter is
chosen by whoever built the link; a phishing page could make a failing form post answer
``302 Location: https://evil.example/``. Every such redirect goes through :func:`back_url`.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe(request: HttpRequest, url: str | None) -> bool:
    """True when ``url`` stays on this site (same host, and HTTPS when the request is)."""
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def back_url(request: HttpRequest, fallback: str, candidate: str | None = None) -> str:
    """``candidate`` (default: the ``Referer``) when it is on this site, else ``fallback``
    (a URL name or path)."""
    url = candidate if candidate is not None else request.META.get("HTTP_REFERER")
    return url if is_safe(request, url) else resolve_url(fallback)

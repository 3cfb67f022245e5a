"""The login-throttling backend: django-axes for every login that comes with a request.

Why a subclass: axes refuses ``authenticate()`` calls without a request, which are not logins
from the network (management commands, scripts, Django's test client); there is no address to
throttle, so they pass on to the next backend. Every web, admin and API login passes its request
and is counted (docs/security.md).
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)

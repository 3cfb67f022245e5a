"""Which published result a visitor is looking at: ``?dataset=`` or the one chosen before.

Why sticky: every observatory page, map and chart calls further pages and API endpoints; a
dataset chosen once (the switcher, a search hit, a shared link with ``?dataset=``) must stay
the one shown on every following page and request, or a European region page would draw U.S.
values on its map. The choice is kept in the visitor's session (Django's sessions; nothing of
ours to secure) and an explicit ``?dataset=`` always wins.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest
from django.urls import reverse

from clusterobs.observatory.store import DatasetNotFoundError, ResultsStore, get_store

SESSION_KEY = "observatory_dataset"


def current_store(request: HttpRequest) -> ResultsStore:
    """The store of ``?dataset=`` (remembered), else the remembered one, else the default.

    An unknown ``?dataset=`` raises :class:`DatasetNotFoundError`; a remembered dataset that
    has since been removed is forgotten and the default is shown.
    """
    asked = request.GET.get("dataset")
    session = getattr(request, "session", None)
    if asked:
        store = get_store(asked)
        if session is not None and session.get(SESSION_KEY) != asked:
            session[SESSION_KEY] = asked
        return store
    remembered = session.get(SESSION_KEY) if session is not None else None
    if remembered:
        try:
            return get_store(remembered)
        except DatasetNotFoundError:
            session.pop(SESSION_KEY, None)
    return get_store(None)


def store_or_404(request: HttpRequest) -> ResultsStore:
    """:func:`current_store` for a page: an unknown dataset is a 404 naming it."""
    try:
        return current_store(request)
    except DatasetNotFoundError as exc:
        raise Http404(str(exc)) from exc


def int_param(value: str | None) -> int | None:
    """A query parameter as a whole number, ``None`` when absent or not a number."""
    try:
        return int(value) if value else None
    except ValueError:
        return None


def url_with(name: str, *args: str, **params: object) -> str:
    """``reverse(name, args)`` with the non-empty ``params`` as its query string."""
    url = reverse(name, args=args)
    q = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{url}?{q}" if q else url

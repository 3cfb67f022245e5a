"""Pagination of the registry's large lists: the count and the page from one query."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

from clusterobs.registry import selectors


class WindowCountPagination(LimitOffsetPagination):
    """``limit``/``offset`` pages with the same response as DRF's ``LimitOffsetPagination``.

    The count is exact. For a searched list it comes with the page's primary keys from one query
    (:func:`selectors.page_keys`), so a broad search scans its matches once, not once for
    ``COUNT`` and again for the page; the view's ``page_loader`` then reads the page's records,
    with only what the list shape shows.
    """

    def paginate_queryset(
        self, queryset: QuerySet, request: Request, view: Any = None
    ) -> list[Any] | None:
        self.request = request
        self.limit = self.get_limit(request)
        if self.limit is None:  # pragma: no cover - a default limit is always configured
            return None
        self.offset = self.get_offset(request)
        self.count, keys = selectors.page_keys(queryset, offset=self.offset, limit=self.limit)
        if self.count > self.limit and self.template is not None:
            self.display_page_controls = True
        return view.page_loader(keys) if keys else []

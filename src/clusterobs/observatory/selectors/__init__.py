"""Reads behind every observatory page and its JSON twin, one module per page or concern.

Each public function returns plain JSON-ready data (dicts, lists of row dicts): the page renders
it, the API returns it unchanged, and the CSV export flattens one of its ``tables``, so the three
can never disagree. Results are memoised per result version (see :mod:`..store`).

``regions``, ``clusters``, ``maps``, ``search`` and ``compare`` serve the pages of those names;
``results`` reads a published result, ``registry_queries`` the database, ``caching`` keeps names,
``maths`` holds the small pandas helpers, ``glossary`` and ``palettes`` what users are shown.
"""

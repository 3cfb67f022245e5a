"""Writes of the collaboration app, one module per sub-domain: keyword-only, typed functions
(HackSoft style).

Every function checks who may do it (``checks``, raising ``PermissionDenied``), so the web
pages and the API cannot drift apart on the rules.
"""

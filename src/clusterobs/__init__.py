"""Cluster Observatory: a cluster observatory and collaboration platform.

The analytics core (``sources``, ``classifications``, ``definitions``, ``mapping``) is a plain
Python library usable from a notebook; the Django apps (``registry``, ``web`` ...) build the
platform on top of it. Data flows one way: sources -> engine -> stored results -> web.
"""

__version__ = "0.1.0"

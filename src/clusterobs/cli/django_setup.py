"""Start Django for CLI commands that touch the platform's database.

Commands of the analytics core (``mapping``, ``classifications``) do not call this: they run
without Django.
"""

from __future__ import annotations

import os


def setup_django() -> None:
    """Configure Django once; safe to call repeatedly."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterobs.web.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()

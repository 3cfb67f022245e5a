from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    """Statistical pages and API over the mapping engine's stored results (read-only)."""

    name = "clusterobs.observatory"
    label = "observatory"
    verbose_name = _("Observatory")
    default_auto_field = "django.db.models.BigAutoField"

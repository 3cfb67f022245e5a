from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    """Cluster development programmes: lifecycle, scheme funding rules, M&E and evaluation."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "clusterobs.programmes"
    label = "programmes"
    verbose_name = "Programmes"

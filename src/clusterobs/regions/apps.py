from django.apps import AppConfig


class RegionsConfig(AppConfig):
    """Region hierarchies and boundaries (imported with ``clusterobs regions import``)."""

    name = "clusterobs.regions"
    label = "regions"
    verbose_name = "Regions"

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "clusterobs.web"
    label = "web"

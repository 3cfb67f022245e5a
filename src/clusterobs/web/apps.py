from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "clusterobs.web"
    label = "web"

    def ready(self) -> None:
        # Every model is loaded now: give all their text fields the one control-character check.
        from clusterobs.web import text_guard

        text_guard.install()

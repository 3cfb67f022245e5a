from django.apps import AppConfig


class ExcellenceConfig(AppConfig):
    """Benchmarking of cluster management and quality labels."""

    name = "clusterobs.excellence"
    label = "excellence"
    verbose_name = "Cluster management excellence"

    def ready(self) -> None:
        # Lower layers read valid labels through hooks they own (they may not import us).
        from clusterobs.collaboration import labels as collaboration_labels
        from clusterobs.excellence import selectors
        from clusterobs.programmes.rules import facts

        collaboration_labels.register(
            collaboration_labels.LabelSource(
                lookup=selectors.held_labels, version=selectors.labels_version
            )
        )
        facts.register(selectors.label_facts)

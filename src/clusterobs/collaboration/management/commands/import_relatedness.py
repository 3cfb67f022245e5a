"""``django-admin import_relatedness FILE``: load a cluster relatedness table into the database,
so matchmaking never reads files outside the product at run time."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from clusterobs.collaboration.services.relatedness import import_relatedness


class Command(BaseCommand):
    help = "Import a cluster relatedness table (U.S. Cluster Mapping relatedClusters layout)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--classification", default="USCMP")
        parser.add_argument("--source", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        n = import_relatedness(
            options["path"], classification=options["classification"], source=options["source"]
        )
        self.stdout.write(f"{n} cluster pairs imported ({options['classification']})")

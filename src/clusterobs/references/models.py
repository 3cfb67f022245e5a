"""A document or classification that records cite (data and constraints only).

Records keep their provenance as text, ``"<title>, <section>"`` (``RegistryRecord.source``): the
text stays readable in exports and backups without this table, and an editor may cite any other
source in free text. This catalogue adds the full bibliographic citation of the titles it knows,
and the pages link a cited title to it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    CLASSIFICATION = "classification", _("Classification")
    DATASET = "dataset", _("Dataset")


class SourceDocumentManager(models.Manager["SourceDocument"]):
    def get_by_natural_key(self, key: str) -> SourceDocument:
        return self.get(key=key)


class SourceDocument(models.Model):
    """One citable source: who wrote and published it, when, where to find it."""

    key = models.SlugField(max_length=80, unique=True, help_text=_("Stable key used by data files"))
    kind = models.CharField(max_length=16, choices=SourceKind.choices, default=SourceKind.DOCUMENT)
    title = models.CharField(
        max_length=300, unique=True, help_text=_("Records cite the source by this title")
    )
    subtitle = models.CharField(max_length=300, blank=True)
    authors = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    place = models.CharField(max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    date = models.DateField(null=True, blank=True, help_text=_("Issue date, where stated"))
    series = models.CharField(
        max_length=500, blank=True, help_text=_("Series, report number, project or conference")
    )
    url = models.URLField(blank=True, help_text=_("Public address, where there is one"))
    contents = models.TextField(blank=True, help_text=_("Sections, to follow a citation"))
    note = models.TextField(blank=True, help_text=_("How the platform uses it; caveats"))

    objects = SourceDocumentManager()

    class Meta:
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.key,)

    @property
    def citation(self) -> str:
        """The full reference: authors (year). Title: subtitle. Series. Publisher, place."""
        title = f"{self.title}: {self.subtitle}" if self.subtitle else self.title
        parts = [f"{self.authors} ({self.year})" if self.year else self.authors, title]
        parts += [self.series, ", ".join(p for p in (self.publisher, self.place) if p)]
        return ". ".join(p.rstrip(".") for p in parts if p) + "."

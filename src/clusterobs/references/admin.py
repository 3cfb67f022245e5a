from django.contrib import admin

from clusterobs.references.models import SourceDocument


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "authors", "year")
    list_filter = ("kind",)
    search_fields = ("title", "authors", "publisher", "key")

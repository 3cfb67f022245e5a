"""Agreements cite documents by title and section, never by a file name (see the registry's
migration 0003 for the rule); agreements of other sources are left exactly as they are."""

import re

from django.db import migrations

FILES = {
    "seeds/000_9a9a01752eefee5e.txt": "Changing Paradigms of Cluster Development",
    "seeds/004_d36efa97d15a2b9f.txt": "Report on Cluster Existence and Cooperation",
}
LINES = re.compile(r"(?:,|;)?\s*lines? \d+(?:-\d+)?(?:(?:,| and) \d+(?:-\d+)?)*")


def cite(source):
    for name, title in FILES.items():
        if source.startswith(name):
            rest = LINES.sub("", source[len(name) :]).strip(" ,;")
            return f"{title}, {rest}" if rest else title
    return source


def forwards(apps, schema_editor):
    agreement = apps.get_model("collaboration", "Agreement")
    for row in agreement.objects.filter(source__startswith="seeds/").iterator():
        agreement.objects.filter(pk=row.pk).update(
            source=cite(row.source),
            status_note=row.status_note.replace(
                "quoted in seed 004", "quoted in the Report on Cluster Existence and Cooperation"
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("collaboration", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

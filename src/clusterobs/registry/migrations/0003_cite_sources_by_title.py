"""Provenance cites documents by title and section, never by a file name.

Starter records loaded before this release say "seeds/000_9a9a01752eefee5e.txt, section V.I,
lines 458-459"; a visitor cannot follow a file that is not in the product. This rewrites such
provenance to "<document title>, <section>" (the titles of ``clusterobs.references``), and the
"seed 000" / "seed 004" mentions in descriptions to the titles. It also corrects the count of
the Ministry of MSME's MoU partners (15 in the source's list, 14 were loaded). Text that does
not mention the two files is left exactly as it is.
"""

import re

from django.db import migrations

FILES = {
    "seeds/000_9a9a01752eefee5e.txt": "Changing Paradigms of Cluster Development",
    "seeds/004_d36efa97d15a2b9f.txt": "Report on Cluster Existence and Cooperation",
}
TITLES = {"000": FILES["seeds/000_9a9a01752eefee5e.txt"], "004": FILES["seeds/004_d36efa97d15a2b9f.txt"]}
LINES = re.compile(r"(?:,|;)?\s*lines? \d+(?:-\d+)?(?:(?:,| and) \d+(?:-\d+)?)*")


def cite(source):
    """``seeds/<file>[ (note)], <location>`` -> ``<title>, <location without line numbers>``."""
    for name, title in FILES.items():
        if source.startswith(name):
            rest = source[len(name) :]
            rest = re.sub(r"^\s*\([^)]*\)", "", rest)  # "(Ministry of MSME table)"
            rest = LINES.sub("", rest).strip(" ,;")
            return f"{title}, {rest}" if rest else title
    return source


def prose(text):
    """"(seed 000, section V.II, lines 1-2)" -> "(Changing Paradigms ..., section V.II)"."""
    if not re.search(r"\b[Ss]eeds?\b", text):
        return text

    def paren(m):
        rest = LINES.sub("", m.group(2) or "").strip(" ,;")
        return f"({TITLES[m.group(1)]}{', ' + rest if rest else ''})"

    text = re.sub(r"\(seed (000|004)((?:,|;)[^()]*)?\)", paren, text)
    text = re.sub(r"\bSeed 004\b", "The " + TITLES["004"], text)
    text = re.sub(r"\bSeed 000\b", TITLES["000"], text)
    text = re.sub(r"\bseed 004\b", "the " + TITLES["004"], text)
    text = re.sub(r"\bseed 000\b", TITLES["000"], text)
    text = re.sub(r"\((section [^()]*?)\s*,\s*lines? \d+(?:-\d+)?\)", r"(\1)", text)
    text = LINES.sub("", text)
    text = re.sub(r"\bthe seeds\b", "the sources", text)
    text = re.sub(r"\bthe seed\b", "the source", text)
    text = re.sub(r"\bThe seed\b", "The source", text)
    text = text.replace("(seed: ", "(source: ")
    for before, after in EDITS.items():
        text = text.replace(before, after)
    return text


# Wordings the release's starter files rephrased by hand after the rule above.
EDITS = {
    "(see initiatives.json, unido-dipp-icdp)": (
        "(see the initiative 'Integrated Cluster Development Programme (ICDP) of UNIDO in India')"
    ),
    "(Report on Cluster Existence and Cooperation, Changing Paradigms of Cluster Development ": (
        "(Changing Paradigms of Cluster Development "
    ),
    "MSME enterprises (Report on Cluster Existence and Cooperation)": "MSME enterprises",
}


MODELS = {
    "Cluster": ("description",),
    "Organisation": ("description",),
    "Scheme": ("description",),
    "Initiative": ("description",),
    "KeyFigure": (),
    "SchemeCoverage": ("note",),
    "SchemeComponent": ("notes",),
    "CountryFigure": ("label",),
    "ThematicChallenge": (),
}


def forwards(apps, schema_editor):
    for name, text_fields in MODELS.items():
        model = apps.get_model("registry", name)
        for row in model.objects.filter(source__startswith="seeds/").iterator():
            changed = {"source": cite(row.source)}
            for field in text_fields:
                changed[field] = prose(getattr(row, field))
            model.objects.filter(pk=row.pk).update(**changed)
    figure = apps.get_model("registry", "CountryFigure")
    figure.objects.filter(key="in-msme-mou-countries", value=14).update(value=15)
    organisation = apps.get_model("registry", "Organisation")
    for org in organisation.objects.filter(slug="ministry-of-msme", version=1):
        organisation.objects.filter(pk=org.pk).update(
            description=org.description.replace("with 14 countries", "with 15 countries")
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_list_covering_indexes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

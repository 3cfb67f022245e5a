"""The interface in a second language: the French catalogue is complete (every message of the
code and templates translated, none fuzzy) and the pages speak French when asked to.

msgfmt (GNU gettext, installed by scripts/system-deps.sh) checks the catalogues and compiles
them, as scripts/bootstrap.sh does; makemessages runs on a scratch copy of the catalogue so the
test never rewrites the committed one.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.support import REPO

PACKAGE = REPO / "src" / "clusterobs"
LOCALE = PACKAGE / "locale"
CATALOGUES = sorted(LOCALE.glob("fr/LC_MESSAGES/*.po"))


def _statistics(po: Path) -> str:
    """msgfmt's count line, e.g. "753 translated messages." (fuzzy and untranslated follow)."""
    done = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stderr.strip()


@pytest.fixture(scope="module")
def compiled() -> None:
    """The .mo files Django reads, compiled from the committed catalogues."""
    for po in CATALOGUES:
        subprocess.run(["msgfmt", "--check", "-o", str(po.with_suffix(".mo")), str(po)], check=True)


def test_there_are_french_catalogues() -> None:
    assert [p.name for p in CATALOGUES] == ["django.po", "djangojs.po"]


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.name)
def test_every_message_is_translated(po: Path) -> None:
    stats = _statistics(po)
    assert re.fullmatch(r"\d+ translated messages?\.", stats), stats
    assert "#, fuzzy" not in po.read_text(encoding="utf-8").split('msgid ""', 1)[1]


@pytest.mark.parametrize(
    ("domain", "ignore"), [("django", "*/migrations/*"), ("djangojs", "*/vendor/*")]
)
def test_makemessages_finds_no_new_message(domain: str, ignore: str, tmp_path, monkeypatch) -> None:
    """Extract the messages again, merged into a scratch copy of the catalogue: a string marked
    for translation but missing from the committed catalogue comes out untranslated."""
    scratch = tmp_path / "locale"
    shutil.copytree(LOCALE, scratch, ignore=shutil.ignore_patterns("*.mo"))
    tree = tmp_path / "src"
    tree.mkdir()
    for child in PACKAGE.iterdir():
        if child.name != "locale":
            (tree / child.name).symlink_to(child)
    monkeypatch.chdir(tree)
    with override_settings(LOCALE_PATHS=[str(scratch)]):
        call_command(
            "makemessages",
            locale=["fr"],
            domain=domain,
            symlinks=True,
            no_location=True,
            no_wrap=True,
            ignore_patterns=["data/*", ignore],
            verbosity=0,
        )
    merged = scratch / "fr" / "LC_MESSAGES" / f"{domain}.po"
    assert re.fullmatch(r"\d+ translated messages?\.", _statistics(merged)), _statistics(merged)


def test_pages_speak_french_when_asked(compiled, starter, client) -> None:
    html = client.get("/clusters/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr">' in html
    assert "Appliquer les filtres" in html and "Apply filters" not in html
    english = client.get("/clusters/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Apply filters" in english
    programmes = client.get("/programmes/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Programmes de développement des clusters" in programmes
    collaboration = client.get("/collaboration/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Recherches de partenaires ouvertes" in collaboration


def test_the_language_switcher_sets_french(compiled, starter, client) -> None:
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/organisations/"})
    assert response.status_code == 302 and response["Location"] == "/organisations/"
    html = client.get("/organisations/").content.decode()
    assert '<option value="fr" lang="fr" selected>français</option>' in html
    assert "Appliquer les filtres" in html and "Apply filters" not in html

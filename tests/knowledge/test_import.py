"""Imports into the library: all or nothing, duplicates, links suggested, CLI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from clusterobs.knowledge import services
from clusterobs.knowledge.models import Document, DocumentLink, Passage
from clusterobs.knowledge.services import LibraryImportError
from tests.knowledge.conftest import make_docx, make_pdf

TEXT_A = (
    "The Leather footwear cluster, Agra needs a common facility centre. The MSE-CDP "
    "scheme funds it; NIC 2008 code 15201 covers footwear. Pollution intensive tanneries "
    "must treat effluent."
)


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_import_stores_file_passages_language_and_suggested_links(registry, users, settings):
    report = services.import_files(
        user=users["editor"],
        files=[("agra.pdf", make_pdf([TEXT_A, "Second page on trust building."]))],
        collection="tests",
        metadata={"doc_type": "diagnostic_study", "year": 2019, "country": "IN"},
    )
    (document,) = report.added
    assert document.page_count == 2 and document.language == "en"
    assert document.collection == "tests" and document.content_hash
    assert Path(document.file.path).read_bytes()[:4] == b"%PDF"
    assert list(document.passages.values_list("page", flat=True)) == [1, 2]
    links = {(link.target, link.label, link.status) for link in document.links.all()}
    assert ("cluster", "Leather footwear cluster, Agra", "suggested") in links
    assert ("scheme", registry["scheme"].name, "suggested") in links
    assert ("industry_code", "NIC2008 15201", "suggested") in links
    assert ("challenge", "Pollution intensive", "suggested") in links
    assert not any(t == "cluster" and "Coimbatore" in label for t, label, _s in links)


def test_duplicate_content_is_reported_not_stored_twice(registry, users):
    data = make_docx([[TEXT_A]])
    services.import_files(user=users["editor"], files=[("a.docx", data)])
    report = services.import_files(
        user=users["editor"], files=[("copy.docx", data), ("b.md", b"# B\n\nOther text here.")]
    )
    assert [name for name, _doc in report.duplicates] == ["copy.docx"]
    assert [d.title for d in report.added] == ["B"]
    assert Document.objects.count() == 2


def test_one_bad_file_refuses_the_whole_import(registry, users, settings):
    with pytest.raises(LibraryImportError) as error:
        services.import_files(
            user=users["editor"],
            files=[("good.md", b"# Good\n\nFine text."), ("bad.pdf", b"%PDF-1.4 broken")],
        )
    assert "bad.pdf: not a readable PDF" in str(error.value)
    assert "Nothing was imported" in str(error.value)
    assert Document.objects.count() == 0 and Passage.objects.count() == 0
    assert _stored_files(settings) == []


def test_failure_while_writing_removes_copied_files(registry, users, settings, monkeypatch):
    calls = []
    real = services.suggest_links

    def fail_on_second(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "suggest_links", fail_on_second)
    files = [("one.md", b"# One\n\nFirst text."), ("two.md", b"# Two\n\nSecond text.")]
    with pytest.raises(RuntimeError):
        services.import_files(user=users["editor"], files=files)
    assert Document.objects.count() == 0
    assert _stored_files(settings) == []


def test_a_200_mb_file_is_refused_unread(tmp_path, users):
    big = tmp_path / "huge.pdf"
    with big.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: no 200 MB written
    with pytest.raises(LibraryImportError, match=r"huge\.pdf: 210 MB is over the library's"):
        services.read_files([big])
    assert Document.objects.count() == 0


@pytest.mark.parametrize("role", ["viewer", "manager"])
def test_only_editors_import(users, role):
    with pytest.raises(PermissionDenied):
        services.import_files(user=users[role], files=[("a.md", b"# A\n\ntext")])


def test_confirm_and_reject_suggestions(registry, users):
    report = services.import_files(user=users["editor"], files=[("a.md", TEXT_A.encode())])
    (document,) = report.added
    cluster_link = document.links.get(target="cluster")
    with pytest.raises(PermissionDenied):
        services.confirm_link(user=users["viewer"], link=cluster_link)
    services.confirm_link(user=users["editor"], link=cluster_link)
    cluster_link.refresh_from_db()
    assert cluster_link.status == "confirmed" and cluster_link.confirmed_by == users["editor"]
    services.reject_link(user=users["editor"], link=document.links.get(target="challenge"))
    assert not DocumentLink.objects.filter(document=document, target="challenge").exists()


def test_cli_imports_a_folder_recursively(registry, users, tmp_path, settings):
    from typer.testing import CliRunner

    from clusterobs.cli.main import app

    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.md").write_text("# Alpha\n\nCluster policy in Europe.")
    (folder / "sub" / "b.pdf").write_bytes(make_pdf(["Beta page one.", "Beta page two."]))
    (folder / "sub" / "skip.png").write_bytes(b"\x89PNG")
    result = CliRunner().invoke(
        app, ["library", "import", str(folder), "--collection", "handbook"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "2 added" in result.output and "skip.png" in result.output
    assert set(Document.objects.values_list("collection", flat=True)) == {"handbook"}
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a docx")
    result = CliRunner().invoke(app, ["library", "import", str(broken)])
    assert result.exit_code == 1
    # the console wraps long paths anywhere: compare without the white space
    assert "broken.docx:notareadableDOCX" in "".join(result.output.split())
    assert os.path.exists(folder)


def test_reindex_rebuilds_passages_from_the_stored_files(registry, users):
    from typer.testing import CliRunner

    from clusterobs.cli.main import app

    data = make_pdf(["First page text here.", "Second page text here."])
    (document,) = services.import_files(user=users["editor"], files=[("r.pdf", data)]).added
    before = list(document.passages.values_list("page", "text"))
    Passage.objects.all().delete()
    result = CliRunner().invoke(app, ["library", "reindex"], catch_exceptions=False)
    assert result.exit_code == 0 and "1 document(s) re-read, 2 passage(s)" in result.output
    assert list(document.passages.values_list("page", "text")) == before


def test_sync_indexes_programme_uploads_made_before_the_library(programme, users):
    from django.core.files.base import ContentFile

    from clusterobs.programmes.models import InitiativeDocument

    upload = InitiativeDocument(
        initiative=programme["initiative"], kind="action_plan", title="Agra action plan"
    )
    upload.file.save("plan.md", ContentFile(b"# Plan\n\nJoint marketing of footwear."), save=False)
    upload.save()  # outside a commit hook: nothing indexed yet in this test transaction
    assert not Document.objects.filter(initiative_document=upload).exists()
    assert services.sync_programme_documents() == 1
    document = Document.objects.get(initiative_document=upload)
    assert document.doc_type == "action_plan" and document.visibility == "initiative"
    targets = set(document.links.filter(status="confirmed").values_list("target", flat=True))
    assert targets == {"initiative", "cluster", "scheme"}
    assert services.sync_programme_documents() == 0

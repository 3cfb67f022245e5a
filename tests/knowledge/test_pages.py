"""Library pages render for every role; upload is for editors only; the navigation lights up."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clusterobs.knowledge.models import Document


@pytest.mark.parametrize("role", ["anonymous", "viewer", "editor"])
def test_pages_render(role, users, registry, client):
    if role != "anonymous":
        client.force_login(users[role])
    for url in (
        "/library/",
        "/library/?q=cluster+funding&mode=hybrid&type=policy",
        "/library/?q=cluster&mode=fulltext",
        "/library/case-studies/",
        "/library/what-works/?challenge=pollution-intensive",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'aria-current="page">Library<' in response.content.decode()


def test_upload_for_editors_only(users, registry, client):
    client.force_login(users["viewer"])
    assert client.get("/library/add/").status_code == 403
    client.force_login(users["editor"])
    files = [
        SimpleUploadedFile("a.md", b"# Alpha\n\nCluster funding note."),
        SimpleUploadedFile("b.txt", b"Another note on trust."),
    ]
    response = client.post(
        "/library/add/",
        {"files": files, "doc_type": "guide", "visibility": "public", "year": 2020},
    )
    assert response.status_code == 302
    assert set(Document.objects.values_list("doc_type", "year")) == {("guide", 2020)}
    bad = client.post(
        "/library/add/",
        {
            "files": [SimpleUploadedFile("c.pdf", b"%PDF-1.4 broken")],
            "doc_type": "guide",
            "visibility": "public",
        },
    )
    assert bad.status_code == 200 and "c.pdf: not a readable PDF" in bad.content.decode()
    assert Document.objects.count() == 2

"""Writes of the knowledge library (keyword-only, typed): imports, links, index, case studies.

Imports are all-or-nothing: every file is read and checked before anything is written, and a
failure while writing removes the files already copied, so neither the database nor the media
folder keeps half an import.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify

from clusterobs.knowledge import access, extraction, indexing, suggestions
from clusterobs.knowledge.indexing import Prepared
from clusterobs.knowledge.models import CaseStudy, CaseStudyResult, Document, DocumentLink
from clusterobs.knowledge.vocabularies import (
    FROM_PROGRAMME_KIND,
    CaseStudyStatus,
    DocumentType,
    EvaluationDesign,
    LinkStatus,
    LinkTarget,
    Visibility,
)

log = logging.getLogger(__name__)


class LibraryImportError(ValueError):
    """An import refused as a whole; the message lists every file and what is wrong with it."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"Nothing was imported; {len(problems)} problem(s):\n{lines}")


@dataclass
class ImportReport:
    added: list[Document] = field(default_factory=list)
    duplicates: list[tuple[str, Document]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _require_manage(user: Any) -> None:
    if not access.can_manage(user):
        raise PermissionDenied("Only editors add documents to the library.")


def collect_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The files to import: each file named, and the readable files in each folder (recursive,
    sorted). Returns them and the folder entries skipped for their format."""
    files: list[Path] = []
    skipped: list[str] = []
    for path in paths:
        if not path.exists():
            raise LibraryImportError([f"{path}: no such file or folder."])
        if path.is_file():
            files.append(path)
            continue
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if child.name.startswith("."):
                continue
            if child.suffix.lower() in extraction.MEDIA_TYPES:
                files.append(child)
            else:
                skipped.append(str(child))
    return files, skipped


def read_files(files: list[Path]) -> list[tuple[str, bytes]]:
    """Name and content of each file; a file over the size limit is refused unread."""
    problems = [
        f"{f}: {f.stat().st_size / 1e6:.0f} MB is over the library's limit of "
        f"{extraction.MAX_BYTES // (1024 * 1024)} MB."
        for f in files
        if f.stat().st_size > extraction.MAX_BYTES
    ]
    if problems:
        raise LibraryImportError(problems)
    return [(str(f), f.read_bytes()) for f in files]


def _prepare_all(files: list[tuple[str, bytes]]) -> list[Prepared]:
    prepared, problems = [], []
    for name, data in files:
        try:
            prepared.append(indexing.prepare(name, data))
        except extraction.ExtractionError as exc:
            problems.append(str(exc))
    if problems:
        raise LibraryImportError(problems)
    return prepared


def import_files(
    *,
    user: Any,
    files: list[tuple[str, bytes]],
    collection: str = "",
    metadata: dict[str, Any] | None = None,
) -> ImportReport:
    """Add files to the library, all or none. A file already in the library (same content
    hash) is reported as a duplicate and not added again. ``metadata`` applies to every file
    (title only when a single file is imported)."""
    _require_manage(user)
    prepared = _prepare_all(files)
    report = ImportReport()
    stored: list[str] = []
    try:
        with transaction.atomic():
            for item in prepared:
                existing = Document.objects.filter(
                    content_hash=item.content_hash, initiative_document__isnull=True
                ).first()
                if existing is not None:
                    report.duplicates.append((item.name, existing))
                    continue
                document = _store(
                    item, user, collection, metadata or {}, single=len(files) == 1, stored=stored
                )
                report.added.append(document)
    except BaseException:
        _remove_files(stored)
        raise
    return report


def _remove_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def _store(
    item: Prepared,
    user: Any,
    collection: str,
    metadata: dict[str, Any],
    *,
    single: bool,
    stored: list[str],
) -> Document:
    """Copy the file and write the document, its passages and suggested links; the copied
    file's name goes to ``stored`` at once, so a failure after it can remove it."""
    fields = dict(metadata)
    if not single:
        fields.pop("title", None)
    fallback = Path(item.name).stem.replace("_", " ").replace("-", " ")
    document = Document(
        title=(fields.pop("title", "") or item.extracted.title or fallback)[:500],
        collection=collection,
        language=item.language,
        file_name=Path(item.name).name,
        media_type=item.extracted.media_type,
        size=len(item.data),
        page_count=len(item.extracted.pages),
        content_hash=item.content_hash,
        added_by=user if getattr(user, "is_authenticated", False) else None,
        **fields,
    )
    document.file.save(Path(item.name).name, ContentFile(item.data), save=False)
    stored.append(document.file.name)
    document.full_clean(exclude=["file"])
    document.save()
    indexing.store_passages(document, item)
    suggest_links(document=document)
    return document


def suggest_links(*, document: Document) -> list[DocumentLink]:
    """Store the links the text suggests (existing links, confirmed or not, are kept)."""
    text = "\n".join(document.passages.values_list("text", flat=True))
    created = []
    for s in suggestions.suggest(f"{document.title}\n{text}"):
        fk = {} if s.pk is None else {_FIELD[s.target]: s.pk}
        link, new = DocumentLink.objects.get_or_create(
            document=document,
            target=s.target,
            classification=s.classification,
            code=s.code,
            **fk,
            defaults={"evidence": s.evidence},
        )
        if new:
            created.append(link)
    return created


_FIELD = {
    LinkTarget.CLUSTER: "cluster_id",
    LinkTarget.ORGANISATION: "organisation_id",
    LinkTarget.SCHEME: "scheme_id",
    LinkTarget.INITIATIVE: "initiative_id",
    LinkTarget.REGION: "region_id",
    LinkTarget.CHALLENGE: "challenge_id",
}


def confirm_link(*, user: Any, link: DocumentLink) -> DocumentLink:
    """An editor confirms a suggested link: it then counts in facets and on record pages."""
    _require_manage(user)
    link.status = LinkStatus.CONFIRMED
    link.confirmed_by = user
    link.save(update_fields=["status", "confirmed_by"])
    return link


def reject_link(*, user: Any, link: DocumentLink) -> None:
    _require_manage(user)
    link.delete()


def add_link(*, user: Any, document: Document, target: str, record: Any = None, **code: str):
    """An editor links a document to a record (or an industry code): confirmed at once."""
    _require_manage(user)
    fk = {} if record is None else {_FIELD[target]: record.pk}
    link, _ = DocumentLink.objects.update_or_create(
        document=document,
        target=target,
        classification=code.get("classification", ""),
        code=code.get("code", ""),
        **fk,
        defaults={"status": LinkStatus.CONFIRMED, "confirmed_by": user},
    )
    return link


def update_metadata(*, user: Any, document: Document, **fields: Any) -> Document:
    _require_manage(user)
    for name, value in fields.items():
        setattr(document, name, value)
    document.full_clean(exclude=["file"])
    document.save()
    return document


# --- programme documents ---------------------------------------------------------------------


def sync_initiative_document(initiative_document: Any) -> Document:
    """Index a document uploaded to a programme initiative: it joins the library with the
    initiative's links and the initiative's visibility (readers of it in full). A file the
    library cannot read is kept as a record without passages."""
    initiative = initiative_document.initiative
    document, _ = Document.objects.update_or_create(
        initiative_document=initiative_document,
        defaults=_initiative_fields(initiative_document, initiative),
    )
    document.file.name = initiative_document.file.name
    try:
        with initiative_document.file.open("rb") as handle:
            data = handle.read()
        item = indexing.prepare(initiative_document.file.name, data)
    except (extraction.ExtractionError, OSError) as exc:
        log.warning("library: %s not indexed: %s", initiative_document.file.name, exc)
        document.save()
        _link_initiative(document, initiative)
        return document
    document.content_hash = item.content_hash
    document.language = item.language
    document.page_count = len(item.extracted.pages)
    document.media_type = item.extracted.media_type
    document.save()
    indexing.store_passages(document, item)
    _link_initiative(document, initiative)
    suggest_links(document=document)
    return document


def _initiative_fields(initiative_document: Any, initiative: Any) -> dict[str, Any]:
    date = initiative_document.document_date
    return {
        "title": initiative_document.title,
        "authors": initiative_document.author,
        "doc_type": FROM_PROGRAMME_KIND.get(initiative_document.kind, DocumentType.REPORT),
        "year": date.year if date else initiative_document.uploaded_at.year,
        "visibility": Visibility.INITIATIVE,
        "initiative": initiative,
        "lifecycle_stage": initiative.stage,
        "country": initiative.cluster.country,
        "collection": "programmes",
        "file_name": Path(initiative_document.file.name).name,
        "size": initiative_document.size,
        "citation": initiative_document.description,
    }


def _link_initiative(document: Document, initiative: Any) -> None:
    """The initiative, its cluster and its scheme are the document's confirmed links."""
    records = [(LinkTarget.INITIATIVE, initiative), (LinkTarget.CLUSTER, initiative.cluster)]
    if initiative.scheme_id:
        records.append((LinkTarget.SCHEME, initiative.scheme))
    for target, record in records:
        DocumentLink.objects.update_or_create(
            document=document,
            target=target,
            classification="",
            code="",
            **{_FIELD[target]: record.pk},
            defaults={"status": LinkStatus.CONFIRMED, "evidence": "programme record"},
        )


def sync_programme_documents() -> int:
    """Index every programme upload the library does not have yet; returns how many."""
    from clusterobs.programmes.models import InitiativeDocument

    missing = InitiativeDocument.objects.filter(library_document__isnull=True)
    count = 0
    for initiative_document in missing.select_related("initiative__cluster"):
        sync_initiative_document(initiative_document)
        count += 1
    return count


# --- index -----------------------------------------------------------------------------------


def reindex(*, document: Document) -> int:
    """Re-read the stored file and rebuild the document's passages and vectors."""
    if not document.file:
        return 0
    with document.file.open("rb") as handle:
        item = indexing.prepare(document.file.name, handle.read())
    document.language = item.language
    document.page_count = len(item.extracted.pages)
    document.save(update_fields=["language", "page_count", "updated_at"])
    return indexing.store_passages(document, item)


def rebuild_index() -> tuple[int, int]:
    """Rebuild every document's passages from its stored file: (documents, passages)."""
    from clusterobs.knowledge.fulltext import ensure_index

    ensure_index()
    documents = passages = 0
    for document in Document.objects.exclude(file=""):
        passages += reindex(document=document)
        documents += 1
    return documents, passages


# --- case studies ----------------------------------------------------------------------------


def _unique_slug(title: str) -> str:
    base = slugify(title)[:300] or "case-study"
    slug, n = base, 2
    while CaseStudy.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_case_study(
    *, user: Any, title: str, results: list[dict[str, Any]] | None = None, **fields: Any
) -> CaseStudy:
    """A case study with its results; documents by ``documents=[...]``."""
    _require_manage(user)
    documents = fields.pop("documents", [])
    case = CaseStudy(title=title, slug=_unique_slug(title), created_by=user, **fields)
    case.full_clean()
    with transaction.atomic():
        case.save()
        case.documents.set(documents)
        for result in results or []:
            row = CaseStudyResult(case_study=case, **result)
            row.full_clean()
            row.save()
    return case


def draft_from_evaluation(run: Any) -> CaseStudy:
    """The case-study draft of a saved evaluation report: the initiative's context, its
    estimate with confidence interval, the design (difference-in-differences) and the report
    as its source document. Visible to the initiative's readers until an editor publishes it."""
    existing = CaseStudy.objects.filter(evaluation_run=run).first()
    if existing is not None:
        return existing
    initiative = run.initiative
    did = run.results.get("did", {})
    att = did.get("effects", {}).get("att", {})
    panel = run.results.get("panel", {})
    alpha = did.get("alpha") or 0.05
    title = f"{initiative.name}: effect on {run.outcome}"
    case = CaseStudy.objects.create(
        title=title,
        slug=_unique_slug(title),
        status=CaseStudyStatus.DRAFT,
        visibility=Visibility.INITIATIVE,
        initiative=initiative,
        cluster=initiative.cluster,
        scheme=initiative.scheme,
        country=initiative.cluster.country,
        lifecycle_stage=initiative.stage,
        context=initiative.description,
        intervention=f"Programme starting in {run.programme_start}.",
        evaluation_design=EvaluationDesign.DID,
        evaluation_notes=_design_note(did, panel),
        start_year=run.programme_start,
        evaluation_run=run,
        created_by=run.created_by,
    )
    CaseStudyResult.objects.create(
        case_study=case,
        indicator=run.outcome,
        estimate=att.get("coef"),
        ci_low=att.get("ci_low"),
        ci_high=att.get("ci_high"),
        confidence=1 - alpha,
        p_value=att.get("p_value"),
        note=f"Standard error {att.get('se')}; {did.get('method', '')}".strip(),
    )
    library_document = Document.objects.filter(initiative_document=run.report).first()
    if library_document is not None:
        case.documents.add(library_document)
        case.sources = library_document.title
        case.save(update_fields=["sources"])
    return case


def _design_note(did: dict[str, Any], panel: dict[str, Any]) -> str:
    years = panel.get("years") or []
    span = f"{years[0]}-{years[-1]}" if years else "?"
    return (
        f"Difference-in-differences, {did.get('method', '')}; {panel.get('firms', '?')} firms "
        f"({panel.get('treated_firms', '?')} treated) in {panel.get('clusters', '?')} clusters, "
        f"{span}; {did.get('n_obs', '?')} observations. Generated from the platform's M&E "
        "module: check the event study (parallel pre-trends) before publishing."
    )


def publish_case_study(*, user: Any, case: CaseStudy, visibility: str = Visibility.PUBLIC):
    _require_manage(user)
    case.status = CaseStudyStatus.PUBLISHED
    case.visibility = visibility
    case.full_clean()
    case.save(update_fields=["status", "visibility", "updated_at"])
    return case


def ensure_editable(user: Any) -> None:
    """Raise ``PermissionDenied`` unless ``user`` manages the library (views call this)."""
    _require_manage(user)

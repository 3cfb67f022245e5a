"""Library pages under /library/: search, documents (and their files), case studies, what
works. Thin: reads come from ``selectors``, writes from ``services``."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterobs.knowledge import access, selectors, semantic, services
from clusterobs.knowledge.forms import UploadForm
from clusterobs.knowledge.models import DocumentLink
from clusterobs.knowledge.vocabularies import InterventionKind


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    filters = selectors.Filters.from_params(request.GET)
    mode = request.GET.get("mode", "hybrid")
    result = selectors.search(request.user, query, filters=filters, mode=mode) if query else None
    documents = None
    if result is None:
        documents = selectors.filtered_documents(request.user, filters).order_by("-year", "title")
    facets = result.facets if result else selectors.facets(documents, None)
    return render(
        request,
        "knowledge/search.html",
        {
            "query": query,
            "mode": mode,
            "result": result,
            "documents": documents[:50] if documents is not None else None,
            "facets": facets,
            "filters": filters,
            "semantic_available": semantic.available(),
            "can_manage": access.can_manage(request.user),
        },
    )


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_detail(request.user, pk)
    if document is None:
        raise Http404(_("No such document, or you may not read it."))
    return render(
        request,
        "knowledge/document.html",
        {
            "document": document,
            "passages": document.passages.all(),
            "links": document.links.all(),
            "case_studies": selectors.case_studies(request.user).filter(documents=document),
            "similar": selectors.more_like_this(request.user, document),
            "can_manage": access.can_manage(request.user),
        },
    )


def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """The stored file, shown in the browser (a PDF opens at ``#page=N``), to readers only."""
    document = selectors.document_detail(request.user, pk)
    if document is None or not document.file:
        raise Http404(_("No such file, or you may not read it."))
    response = FileResponse(
        document.file.open("rb"),
        filename=document.file_name or Path(document.file.name).name,
        as_attachment=False,
        content_type=document.media_type or None,
    )
    response["X-Content-Type-Options"] = "nosniff"
    if document.media_type == "text/html":
        response["Content-Security-Policy"] = "sandbox"
    return response


@require_POST
@login_required
def link_action(request: HttpRequest, pk: int, link: int) -> HttpResponse:
    found = get_object_or_404(DocumentLink, pk=link, document_id=pk)
    try:
        if request.POST.get("action") == "confirm":
            services.confirm_link(user=request.user, link=found)
            messages.success(request, _("Link confirmed."))
        else:
            services.reject_link(user=request.user, link=found)
            messages.success(request, _("Suggestion removed."))
    except PermissionDenied as exc:
        raise PermissionDenied(_("Only editors confirm links.")) from exc
    return redirect("knowledge:document", pk=pk)


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    if not access.can_manage(request.user):
        raise PermissionDenied(_("Only editors add documents to the library."))
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
        try:
            report = services.import_files(
                user=request.user,
                files=files,
                collection=form.cleaned_data["collection"],
                metadata=form.metadata(),
            )
        except services.LibraryImportError as exc:
            for problem in exc.problems:
                form.add_error("files", problem)
        else:
            for name, existing in report.duplicates:
                messages.warning(request, _("%(name)s is already in the library as “%(title)s”.")
                                 % {"name": name, "title": existing.title})  # fmt: skip
            if len(report.added) == 1:
                return redirect("knowledge:document", pk=report.added[0].pk)
            messages.success(request, _("%(n)d document(s) added.") % {"n": len(report.added)})
            return redirect("knowledge:search")
    return render(request, "knowledge/upload.html", {"form": form})


def case_study_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "knowledge/case_studies.html",
        {"case_studies": selectors.case_studies(request.user)},
    )


def case_study_detail(request: HttpRequest, slug: str) -> HttpResponse:
    case = selectors.case_study_detail(request.user, slug)
    if case is None:
        raise Http404(_("No such case study, or you may not read it."))
    return render(request, "knowledge/case_study.html", {"case": case})


def what_works(request: HttpRequest) -> HttpResponse:
    from clusterobs.registry.models import ThematicChallenge

    challenge = request.GET.get("challenge", "")
    intervention = request.GET.get("intervention", "")
    rows = selectors.what_works(request.user, challenge=challenge, intervention=intervention)
    return render(
        request,
        "knowledge/what_works.html",
        {
            "rows": rows,
            "challenge": challenge,
            "intervention": intervention,
            "challenges": ThematicChallenge.objects.all(),
            "interventions": InterventionKind.choices,
        },
    )

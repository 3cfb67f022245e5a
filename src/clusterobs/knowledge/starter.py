"""Starter records of the library: the two seed documents the platform's content cites.

Neither licence lets the platform redistribute the text: the INDIA GATE report says "All
rights reserved. Reproduction only with written consent by the coordinator", and the FMC theme
paper states no licence and has no public copy we know of. So each is a *metadata-only* record
that cites the document by title and section (the catalogue entry in ``references``), with one
passage that describes its contents in the platform's own words, so that a search finds it.
An editor who holds a licensed copy can import the file; the record then keeps the citation.
"""

from __future__ import annotations

from django.db import transaction

from clusterobs.knowledge.models import Document, DocumentLink, Passage
from clusterobs.knowledge.vocabularies import DocumentType, LinkStatus, LinkTarget

STARTER = [
    {
        "reference": "changing-paradigms-2014",
        "doc_type": DocumentType.REPORT,
        "country": "IN",
        "licence": "Not stated; no public copy known (metadata only)",
        "citation": "Changing Paradigms of Cluster Development, sections I-VI and Annex 1; "
        "cluster initiatives' funding in section IV, MSE-CDP components in section V.II, "
        "the weak knowledge backbone in section VI.7, M&E in section VI.8.",
        "schemes": ["MSE-CDP", "SFURTI"],
        "summary": "A theme paper on how cluster development initiatives evolved worldwide "
        "(UNIDO, World Bank, IDB, USAID, the EU) and in India: cluster types and thematic "
        "challenges (Table 1), funding patterns and who pays for cluster initiatives, India's "
        "schemes and programmes for MSME clusters with the components of the MSE-CDP "
        "(diagnostic study, soft interventions, common facility centres, infrastructure), "
        "and the changing paradigms: targeted goals, green and inclusive clusters, a weak "
        "knowledge backbone, and monitoring and evaluation that is not standardised.",
    },
    {
        "reference": "india-gate-d5-3-2012",
        "doc_type": DocumentType.REPORT,
        "country": "",
        "licence": "All rights reserved; reproduction only with written consent by the "
        "coordinator (metadata only)",
        "citation": "Report on Cluster Existence and Cooperation (INDIA GATE D5.3), sections "
        "1-8 and Annexes 1-2; the Vienna Cluster Manifesto in section 2, cluster support in "
        "Europe and India in sections 4-5, cooperation examples in section 7.",
        "schemes": [],
        "summary": "A report of the INDIA GATE project on clusters in Europe and India and "
        "their cooperation: the concept of clusters, the Vienna Cluster Manifesto and its "
        "recommendations, cluster support policies in the European Union (European Cluster "
        "Observatory, European Cluster Collaboration Platform) and in India, how to promote "
        "research cooperation between European and Indian clusters, examples of cooperation, "
        "lists of clusters and the bilateral memoranda of understanding with India.",
    },
]


@transaction.atomic
def load() -> dict[str, int]:
    """Create or refresh the starter records (idempotent); returns how many were created.
    The catalogue of sources is loaded first if it is not there yet (``init`` runs the apps'
    starters in name order, and ``knowledge`` comes before ``references``)."""
    from clusterobs.references.models import SourceDocument
    from clusterobs.references.starter import load as load_sources
    from clusterobs.registry.models import Scheme

    keys = [item["reference"] for item in STARTER]
    if SourceDocument.objects.filter(key__in=keys).count() < len(keys):
        load_sources()
    created = 0
    for item in STARTER:
        reference = SourceDocument.objects.filter(key=item["reference"]).first()
        if reference is None:
            continue
        document, new = Document.objects.update_or_create(
            reference=reference,
            file="",
            defaults={
                "title": reference.title,
                "authors": reference.authors,
                "publisher": reference.publisher,
                "year": reference.year,
                "doc_type": item["doc_type"],
                "licence": item["licence"],
                "source_url": reference.url,
                "citation": item["citation"],
                "country": item["country"],
                "language": "en",
                "collection": "starter",
            },
        )
        document.passages.all().delete()
        Passage.objects.create(
            document=document, ordinal=0, heading="About this document", text=item["summary"]
        )
        for scheme in Scheme.objects.filter(acronym__in=item["schemes"]):
            DocumentLink.objects.get_or_create(
                document=document,
                target=LinkTarget.SCHEME,
                scheme=scheme,
                classification="",
                code="",
                defaults={"status": LinkStatus.CONFIRMED, "evidence": item["citation"][:300]},
            )
        created += int(new)
    return {"library documents": created}

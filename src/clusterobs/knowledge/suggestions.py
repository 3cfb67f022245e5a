"""Links suggested from a document's text: the names and codes the registry knows.

How: the document's words are turned into the set of its 1- to 8-word phrases (lower-cased),
and each known name is looked up in that set, so the cost grows with the registry and the text
separately, never with their product (a regular expression per name would). Acronyms
("MSE-CDP") match case-sensitively as whole words; an industry code counts only where its
classification is named in the text too ("NIC 2008 ... 15201"), since a bare number is too
often something else. Every suggestion stays *suggested* until an editor confirms it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from clusterobs.knowledge.vocabularies import LinkTarget

MAX_WORDS = 8
#: names shorter than this (after normalising) are too ambiguous to suggest
MIN_NAME_CHARS = 5
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Suggestion:
    target: str
    pk: int | None
    evidence: str
    classification: str = ""
    code: str = ""


def _normal(text: str) -> str:
    return " ".join(w.lower() for w in _WORD.findall(text))


def phrases(text: str) -> set[str]:
    """Every run of 1..MAX_WORDS consecutive words of ``text``, lower-cased."""
    words = [w.lower() for w in _WORD.findall(text)]
    found: set[str] = set()
    for size in range(1, MAX_WORDS + 1):
        for i in range(len(words) - size + 1):
            found.add(" ".join(words[i : i + size]))
    return found


def _named(
    target: str, records: Iterable[tuple[int, str]], known: set[str]
) -> Iterator[Suggestion]:
    for pk, name in records:
        normal = _normal(name)
        if len(normal) >= MIN_NAME_CHARS and normal in known:
            yield Suggestion(target=target, pk=pk, evidence=name[:300])


def _acronyms(records: Iterable[tuple[int, str]], text: str) -> Iterator[Suggestion]:
    for pk, acronym in records:
        if len(acronym) >= 3 and re.search(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", text):
            yield Suggestion(target=LinkTarget.SCHEME, pk=pk, evidence=acronym)


def _codes(pairs: Iterable[tuple[str, str]], text: str) -> Iterator[Suggestion]:
    words = set(_WORD.findall(text))
    upper = text.upper()
    for classification, code in pairs:
        family = re.match(r"[A-Z]+", classification.upper())
        if len(code) >= 4 and code in words and family and family.group(0) in upper:
            yield Suggestion(
                target=LinkTarget.INDUSTRY_CODE,
                pk=None,
                evidence=f"{classification} {code}",
                classification=classification,
                code=code,
            )


def suggest(text: str) -> list[Suggestion]:
    """Records the text names: clusters, organisations, schemes, regions (countries and
    states), thematic challenges and industry codes, each once."""
    from clusterobs.regions.models import Region
    from clusterobs.registry.models import (
        Cluster,
        ClusterIndustryCode,
        Organisation,
        Scheme,
        ThematicChallenge,
    )

    known = phrases(text)
    found: list[Suggestion] = []
    found += _named(LinkTarget.CLUSTER, Cluster.objects.values_list("pk", "name"), known)
    found += _named(LinkTarget.ORGANISATION, Organisation.objects.values_list("pk", "name"), known)
    found += _named(LinkTarget.SCHEME, Scheme.objects.values_list("pk", "name"), known)
    found += _acronyms(Scheme.objects.exclude(acronym="").values_list("pk", "acronym"), text)
    regions = Region.objects.filter(level__in=["country", "state"]).values_list("pk", "name")
    found += _named(LinkTarget.REGION, regions, known)
    challenges = ThematicChallenge.objects.values_list("pk", "name")
    found += _named(LinkTarget.CHALLENGE, challenges, known)
    pairs = ClusterIndustryCode.objects.values_list("classification", "code").distinct()
    found += _codes(pairs, text)
    unique: dict[tuple, Suggestion] = {}
    for s in found:
        unique.setdefault((s.target, s.pk, s.classification, s.code), s)
    return list(unique.values())

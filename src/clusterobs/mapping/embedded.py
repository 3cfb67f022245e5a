"""Ready observatories built from the embedded data (``clusterobs init``).

Why: a first visitor must see statistics without any command beyond the two of the README.
Each :class:`EmbeddedObservatory` describes one build over the package's own data; ``init``
publishes every one whose inputs changed since it was last published (a fingerprint of the
input files and the package version is kept in the result's manifest), so running ``init``
again costs a few checksums and nothing else.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from importlib.metadata import version
from pathlib import Path

from clusterobs.data.catalog import path as data_path
from clusterobs.definitions.reader import load_definition
from clusterobs.mapping import service
from clusterobs.mapping.result import MappingOptions
from clusterobs.sources.readers import SourceSpec

#: What a published embedded result holds; changing it republishes them on the next ``init``.
LAYOUT = "2: mapping tables and the clusters' complexity files"


@dataclass(frozen=True)
class EmbeddedObservatory:
    """A result name, its title and the build request over embedded files."""

    name: str
    title: str
    request: Callable[[], service.BuildRequest]

    def inputs(self) -> list[Path]:
        r = self.request()
        paths = [r.source.path, r.definitions_path, r.regions_path, r.relatedness_path]
        return [p for p in paths if p is not None]

    def fingerprint(self) -> str:
        digest = hashlib.sha256(version("cluster-observatory").encode() + LAYOUT.encode())
        for p in self.inputs():
            digest.update(p.name.encode())
            with p.open("rb") as f:
                for block in iter(partial(f.read, 1 << 20), b""):
                    digest.update(block)
        return digest.hexdigest()


def _us_states() -> service.BuildRequest:
    definitions = data_path("dps2016_definition")
    return service.BuildRequest(
        source=SourceSpec(data_path("us_cbp_state"), format="cbp"),
        definition=load_definition(definitions, "NAICS2017", format="canonical"),
        options=MappingOptions(),
        definitions_path=definitions,
        relatedness_path=data_path("uscmp_relatedness"),
    )


def _eu_nuts2() -> service.BuildRequest:
    definitions = data_path("uscmp_nace2_definition")
    return service.BuildRequest(
        source=SourceSpec(data_path("eu_sbs_nuts2"), format="eurostat"),
        definition=load_definition(definitions, "NACE2", format="canonical"),
        options=MappingOptions(),
        definitions_path=definitions,
        regions_path=data_path("eu_regions"),
    )


def _india(definition_key: str, measure: str) -> Callable[[], service.BuildRequest]:
    def request() -> service.BuildRequest:
        definitions = data_path(definition_key)
        return service.BuildRequest(
            source=SourceSpec(data_path("india_b18"), format="census-in", measure=measure),
            definition=load_definition(definitions, "NIC2008", format="canonical"),
            options=MappingOptions(),
            definitions_path=definitions,
            regions_path=data_path("india_regions"),
        )

    return request


OBSERVATORIES = [
    EmbeddedObservatory(
        "us-states",
        "United States: states, County Business Patterns 2000-2011, DPS 2016 clusters",
        _us_states,
    ),
    EmbeddedObservatory(
        "eu-nuts2",
        "Europe: NUTS 2 regions, Eurostat SBS persons employed 2008-2015, "
        "U.S. benchmark clusters carried to NACE Rev.2",
        _eu_nuts2,
    ),
    EmbeddedObservatory(
        "india-districts",
        "India: districts of five states, Census 2011 workers (main + marginal), "
        "U.S. benchmark clusters carried to NIC 2008",
        _india("uscmp_nic2008_definition", "total"),
    ),
    EmbeddedObservatory(
        "india-products",
        "India: districts of five states, Census 2011 main workers, "
        "product clusters of the MSME typology (NIC 2008)",
        _india("india_product_clusters", "main"),
    ),
]


def _published_fingerprint(results_dir: Path, name: str) -> str | None:
    manifest = results_dir / name / "manifest.json"
    if not manifest.exists():
        return None
    return (json.loads(manifest.read_text()).get("embedded") or {}).get("fingerprint")


def publish_embedded(
    results_dir: Path,
    builds_dir: Path,
    *,
    force: bool = False,
    progress: Callable[[str, str], None] | None = None,
    finish: Callable[[Path], object] | None = None,
) -> Iterator[tuple[str, str]]:
    """Build and publish each embedded observatory whose inputs changed; yields
    ``(name, "published" | "up to date")``. ``finish`` adds to each result before it is
    published (the CLI passes the complexity files, a package this one may not import)."""
    for obs in OBSERVATORIES:
        fingerprint = obs.fingerprint()
        if not force and _published_fingerprint(results_dir, obs.name) == fingerprint:
            yield obs.name, "up to date"
            continue
        request = obs.request()
        say = (lambda step, name=obs.name: progress(name, step)) if progress else None
        outcome = service.build_result(
            request,
            builds_dir / obs.name,
            publish_to=(results_dir, obs.name),
            progress=say,
            extra_manifest={"embedded": {"fingerprint": fingerprint, "title": obs.title}},
            finish=finish,
        )
        shutil.rmtree(outcome.written)  # the store keeps its own copy; no second 50 MB
        yield (
            obs.name,
            f"published ({outcome.result.manifest['rows']['cluster_region_year']:,} rows)",
        )

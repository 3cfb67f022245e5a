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
        digest = hashlib.sha256(version("cluster-observatory").encode())
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


OBSERVATORIES = [
    EmbeddedObservatory(
        "us-states",
        "United States: states, County Business Patterns 2000-2011, DPS 2016 clusters",
        _us_states,
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
) -> Iterator[tuple[str, str]]:
    """Build and publish each embedded observatory whose inputs changed; yields
    ``(name, "published" | "up to date")``."""
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
        )
        yield (
            obs.name,
            f"published ({outcome.result.manifest['rows']['cluster_region_year']:,} rows)",
        )

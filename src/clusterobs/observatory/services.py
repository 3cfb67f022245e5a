"""Writes of the observatory: saved views, custom regions and their background jobs.

Recomputation runs in a small thread pool started by the server process (one worker: the work is
pandas/numpy-bound and the machine may be small); the page polls the job's status. A job that
dies with its process stays ``running``: ``start_recompute`` can simply be called again, the
result is idempotent.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import OperationalError, close_old_connections, connection, transaction
from django.utils import timezone

from clusterobs.observatory.job_limits import check_capacity, new_job
from clusterobs.observatory.models import CustomCluster, CustomRegion, Job, SavedView
from clusterobs.observatory.recompute import custom_cluster_measures, union_measures
from clusterobs.observatory.selectors import maths
from clusterobs.observatory.store import get_store
from clusterobs.sources.readers import SourceSpec

logger = logging.getLogger(__name__)
MAX_MEMBERS = 500
_EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="observatory-job")

RESULT_COLUMNS = [
    "year",
    "cluster_code",
    "cluster_name",
    "traded",
    "employment",
    "employment_reported",
    "employment_imputed",
    "establishments",
    "wage",
    "lq_traded_local",
    "lq_total",
    "national_share",
    "strong",
    "eco_stars",
    "employment_rank",
    "lq_rank",
    "lq_percentile",
    "peer_regions",
]


def save_view(*, owner: AbstractBaseUser, kind: str, name: str, params: dict) -> SavedView:
    if kind not in SavedView.Kind.values:
        raise ValueError(f"unknown view kind {kind!r}")
    return SavedView.objects.create(owner=owner, kind=kind, name=name[:200], params=params)


def create_custom_region(
    *,
    owner: AbstractBaseUser,
    name: str,
    members: list[str],
    region_type: str | None = None,
    dataset: str | None = None,
    shared: bool = False,
) -> CustomRegion:
    """Validate the members against the published result and save the region (no job yet)."""
    check_capacity(owner)  # its recomputation would be refused: save nothing
    store = get_store(dataset)
    rt = region_type or store.main_type
    members = sorted({str(m).strip() for m in members if str(m).strip()})
    if len(members) < 1:
        raise ValueError("pick at least one region")
    if len(members) > MAX_MEMBERS:
        raise ValueError(f"at most {MAX_MEMBERS} regions")
    known = set(store.region_codes(rt))
    unknown = [m for m in members if m not in known]
    if unknown:
        raise ValueError(f"unknown {rt} codes: {', '.join(unknown)}")
    return CustomRegion.objects.create(
        owner=owner,
        name=(name or "Custom region")[:200],
        dataset=store.name,
        region_type=rt,
        members=members,
        shared=shared,
    )


def create_custom_cluster(
    *,
    owner: AbstractBaseUser,
    name: str,
    industries: list[str],
    dataset: str | None = None,
    shared: bool = False,
) -> CustomCluster:
    """Validate the industries against the result's definition and save (no job yet)."""
    check_capacity(owner)  # its recomputation would be refused: save nothing
    store = get_store(dataset)
    codes = sorted({str(c).strip() for c in industries if str(c).strip()})
    if not codes:
        raise ValueError("pick at least one industry")
    known = set(store.definition["industry_code"])
    if not known:
        raise ValueError("this result's cluster definition is not available")
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValueError(f"industries not in the definition: {', '.join(unknown)}")
    if (store.manifest.get("inputs") or {}).get("format") != "cbp":
        raise ValueError("custom clusters need a result built from CBP files with the CLI")
    return CustomCluster.objects.create(
        owner=owner,
        name=(name or "Custom cluster")[:200],
        dataset=store.name,
        industries=codes,
        shared=shared,
    )


def start_recompute(
    *, custom_region: CustomRegion | None = None, custom_cluster: CustomCluster | None = None
) -> Job:
    """Queue the recomputation; runs inline when ``OBSERVATORY_JOBS_SYNC`` (unit tests)."""
    owner = (custom_region or custom_cluster).owner
    job = new_job(
        owner=owner,
        kind="custom_cluster" if custom_cluster else "custom_region",
        custom_region=custom_region,
        custom_cluster=custom_cluster,
    )
    if settings.OBSERVATORY_JOBS_SYNC:
        run_job(job.pk)
        job.refresh_from_db()
    else:
        pk = job.pk
        transaction.on_commit(lambda: _EXECUTOR.submit(_run_in_thread, pk))
    return job


def _run_in_thread(job_id: int) -> None:
    """Worker entry point. SQLite may refuse a statement while another thread writes ("database
    is locked"); such transient errors are retried instead of leaving the job queued forever."""
    close_old_connections()
    try:
        for attempt in range(20):
            try:
                run_job(job_id)
                return
            except OperationalError:
                if attempt == 19:
                    logger.exception("observatory job %s: database unavailable", job_id)
                    raise
                time.sleep(0.1 * (attempt + 1))
            except Job.DoesNotExist:
                # Submitted on commit, but be tolerant of a reader that does not see it yet.
                if attempt == 19:
                    raise
                time.sleep(0.1)
    except Exception:
        logger.exception("observatory job %s failed", job_id)
    finally:
        connection.close()


def run_job(job_id: int) -> None:
    """Recompute a custom region's measures; progress and errors are written to the job."""
    job = Job.objects.select_related("custom_region", "custom_cluster").get(pk=job_id)
    cr = job.custom_region
    started = time.perf_counter()

    def progress(fraction: float, message: str) -> None:
        try:
            Job.objects.filter(pk=job_id).update(
                status=Job.Status.RUNNING, progress=round(fraction, 3), message=message[:300]
            )
        except OperationalError:  # progress is informative; a locked database must not fail
            logger.warning("observatory job %s: progress not recorded", job_id)

    try:
        if job.custom_cluster_id:
            _run_custom_cluster(job.custom_cluster, progress)
            _finish(job_id, started)
            return
        progress(0.02, "loading results")
        store = get_store(cr.dataset)
        cry = store.query("SELECT * FROM cry WHERE region_type = ?", [cr.region_type])
        ry = store.query("SELECT * FROM ry WHERE region_type = ?", [cr.region_type])
        rows, region_rows = union_measures(cry, ry, list(cr.members), progress=progress)
        rows = rows[rows["subcluster_code"].isna()]
        cols = [c for c in RESULT_COLUMNS if c in rows.columns]
        result: dict[str, Any] = {
            "clusters": maths.records(rows[cols].sort_values(["year", "cluster_code"])),
            "region_year": maths.records(
                region_rows[
                    [
                        "year",
                        "employment",
                        "traded_employment",
                        "local_employment",
                        "cluster_strength",
                        "strength_rank",
                    ]
                ]
            ),
            "peers": len(store.region_codes(cr.region_type)) - len(cr.members) + 1,
        }
        CustomRegion.objects.filter(pk=cr.pk).update(result=result, updated_at=timezone.now())
        _finish(job_id, started)
    except OperationalError:
        raise  # transient (locked database): retried by the worker
    except Exception as exc:  # the job records any failure for the user; never re-raised
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            message=f"{type(exc).__name__}: {exc}"[:300],
            finished_at=timezone.now(),
        )


def _finish(job_id: int, started: float) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE,
        progress=1.0,
        message="done",
        seconds=round(time.perf_counter() - started, 3),
        finished_at=timezone.now(),
    )


CLUSTER_RESULT_COLUMNS = [
    "region_code",
    "year",
    "employment",
    "employment_reported",
    "employment_imputed",
    "establishments",
    "wage",
    "lq_traded_local",
    "lq_total",
    "national_share",
    "national_employment",
    "strong",
    "eco_stars",
    "employment_rank",
    "lq_rank",
]


def _run_custom_cluster(cc: CustomCluster, progress: Any) -> None:
    """Rebuild from the result's recorded inputs with the custom cluster, store its rows."""
    store = get_store(cc.dataset)
    employment, definitions = store.input_path("employment"), store.input_path("definitions")
    if employment is None or definitions is None:
        raise ValueError("the result's employment or definition file is no longer readable")
    classification = (store.manifest.get("definition") or {}).get("classification", "")
    rows = custom_cluster_measures(
        source=SourceSpec.from_options(
            employment, (store.manifest.get("inputs") or {}).get("source_options")
        ),
        definitions=str(definitions),
        classification=classification,
        industries=list(cc.industries),
        name=cc.name,
        years=(store.years[0], store.years[-1]),
        classifications_dir=settings.OBSERVATORY_CLASSIFICATIONS_DIR,
        progress=progress,
    )
    rows = rows[rows["region_type"] == store.main_type]
    cols = [c for c in CLUSTER_RESULT_COLUMNS if c in rows.columns]
    result = {
        "region_type": store.main_type,
        "rows": maths.records(rows[cols].sort_values(["year", "region_code"])),
    }
    CustomCluster.objects.filter(pk=cc.pk).update(result=result, updated_at=timezone.now())

"""Writes of the spatial pages: a Kd computation on an uploaded point file, run as a background job.

The upload is stored under ``<spatial dir>/uploads/`` until the job has read it, the job computes
Kd with its bands exactly as ``clusterobs spatial kd`` does and publishes the result as
``<username>-<name>`` under ``<spatial dir>/kd/`` (the owner is recorded in ``summary.json``; a
name published by another user, or by the CLI, is never overwritten). Progress and errors are
written to the observatory's ``Job`` (``kind = "spatial_kd"``), polled like custom-region jobs.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from clusterobs.observatory.job_limits import check_capacity, new_job
from clusterobs.observatory.models import Job
from clusterobs.observatory.services import _EXECUTOR
from clusterobs.observatory.spatial_selectors import kd_root, spatial_dir

logger = logging.getLogger(__name__)
KIND = "spatial_kd"
MAX_UPLOAD = 64 * 2**20
MAX_SIMULATIONS = 999
SUFFIXES = (".csv", ".csv.gz", ".parquet")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,60}$")


@dataclass(frozen=True)
class KdRequest:
    industry: str
    name: str
    industry_column: str = "industry"
    lon_column: str = "longitude"
    lat_column: str = "latitude"
    weight_column: str | None = None
    simulations: int = 99
    r_max: float = 200.0
    r_step: float = 1.0
    mode: str = "exact"
    seed: int = 20_261_122


def published_name(owner: AbstractBaseUser, name: str) -> str:
    return f"{owner.get_username()}-{name}"


def start_kd(*, owner: AbstractBaseUser, upload: UploadedFile, request: KdRequest) -> Job:
    """Check the request, keep the upload and queue the job (inline when
    ``OBSERVATORY_JOBS_SYNC``). Raises ValueError with a message for the user."""
    from clusterobs.spatial.points.kd import KdOptions

    if not NAME.match(request.name):
        raise ValueError("name: letters, digits, '-' and '_' only (at most 61)")
    if not request.industry.strip():
        raise ValueError("industry: give an industry code")
    if not 1 <= request.simulations <= MAX_SIMULATIONS:
        raise ValueError(f"simulations: between 1 and {MAX_SIMULATIONS}")
    KdOptions(
        r_max_km=request.r_max,
        r_step_km=request.r_step,
        simulations=request.simulations,
        mode=request.mode,
    )
    check_capacity(owner)  # before the upload is copied
    filename = upload.name or ""
    suffix = next((s for s in SUFFIXES if filename.lower().endswith(s)), None)
    if suffix is None:
        raise ValueError("points: a CSV, CSV.gz or Parquet file")
    if upload.size > MAX_UPLOAD:
        raise ValueError(f"points: at most {MAX_UPLOAD // 2**20} MB")
    target = kd_root() / published_name(owner, request.name)
    if (target / "summary.json").exists():
        owner_of = json.loads((target / "summary.json").read_text()).get("owner")
        if owner_of != owner.get_username():
            raise ValueError("name: a result of that name exists and is not yours")
    uploads = spatial_dir() / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    path = uploads / f"{uuid.uuid4().hex}{suffix}"
    with open(path, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    job = new_job(owner=owner, kind=KIND, message="queued")
    params = {"upload": str(path), "filename": filename, **asdict(request)}
    (uploads / f"{job.pk}.json").write_text(json.dumps(params))
    if settings.OBSERVATORY_JOBS_SYNC:
        run_kd_job(job.pk)
        job.refresh_from_db()
    else:
        pk = job.pk
        transaction.on_commit(lambda: _EXECUTOR.submit(_run_in_thread, pk))
    return job


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        run_kd_job(job_id)
    except Exception:
        logger.exception("spatial Kd job %s failed", job_id)
    finally:
        connection.close()


def run_kd_job(job_id: int) -> None:
    """Compute and publish; any failure is recorded on the job (never re-raised)."""
    from clusterobs.classifications.store import ClassificationStore
    from clusterobs.spatial import output
    from clusterobs.spatial.points.industries import match_industry
    from clusterobs.spatial.points.kd import DurantonOverman, KdOptions
    from clusterobs.spatial.points.pointset import read_points
    from clusterobs.spatial.projection import choose_frame

    job = Job.objects.select_related("owner").get(pk=job_id)
    spec_file = spatial_dir() / "uploads" / f"{job_id}.json"
    started = time.perf_counter()

    def progress(fraction: float, message: str) -> None:
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.RUNNING, progress=round(fraction, 3), message=message[:300]
        )

    params = json.loads(spec_file.read_text())
    upload = Path(params.pop("upload"))
    filename = params.pop("filename")
    req = KdRequest(**params)
    try:
        progress(0.02, "reading points")
        pts = read_points(
            upload,
            lon_column=req.lon_column,
            lat_column=req.lat_column,
            industry_column=req.industry_column,
            weight_column=req.weight_column,
        )
        try:
            store = ClassificationStore.load(settings.OBSERVATORY_CLASSIFICATIONS_DIR)
        except FileNotFoundError:
            store = None
        match = match_industry(pts.industry, req.industry, store)
        frame = choose_frame(pts.lon, pts.lat)
        options = KdOptions(
            r_max_km=req.r_max,
            r_step_km=req.r_step,
            simulations=req.simulations,
            seed=req.seed,
            weighted=req.weight_column is not None,
            mode=req.mode,
        )
        kd = DurantonOverman(
            frame.coordinates(pts.lon, pts.lat),
            match.mask,
            frame,
            weights=pts.weight,
            options=options,
            progress=lambda done, total: progress(0.05 + 0.9 * done / total, "simulations"),
        )
        name = published_name(job.owner, req.name)
        meta = {
            "name": name,
            "owner": job.owner.get_username(),
            "points_file": filename,
            "points": pts.n,
            "points_without_industry": pts.missing_industry,
            "industry_column": req.industry_column,
            "weight_column": req.weight_column,
        }
        work = spatial_dir() / "written" / f"job-{job_id}"
        written = output.write_kd(kd, match, work, meta)
        output.publish(written, kd_root(), name)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.DONE,
            progress=1.0,
            message=f"published {name}",
            seconds=round(time.perf_counter() - started, 3),
            finished_at=timezone.now(),
        )
    except Exception as exc:  # recorded for the user: bad file, row and field, or too few pairs
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            # The stored copy has a random name: the user knows the file by the name they sent.
            message=f"{type(exc).__name__}: {exc}".replace(upload.name, filename)[:300],
            finished_at=timezone.now(),
        )
    finally:
        upload.unlink(missing_ok=True)
        spec_file.unlink(missing_ok=True)

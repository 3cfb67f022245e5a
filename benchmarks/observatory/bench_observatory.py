"""Observatory benchmarks on the real CBP state data (2000-2011, 51 states).

1. Region dashboard API under 50 concurrent clients on loopback: the platform's own server
   (``clusterobs serve``: gunicorn, one worker per core) and ``wrk`` (Debian) rotating over the
   51 states; p50/p95/p99 and throughput; plus the cold first request of every state (sequential).
2. First meaningful paint of the region dashboard in headless Chromium: time from navigation start
   until the portfolio chart is drawn (and the browser's first-contentful-paint).
3. Custom region recomputation of a 10-state union (the job as the web runs it, inline).

    .venv/bin/python benchmarks/observatory/bench_observatory.py [--duration 20] [--years 2000-2011]

Needs ``wrk`` (``apt-get install wrk``) and ``/usr/bin/chromium``. Prints ``uptime`` before each
part: the machine is shared, so load matters.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data"
CBP = DATA / "us_cbp_state_2000_2011" / "cbp_state_naics_2000_2011.csv.gz"
# The DPS 2016 definition (Emsi variant, NAICS 2017): numbering agrees with the relatedness table.
DEFS = DATA / "us_cluster_definitions" / "naics_to_cluster_uscmp_emsi_variant.csv"
RELATEDNESS = DATA / "us_cluster_definitions" / "traded_cluster_relatedness_uscmp.csv"
NAME = "us-cbp-states"
TEN = ["06", "41", "53", "32", "04", "16", "49", "08", "35", "30"]
STATES = [
    "01", "02", "04", "05", "06", "08", "09", "10", "11", "12", "13", "15", "16", "17", "18",
    "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32", "33",
    "34", "35", "36", "37", "38", "39", "40", "41", "42", "44", "45", "46", "47", "48", "49",
    "50", "51", "53", "54", "55", "56",
]  # fmt: skip
WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["Accept"] = "application/json"})
end
done = function(summary, latency, requests)
  io.write(string.format("P50 %%d\\nP95 %%d\\nP99 %%d\\nREQS %%d\\nERRS %%d\\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.requests, summary.errors.status + summary.errors.timeout))
end
"""


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def build(data_dir: Path, years: tuple[int, int]) -> float:
    """Build and publish the result like ``clusterobs mapping build`` (CLI in a subprocess)."""
    env = {**os.environ, "CLUSTEROBS_DATA_DIR": str(data_dir)}
    cli = str(REPO / ".venv" / "bin" / "clusterobs")
    t = time.perf_counter()
    subprocess.run(
        [cli, "classifications", "import", "--source", str(DATA / "industry_classifications")],
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            cli, "mapping", "build", "--employment", str(CBP), "--definitions", str(DEFS),
            "--classification", "NAICS2017", "--relatedness", str(RELATEDNESS),
            "--years", f"{years[0]}-{years[1]}", "--out", str(data_dir / "out" / NAME),
        ],
        env=env,
        check=True,
        capture_output=True,
    )  # fmt: skip
    subprocess.run([cli, "init", "--no-starter"], env=env, check=True, capture_output=True)
    return time.perf_counter() - t


def get(url: str) -> float:
    t = time.perf_counter()
    with urllib.request.urlopen(
        urllib.request.Request(url, headers={"Accept": "application/json"})
    ) as r:
        r.read()
    return 1000 * (time.perf_counter() - t)


def api_load(base: str, duration: int) -> dict:
    cold = [get(f"{base}/api/observatory/regions/{s}/") for s in STATES]
    paths = ", ".join(f'"/api/observatory/regions/{s}/"' for s in STATES)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT % paths)
    out = subprocess.run(
        ["wrk", "-t2", "-c50", f"-d{duration}s", "--timeout", "10s", "-s", f.name, base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    vals = {k: int(v) for k, v in re.findall(r"^(P50|P95|P99|REQS|ERRS) (\d+)$", out, re.M)}
    return {
        "cold_first_request_ms": {
            "p50": round(statistics.median(cold), 1),
            "p95": round(sorted(cold)[int(0.95 * len(cold)) - 1], 1),
            "max": round(max(cold), 1),
        },
        "concurrent50_ms": {k.lower(): round(vals[k] / 1000, 1) for k in ("P50", "P95", "P99")},
        "requests": vals["REQS"],
        "errors": vals["ERRS"],
        "requests_per_s": round(vals["REQS"] / duration, 1),
    }


def first_paint(base: str) -> dict:
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
    args += ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
    meaningful, fcp = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        page = ctx.new_page()
        page.goto(f"{base}/observatory/")  # warm static files like a returning visitor
        for code in ["06", "48", "26", "36", "12", "17", "13"]:
            page.goto(f"{base}/observatory/regions/state/{code}/", wait_until="commit")
            page.wait_for_selector("figure[data-name=portfolio] svg circle", state="attached")
            meaningful.append(page.evaluate("performance.now()"))
            page.wait_for_load_state("load")
            fcp.append(
                page.evaluate(
                    "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null"
                )
            )
        browser.close()
    return {
        "portfolio_drawn_ms_median": round(statistics.median(meaningful), 1),
        "portfolio_drawn_ms_max": round(max(meaningful), 1),
        "first_contentful_paint_ms_median": round(statistics.median([x for x in fcp if x]), 1),
        "pages": len(meaningful),
    }


def custom_region(data_dir: Path) -> dict:
    os.environ["CLUSTEROBS_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterobs.web.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User

    from clusterobs.observatory import services
    from clusterobs.observatory.store import get_store

    get_store(NAME)  # the server has its store open already
    user, _ = User.objects.get_or_create(username="bench")
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        cr = services.create_custom_region(owner=user, name="West", members=TEN, dataset=NAME)
        job = services.Job.objects.create(owner=user, custom_region=cr)
        services.run_job(job.pk)
        runs.append(time.perf_counter() - t)
        job.refresh_from_db()
        assert job.status == "done", job.message
    return {"ten_state_union_s": [round(x, 3) for x in runs], "median_s": round(sorted(runs)[1], 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=20)
    ap.add_argument("--years", default="2000-2011")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument(
        "--serve-args", default="", help="extra 'clusterobs serve' options, e.g. '--workers 1'"
    )
    a = ap.parse_args()
    y0, y1 = (int(x) for x in a.years.split("-"))
    data_dir = Path(tempfile.mkdtemp(prefix="obs-bench-"))
    report: dict = {"uptime_start": uptime(), "serve_args": a.serve_args or "(defaults)"}
    report["build_s"] = round(build(data_dir, (y0, y1)), 1)
    env = {**os.environ, "CLUSTEROBS_DATA_DIR": str(data_dir)}
    server = subprocess.Popen(
        [str(REPO / ".venv/bin/clusterobs"), "serve", "--port", str(a.port), *a.serve_args.split()],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{a.port}"
    try:
        for _ in range(100):
            try:
                get(f"{base}/observatory/")
                break
            except OSError:
                time.sleep(0.2)
        report["uptime_api"] = uptime()
        report["api"] = api_load(base, a.duration)
        report["uptime_paint"] = uptime()
        report["paint"] = first_paint(base)
        report["uptime_custom"] = uptime()
        report["custom_region"] = custom_region(data_dir)
    finally:
        server.terminate()
        server.wait(10)
    json.dump(report, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()

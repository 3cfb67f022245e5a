"""Run the WSGI application under a production server: gunicorn, or waitress where gunicorn
cannot run.

Why gunicorn: one Python process serves one request at a time per core (the GIL), so a busy
observatory needs several processes; gunicorn's pre-fork model is the well-kept standard for
Django on POSIX. Its ``sync`` workers were the fastest here for the cached JSON the dashboards
serve (benchmarks/observatory/RESULTS.md); ``--threads`` > 1 switches to ``gthread`` workers,
which also keep connections alive. gunicorn needs ``fcntl`` and ``fork``, so on Windows (or with a
single process) the platform falls back to waitress, which is multi-threaded in one process.
"""

from __future__ import annotations

import os
import sys
from typing import Any

#: Seconds a request may run before gunicorn replaces the worker (PDF reports are the slowest).
REQUEST_TIMEOUT = 120


def default_workers() -> int:
    """One worker process per usable CPU core (at least one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def gunicorn_available() -> bool:
    """gunicorn runs on POSIX only."""
    if sys.platform == "win32":
        return False
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """gunicorn settings for the platform (access log off: the platform logs what matters)."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": REQUEST_TIMEOUT,
        "graceful_timeout": 30,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "clusterobs",
    }


def run_server(host: str, port: int, workers: int, threads: int) -> None:
    """Serve until interrupted: gunicorn with ``workers`` processes, else waitress."""
    if workers > 1 and gunicorn_available():
        _run_gunicorn(gunicorn_options(host, port, workers, threads))
        return
    from waitress import serve

    from clusterobs.web.wsgi import application

    serve(application, host=host, port=port, threads=max(threads, 4), ident="clusterobs")


def _run_gunicorn(options: dict[str, Any]) -> None:
    """gunicorn's documented custom-application pattern: settings from a dict, the app loaded
    in each worker after the fork (no database or DuckDB handle is shared between processes)."""
    from gunicorn.app.base import BaseApplication

    class PlatformApplication(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from clusterobs.web.wsgi import application

            return application

    PlatformApplication().run()

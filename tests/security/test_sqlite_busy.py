"""Item 7 of issue 12 on a real SQLite file: while an import holds the write lock, a web write
waits for it (busy timeout) and succeeds once it ends, or answers 503 with Retry-After when the
lock outlasts the wait; never a 500.

Runs in a child process with its own data directory (the test database of pytest-django lives
in memory, where no second connection can take a lock).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

SCRIPT = r"""
import sqlite3, threading, time
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.contrib.auth.models import User
from django.test import Client

call_command("migrate", verbosity=0)
User.objects.create_user("writer", password="pw-writer-123456")
path = settings.DATABASES["default"]["NAME"]
importer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
importer.execute("BEGIN IMMEDIATE")  # an import's write transaction
login = {"username": "writer", "password": "pw-writer-123456"}

started = time.monotonic()
held = Client().post("/accounts/login/", login)
print("held", held.status_code, held.get("Retry-After"), round(time.monotonic() - started, 1))

threading.Timer(0.5, lambda: importer.execute("COMMIT")).start()
started = time.monotonic()
waited = Client().post("/accounts/login/", login)
print("waited", waited.status_code, round(time.monotonic() - started, 1))
"""


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="SQLite locking"
)
def test_web_writes_wait_for_an_import_or_answer_503(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CLUSTEROBS_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env |= {
        "CLUSTEROBS_DATA_DIR": str(tmp_path),
        "CLUSTEROBS_SQLITE_BUSY_SECONDS": "2",
        "DJANGO_SETTINGS_MODULE": "clusterobs.web.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in result.stdout.strip().splitlines())
    status, retry_after, seconds = lines["held"].split()
    assert (status, retry_after) == ("503", "5")
    assert float(seconds) >= 1.5  # it waited for the busy timeout first
    status, seconds = lines["waited"].split()
    assert status == "302"  # logged in once the import's transaction ended

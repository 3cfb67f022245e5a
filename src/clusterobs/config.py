"""The one configuration object of the platform.

Every setting comes from an environment variable, read here and nowhere else, so that an
operator finds all knobs in one place (documented in ``docs/operations.md``). This module imports
no Django: the analytics core and the CLI use it too.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = Path.cwd() / "clusterobs-data"


@dataclass(frozen=True)
class Config:
    """Resolved platform configuration."""

    data_dir: Path
    database_url: str | None
    debug: bool
    allowed_hosts: tuple[str, ...]
    secret_key: str
    test_database_name: str | None = None

    @property
    def sqlite_path(self) -> Path:
        """Where the embedded SQLite database lives when no database URL is configured."""
        return self.data_dir / "clusterobs.sqlite3"

    @property
    def media_dir(self) -> Path:
        """Uploaded documents."""
        return self.data_dir / "media"

    @property
    def results_dir(self) -> Path:
        """Statistical results written by the mapping engine and read by the web."""
        return self.data_dir / "results"


def _secret_key(data_dir: Path) -> str:
    """Use CLUSTEROBS_SECRET_KEY, else a random key kept in the data directory.

    A key generated once and stored keeps sessions valid across restarts without asking the
    operator to invent a secret.
    """
    explicit = os.environ.get("CLUSTEROBS_SECRET_KEY")
    if explicit:
        return explicit
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load_config() -> Config:
    """Read the environment; create the data directory if needed."""
    data_dir = Path(os.environ.get("CLUSTEROBS_DATA_DIR") or DEFAULT_DATA_DIR).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    hosts = os.environ.get("CLUSTEROBS_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
    return Config(
        data_dir=data_dir,
        database_url=os.environ.get("CLUSTEROBS_DATABASE_URL") or None,
        debug=os.environ.get("CLUSTEROBS_DEBUG", "").lower() in {"1", "true", "yes"},
        allowed_hosts=tuple(h.strip() for h in hosts.split(",") if h.strip()),
        secret_key=_secret_key(data_dir),
        # Test runs only: a database name of their own, so concurrent runs never collide.
        test_database_name=os.environ.get("CLUSTEROBS_TEST_DB_NAME") or None,
    )

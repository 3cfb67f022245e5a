"""The one configuration object of the platform.

Every setting comes from an environment variable, read here and nowhere else, so that an
operator finds all knobs in one place (documented in ``docs/operations.md``). This module imports
no Django: the analytics core and the CLI use it too.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = Path.cwd() / "clusterobs-data"


EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}


@dataclass(frozen=True)
class EmailConfig:
    """How the platform sends e-mail (sign-up confirmation, password reset, notifications).

    ``backend`` is ``console`` (printed by the server: a fresh install needs no mail server),
    ``file`` (one file per message in ``file_path``) or ``smtp`` (``host``, ``port``, ``user``,
    ``password``, STARTTLS by default).
    """

    backend: str = "console"
    file_path: Path = Path("mail")
    host: str = "localhost"
    port: int = 587
    user: str = ""
    password: str = ""
    use_tls: bool = True
    use_ssl: bool = False
    timeout: int = 10
    from_address: str = "noreply@cluster-observatory.invalid"

    @property
    def django_backend(self) -> str:
        return EMAIL_BACKENDS[self.backend]


@dataclass(frozen=True)
class SecurityConfig:
    """How the site runs behind a TLS-terminating proxy, and its abuse limits.

    Defaults suit a laptop (plain HTTP on localhost); a public site sets ``CLUSTEROBS_HTTPS=1``
    (secure cookies, HSTS, redirect to HTTPS, trust the proxy's ``X-Forwarded-Proto``) and its
    public origin in ``CLUSTEROBS_CSRF_TRUSTED_ORIGINS`` (docs/operations.md, docs/security.md).
    """

    https: bool = False
    hsts_seconds: int = 0
    ssl_redirect: bool = False
    proxy_ssl_header: tuple[str, str] | None = None
    csrf_trusted_origins: tuple[str, ...] = ()
    admin_path: str = "admin/"
    login_failure_limit: int = 5
    lockout_minutes: int = 15
    max_upload_mb: int = 50
    jobs_per_user: int = 2
    jobs_global: int = 4
    sqlite_busy_seconds: int = 20


@dataclass(frozen=True)
class Config:
    """Resolved platform configuration."""

    data_dir: Path
    database_url: str | None
    debug: bool
    allowed_hosts: tuple[str, ...]
    secret_key: str
    test_database_name: str | None = None
    email: EmailConfig = EmailConfig()
    #: The observatory shown when a visitor has chosen none (``CLUSTEROBS_DEFAULT_DATASET``).
    default_dataset: str = "us-states"
    #: Where imported classification vintages live (``None``: the embedded ones).
    classifications_dir: Path | None = None
    #: Run observatory jobs (custom regions, spatial runs) in the request instead of a worker.
    jobs_sync: bool = False
    #: Contact requests one user may send per hour (partner search).
    contacts_per_hour: int = 20
    #: benchmarking: reference groups smaller than this are hidden (privacy)
    excellence_min_group_size: int = 10
    #: days before a label's expiry on which its holders are reminded to renew
    excellence_reminder_days: tuple[int, ...] = (90, 30)
    security: SecurityConfig = SecurityConfig()

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

    @property
    def spatial_dir(self) -> Path:
        """Spatial runs (kernel densities, uploads) of the observatory."""
        return self.data_dir / "spatial"


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


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def _email_config(data_dir: Path) -> EmailConfig:
    """``CLUSTEROBS_EMAIL_*``; a wrong backend name or port is an error naming the variable."""
    env = os.environ.get
    backend = (env("CLUSTEROBS_EMAIL_BACKEND") or "console").strip().lower()
    if backend not in EMAIL_BACKENDS:
        raise ValueError(
            f"CLUSTEROBS_EMAIL_BACKEND={backend!r}: use one of {', '.join(EMAIL_BACKENDS)}"
        )
    numbers = {}
    for name, default in (("PORT", 587), ("TIMEOUT", 10)):
        raw = env(f"CLUSTEROBS_EMAIL_{name}") or str(default)
        if not raw.isdigit():
            raise ValueError(f"CLUSTEROBS_EMAIL_{name}={raw!r} is not a whole number")
        numbers[name] = int(raw)
    use_ssl = _flag("CLUSTEROBS_EMAIL_USE_SSL", False)
    return EmailConfig(
        backend=backend,
        file_path=Path(env("CLUSTEROBS_EMAIL_FILE_PATH") or data_dir / "mail"),
        host=env("CLUSTEROBS_EMAIL_HOST") or "localhost",
        port=numbers["PORT"],
        user=env("CLUSTEROBS_EMAIL_USER") or "",
        password=env("CLUSTEROBS_EMAIL_PASSWORD") or "",
        # STARTTLS unless implicit TLS (SSL, usually port 465) is asked for: Django refuses both.
        use_tls=_flag("CLUSTEROBS_EMAIL_USE_TLS", not use_ssl) and not use_ssl,
        use_ssl=use_ssl,
        timeout=numbers["TIMEOUT"],
        from_address=env("CLUSTEROBS_EMAIL_FROM") or "noreply@cluster-observatory.invalid",
    )


def _whole_number(name: str, default: int) -> int:
    raw = (os.environ.get(name) or str(default)).strip()
    if not raw.isdigit():
        raise ValueError(f"{name}={raw!r} is not a whole number")
    return int(raw)


def _security_config() -> SecurityConfig:
    """``CLUSTEROBS_HTTPS`` and friends; a wrong value is an error naming the variable."""
    https = _flag("CLUSTEROBS_HTTPS", False)
    header = os.environ.get("CLUSTEROBS_PROXY_SSL_HEADER", "X-Forwarded-Proto" if https else "")
    origins = os.environ.get("CLUSTEROBS_CSRF_TRUSTED_ORIGINS", "")
    admin_path = (os.environ.get("CLUSTEROBS_ADMIN_PATH") or "admin").strip("/")
    if not re.fullmatch(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*", admin_path):
        raise ValueError(f"CLUSTEROBS_ADMIN_PATH={admin_path!r}: use letters, digits, - and _")
    for origin in (o.strip() for o in origins.split(",") if o.strip()):
        if not origin.startswith(("https://", "http://")):
            raise ValueError(f"CLUSTEROBS_CSRF_TRUSTED_ORIGINS: {origin!r} needs a scheme")
    return SecurityConfig(
        https=https,
        # One year once HTTPS is on: check --deploy asks for HSTS, and the site has no HTTP part.
        hsts_seconds=_whole_number("CLUSTEROBS_HSTS_SECONDS", 31536000 if https else 0),
        ssl_redirect=_flag("CLUSTEROBS_SSL_REDIRECT", https),
        proxy_ssl_header=(
            ("HTTP_" + header.strip().upper().replace("-", "_"), "https")
            if header.strip()
            else None
        ),
        csrf_trusted_origins=tuple(o.strip() for o in origins.split(",") if o.strip()),
        admin_path=admin_path + "/",
        login_failure_limit=_whole_number("CLUSTEROBS_LOGIN_FAILURE_LIMIT", 5),
        lockout_minutes=_whole_number("CLUSTEROBS_LOCKOUT_MINUTES", 15),
        max_upload_mb=_whole_number("CLUSTEROBS_MAX_UPLOAD_MB", 50),
        jobs_per_user=_whole_number("CLUSTEROBS_JOBS_PER_USER", 2),
        jobs_global=_whole_number("CLUSTEROBS_JOBS_GLOBAL", 4),
        sqlite_busy_seconds=_whole_number("CLUSTEROBS_SQLITE_BUSY_SECONDS", 20),
    )


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
        email=_email_config(data_dir),
        default_dataset=os.environ.get("CLUSTEROBS_DEFAULT_DATASET") or "us-states",
        classifications_dir=Path(os.environ["CLUSTEROBS_CLASSIFICATIONS_DIR"]).resolve()
        if os.environ.get("CLUSTEROBS_CLASSIFICATIONS_DIR")
        else None,
        jobs_sync=_flag("CLUSTEROBS_JOBS_SYNC", False),
        contacts_per_hour=_whole("CLUSTEROBS_CONTACTS_PER_HOUR", 20),
        excellence_min_group_size=_whole("CLUSTEROBS_EXCELLENCE_MIN_GROUP_SIZE", 10),
        excellence_reminder_days=tuple(
            sorted(
                {
                    int(x)
                    for x in (os.environ.get("CLUSTEROBS_EXCELLENCE_REMINDER_DAYS") or "90,30")
                    .replace(" ", "")
                    .split(",")
                    if x.isdigit()
                },
                reverse=True,
            )
        ),
        security=_security_config(),
    )


def _whole(name: str, default: int) -> int:
    """A positive whole number from the environment; anything else is an error naming it."""
    raw = (os.environ.get(name) or str(default)).strip()
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name}={raw!r} is not a positive whole number")
    return int(raw)

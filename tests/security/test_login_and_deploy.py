"""Items 5 and 11 of issue 12: login throttling/lockout (django-axes), a configurable admin
address, and the TLS-proxy settings that make ``check --deploy`` clean."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(__file__).resolve().parents[2]

#: The production settings documented in docs/operations.md ("Behind a TLS proxy").
PRODUCTION_ENV = {
    "CLUSTEROBS_HTTPS": "1",
    "CLUSTEROBS_ALLOWED_HOSTS": "observatory.example.org",
    "CLUSTEROBS_CSRF_TRUSTED_ORIGINS": "https://observatory.example.org",
    "CLUSTEROBS_SECRET_KEY": "a-long-random-production-secret-" + "k" * 40,
    "CLUSTEROBS_ADMIN_PATH": "site-admin-7f3",
}


def _login(client, path: str, password: str):
    return client.post(path, {"username": "editor", "password": password})


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_repeated_wrong_passwords_lock_the_account_out(client, users, path) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert _login(client, path, "wrong").status_code == 200  # the form again
    assert _login(client, path, "wrong").status_code == 429  # the limit-th failure locks
    locked = _login(client, path, "pw-editor-123")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_fewer_failures_than_the_limit_still_log_in(client, users) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "/accounts/login/", "wrong")
    assert _login(client, "/accounts/login/", "pw-editor-123").status_code == 302
    assert client.session["_auth_user_id"] == str(users["editor"].pk)


def test_the_lockout_is_per_user(client, users) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "/accounts/login/", "wrong")
    other = client.post("/accounts/login/", {"username": "viewer", "password": "pw-viewer-123"})
    assert other.status_code == 302


def _run_python(code: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    full = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CLUSTEROBS_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    full |= {
        "CLUSTEROBS_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "clusterobs.web.settings",
    }
    full |= env
    return subprocess.run(
        [sys.executable, "-c", code], env=full, capture_output=True, text=True, cwd=REPO
    )


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path) -> None:
    result = _run_python(
        "import django,sys;from django.core.management import call_command;django.setup();"
        "call_command('check', deploy=True, fail_level='WARNING')",
        PRODUCTION_ENV,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_them(tmp_path) -> None:
    result = _run_python(
        "import django;from django.core.management import call_command;django.setup();"
        "call_command('check', deploy=True, fail_level='WARNING')",
        {"CLUSTEROBS_SECRET_KEY": PRODUCTION_ENV["CLUSTEROBS_SECRET_KEY"]},
        tmp_path,
    )
    assert result.returncode != 0
    assert "W004" in result.stderr + result.stdout  # no HSTS on a plain-HTTP laptop set-up


def test_production_settings_values(tmp_path) -> None:
    result = _run_python(
        "import django;django.setup();from django.conf import settings as s;from django.urls "
        "import reverse;print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.CSRF_TRUSTED_ORIGINS,"
        " reverse('admin:index'))",
        PRODUCTION_ENV,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == (
        "True True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https') "
        "['https://observatory.example.org'] /site-admin-7f3/"
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CLUSTEROBS_ADMIN_PATH", "../x"),
        ("CLUSTEROBS_CSRF_TRUSTED_ORIGINS", "example.org"),
        ("CLUSTEROBS_HSTS_SECONDS", "a year"),
    ],
)
def test_a_wrong_security_setting_names_the_variable(tmp_path, name, value) -> None:
    result = _run_python("import django;django.setup()", {name: value}, tmp_path)
    assert result.returncode != 0 and name in result.stderr


def test_responses_carry_a_strict_content_security_policy(client, db) -> None:
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy

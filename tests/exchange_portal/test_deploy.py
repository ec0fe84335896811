"""`check --deploy` is clean with the production variables set (docs/deployment.md)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "exchange.csb.gov.hk",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://exchange.csb.gov.hk",
    "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
}


def run_check_deploy(**env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_with_the_production_variables():
    result = run_check_deploy(**PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_warns_when_https_is_switched_off():
    result = run_check_deploy(**PRODUCTION, DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_COOKIES="0")
    assert result.returncode != 0
    for check in ("security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


def test_check_deploy_warns_about_a_weak_secret_key():
    result = run_check_deploy(**{**PRODUCTION, "DJANGO_SECRET_KEY": "short-key"})
    assert result.returncode != 0
    assert "security.W009" in result.stderr

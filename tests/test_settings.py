"""Settings come from the environment; production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    environment.update(env)
    code = (
        "import django;from django.conf import settings;django.setup();"
        "print(settings.DEBUG, settings.DATABASES['default']['ENGINE'], settings.TIME_ZONE)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "exchange_portal.settings"},
        capture_output=True,
        text=True,
    )


def test_defaults_are_debug_on_sqlite_and_hong_kong_time():
    result = load_settings()
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3", "Asia/Hong_Kong"]


def test_database_url_selects_postgresql():
    result = load_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/anything")
    assert result.stdout.split()[1] == "django.db.backends.postgresql"


def test_debug_off_without_secret_key_stops_with_a_clear_message():
    result = load_settings(DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="portal.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_off_without_allowed_hosts_stops_with_a_clear_message():
    result = load_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_debug_off_with_its_settings_starts():
    result = load_settings(
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="portal.example"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"


def test_documents_go_to_a_private_folder_or_to_s3_by_environment():
    code = (
        "import django;from django.conf import settings;django.setup();"
        "d=settings.STORAGES['documents'];o=d['OPTIONS'];"
        "print(d['BACKEND'], o.get('bucket_name') or o['location'])"
    )

    def run(**env):
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DOCUMENTS_"))}
        environment.update(env, DJANGO_SETTINGS_MODULE="exchange_portal.settings")
        return subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
        ).stdout.split()

    backend, location = run()
    assert backend == "django.core.files.storage.FileSystemStorage"
    assert location == str(ROOT / "private" / "documents") and "static" not in location
    assert run(DOCUMENTS_S3_BUCKET="exchange-documents") == [
        "storages.backends.s3.S3Storage",
        "exchange-documents",
    ]


def test_sessions_are_read_from_redis_only_when_every_process_shares_it():
    code = "import django;from django.conf import settings;django.setup();print(settings.SESSION_ENGINE)"

    def engine(**env):
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL"))}
        environment.update(env, DJANGO_SETTINGS_MODULE="exchange_portal.settings")
        return subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
        ).stdout.strip()

    # Without Redis, a process's local cache would keep a session that another process ended.
    assert engine() == "exchange_portal.session_backends.db"
    assert engine(REDIS_URL="redis://127.0.0.1:6379/5") == "exchange_portal.session_backends.cached_db"

"""Shared by the bench scripts: prepare a PostgreSQL database with the demo, start and stop gunicorn."""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/exchange_portal_load"
DEMO_PASSWORD = "exchange-demo"


def production_env(database_url):
    """The production settings, except that this runs on plain HTTP at 127.0.0.1 (no TLS proxy), so
    HTTPS redirects and secure-only cookies are off."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-only-secret-key-" + "k" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_LOG_LEVEL="WARNING",
    )
    return env


def manage(env, *args, quiet=True):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if quiet else None,
    ).stdout


def ensure_database(database_url):
    """Create the database if it does not exist (psycopg2, via the `postgres` maintenance database)."""
    import psycopg2
    from psycopg2 import sql

    name = database_url.rsplit("/", 1)[1]
    conn = psycopg2.connect(database_url.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


def prepare(database_url, *, synthetic=1000, log=print):
    """Migrate, load the demo (and a synthetic batch), collect static files. Safe to repeat."""
    env = production_env(database_url)
    ensure_database(database_url)
    log(f"Preparing {database_url.rsplit('/', 1)[1]}: migrate, demo + {synthetic} synthetic, collectstatic")
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo", "--force", "--password", DEMO_PASSWORD, "--synthetic", str(synthetic))
    manage(env, "collectstatic", "--noinput")
    return env


def synthetic_batch_id(env):
    code = (
        "from demo.synthetic import SYNTHETIC_BATCH_NAME;from placements.models import Batch;"
        "print(Batch.objects.get(name=SYNTHETIC_BATCH_NAME).pk)"
    )
    return int(manage(env, "shell", "--verbosity", "0", "-c", code).split()[-1])


class Gunicorn:
    """gunicorn serving the portal on 127.0.0.1:port; a context manager that stops it afterwards."""

    def __init__(self, env, port, *, workers=3, log_path=None):
        self.env, self.port, self.workers = env, port, workers
        self.log_path = log_path or Path(f"/tmp/exchange-portal-gunicorn-{port}.log")
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        log = open(self.log_path, "w")  # noqa: SIM115 - kept open for the server's lifetime
        self.process = subprocess.Popen(
            [GUNICORN, "exchange_portal.wsgi", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}"]
            # workers=None: gunicorn.conf.py's count, as deployed.
            + (["--workers", str(self.workers)] if self.workers else [])
            + ["--graceful-timeout", "5"]
            # Two instances (and other projects) would otherwise share one control socket path.
            + ["--no-control-socket"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=2)
                return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if self.process.poll() is not None:
                    raise RuntimeError(f"gunicorn exited; see {self.log_path}") from None
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer on {self.url}; see {self.log_path}")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

"""gunicorn's settings for `make serve` (loaded with -c): gunicorn names itself in a `Server:` header on
every answer, which only helps an attacker pick exploits, and has no setting to drop it; this removes
the header from the headers gunicorn writes itself. The rest of the configuration stays on the command
line (Makefile), which may override the worker count below."""

from gunicorn.http import wsgi

_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [header for header in _default_headers(self) if not header.lower().startswith("server:")]


wsgi.Response.default_headers = _default_headers_without_server

# Sync workers for the 2-core machine the deployment guide describes (docs/deployment.md): five, gunicorn's
# own 2 x cores + 1. A sync worker waiting on the database holds its slot without using a core: under the
# launch-day load test a commit could wait up to half a second for PostgreSQL's WAL to reach the disk, and
# with three workers a few such waits at once queued every page for seconds (docs/performance.md).
# `--workers N` on the command line (make serve's WEB_CONCURRENCY) overrides it.
workers = 5

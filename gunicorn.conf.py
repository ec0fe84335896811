"""gunicorn's settings for `make serve` (loaded with -c): gunicorn names itself in a `Server:` header on
every answer, which only helps an attacker pick exploits, and has no setting to drop it; this removes
the header from the headers gunicorn writes itself. The rest of the configuration stays on the command
line (Makefile)."""

from gunicorn.http import wsgi

_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [header for header in _default_headers(self) if not header.lower().startswith("server:")]


wsgi.Response.default_headers = _default_headers_without_server

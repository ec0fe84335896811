"""Error pages in the portal's look, the 503 page for a database outage, and /healthz."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import InterfaceError, OperationalError, connection
from django.template import loader
from django.test import Client

from exchange_portal import views

pytestmark = pytest.mark.urls("tests.exchange_portal.urls_errors")


@pytest.fixture
def anonymous():
    # Let the handlers answer instead of re-raising the exception into the test.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/raise/400/", 400, "Bad request"),
        ("/raise/403/", 403, "You are not allowed to see this page"),
        ("/no-such-page/", 404, "Page not found"),
        ("/raise/500/", 500, "Something went wrong"),
        ("/raise/operational/", 503, "The portal is briefly unavailable"),
        ("/raise/interface/", 503, "The portal is briefly unavailable"),
    ],
)
def test_error_pages_are_in_the_portals_look(db, anonymous, path, status, heading):
    response = anonymous.get(path)
    assert response.status_code == status
    html = response.content.decode()
    assert f'<h1 class="h2 mb-3">{heading}</h1>' in html
    assert 'class="navbar-brand"' in html and "css/portal.css" in html
    assert "Traceback" not in html


def test_the_503_page_asks_to_retry(db, anonymous):
    assert anonymous.get("/raise/operational/")["Retry-After"] == "10"


def test_a_signed_in_user_sees_their_menu_on_the_404_page(csb_client):
    response = csb_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Sign out" in response.content.decode()


def test_500_and_503_pages_render_without_a_request_or_database():
    # No `db` fixture: any database query here would fail the test.
    for name in ("500.html", "503.html"):
        assert "Exchange Portal" in loader.get_template(name).render()
    assert views.server_error_view(None).status_code == 500


def test_csrf_failure_uses_the_portals_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()


def test_healthz_answers_ok_with_one_query(db, anonymous, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        response = anonymous.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_unreachable(db, anonymous, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", unreachable)
        response = anonymous.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


def test_healthz_is_not_redirected_to_https(db, anonymous, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert anonymous.get("/healthz").status_code == 200
    assert anonymous.get("/robots.txt").status_code == 301


def test_robots_txt_keeps_search_engines_out(anonymous):
    # No `db` fixture: the ceiling of the load test touches no database.
    response = anonymous.get("/robots.txt")
    assert response.content == b"User-agent: *\nDisallow: /\n"


# Views for the URLconf below: each raises what its name says.
def _raise(exception):
    def view(request):
        raise exception

    return view


RAISING_VIEWS = {
    "400": _raise(SuspiciousOperation("bad")),
    "403": _raise(PermissionDenied()),
    "500": _raise(ValueError("a bug")),
    "operational": _raise(OperationalError("terminating connection due to administrator command")),
    "interface": _raise(InterfaceError("connection already closed")),
}

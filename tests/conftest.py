import importlib

import django_rq
import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from core.roles import sync_roles
from tests.factories import CoordinatorUserFactory, CsbStaffFactory, OfficerFactory, ParticipantUserFactory
from tests.smtp import SmtpServer


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_documents_folder(settings, tmp_path):
    """Each test stores documents in a folder of its own (the embedded default backend)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "documents", "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache (local memory in tests) outlives each test's database rollback: permissions and dashboard
    figures cached by one test must not be found by the next, whose rows reuse the same keys."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def csb_user(db):
    """A CSB staff member: staff status and the 'CSB staff' group, not a superuser."""
    return CsbStaffFactory(username="csb-staff")


@pytest.fixture
def csb_client(client, csb_user):
    client.force_login(csb_user)
    return client


@pytest.fixture
def coordinator_user(db):
    return CoordinatorUserFactory(username="coordinator-user")


@pytest.fixture
def coordinator_client(client, coordinator_user):
    client.force_login(coordinator_user)
    return client


@pytest.fixture
def officer_with_login(db):
    """A Hong Kong officer linked to a participant account."""
    return OfficerFactory(user=ParticipantUserFactory(username="participant-a"))


def pytest_sessionstart(session):
    """Compile the translation catalogues (as `make` does), so a bare `pytest` serves every language."""
    from core.translations import compile_catalogues

    compile_catalogues()


@pytest.fixture(autouse=True)
def _reset_language():
    """A request in Chinese leaves its language active in the thread: start every test in English."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _immediate_tasks(settings, request):
    """Tasks run at once in the test's own process (django-tasks' immediate backend), except in the tests
    that drive a real worker: they are marked `worker` and choose their backend themselves."""
    if "worker" not in request.keywords:
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
        settings.CACHES = {
            **settings.CACHES,
            "progress": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        }


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a free local port, with the portal's mail settings pointing at it."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _worker_reference_data(request):
    """Tests marked `worker` run without a wrapping transaction (the worker commits), after a flush by an
    earlier such test: load the migrations' reference data and the roles again first, as tests/e2e do."""
    if "worker" in request.keywords:
        request.getfixturevalue("transactional_db")
        for module in (
            "participants.migrations.0002_reference_data",
            "placements.migrations.0002_reference_data",
        ):
            importlib.import_module(module).load(django_apps, None)
        sync_roles(django_apps)


@pytest.fixture
def run_worker(settings):
    """Runs the configured backend's real worker (DJANGO_TASKS_BACKEND: database, or redis in CI's extra
    run) in this process until the queue is empty. For tests marked `worker`."""
    if settings.TASKS_BACKEND == "redis":
        django_rq.get_queue("default").empty()

    def run():
        call_command("run_worker", "--burst")

    return run


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The tests that commit and flush the database (the browser tests, the worker's, any
    `transaction=True`) run after every other database test, as Django orders them: a flush leaves the
    tests after it without the migrations' reference data and roles. pytest-django sorts them last, but
    pytest's own grouping of tests by their parametrized fixtures (the browsers') can move some ordinary
    tests after them again, which then find no groups."""

    def flushes(item):
        if "/e2e/" in str(item.fspath) or item.get_closest_marker("worker"):
            return True
        marker = item.get_closest_marker("django_db")
        if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
            return True
        fixtures = getattr(item, "fixturenames", ())
        return "transactional_db" in fixtures or "live_server" in fixtures

    items[:] = [item for item in items if not flushes(item)] + [item for item in items if flushes(item)]

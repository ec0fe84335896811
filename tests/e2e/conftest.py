"""Browser tests: Playwright drives Debian's chromium (never a downloaded browser) against live_server.

Each test runs in a transaction-less database (the server thread must see the rows), which is flushed
afterwards; the `reference_data` fixture loads the migrations' reference data again before each test.
pytest-django runs these transactional tests after all the others."""

import importlib
import os
import shutil

import pytest
from django.apps import apps as django_apps

from core.roles import sync_roles

# The data migrations whose rows every test expects; their load() functions are idempotent.
DATA_MIGRATIONS = [
    "participants.migrations.0002_reference_data",
    "placements.migrations.0002_reference_data",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still
# synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.django_db(transaction=True))
            if CHROMIUM is None and os.environ.get("CI") != "true":
                item.add_marker(
                    pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium)")
                )


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    for module in DATA_MIGRATIONS:
        importlib.import_module(module).load(django_apps, None)
    sync_roles(django_apps)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def sign_in(page, live_server):
    """sign_in(username, password) signs in through the real form and returns the page."""

    def sign_in(username, password="pw-for-tests"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        return page

    return sign_in

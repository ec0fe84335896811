import pytest

from tests.factories import CoordinatorUserFactory, CsbStaffFactory, OfficerFactory, ParticipantUserFactory


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

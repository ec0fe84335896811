"""The session stores commit without waiting for PostgreSQL's disk, and only their own writes do."""

from contextlib import contextmanager

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection, transaction

from exchange_portal.session_backends import cached_db, db
from tests.factories import ParticipantUserFactory

STORES = [db.SessionStore, cached_db.SessionStore]
RELAX = "SET LOCAL synchronous_commit TO off"


@contextmanager
def statements():
    """Every statement sent, in order, and whether a transaction was open when it was."""
    sent = []

    def record(execute, sql, params, many, context):
        sent.append((sql, connection.in_atomic_block))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield sent


def synchronous_commit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")


@pytest.mark.parametrize("store_class", STORES)
@pytest.mark.django_db(transaction=True)
def test_a_session_write_commits_without_waiting_for_the_disk(store_class):
    on_postgresql()
    store = store_class()
    store["colour"] = "blue"
    with statements() as sent:
        store.create()  # a new session (sign-in)
        store["colour"] = "green"
        store.save()  # its expiry moved forward (the idle timer)
    writes = [index for index, (sql, _) in enumerate(sent) if sql.startswith(("INSERT", "UPDATE"))]
    relaxed = [index for index, (sql, _) in enumerate(sent) if sql == RELAX]
    assert len(writes) == 2 and len(relaxed) == 2
    # Each write follows its own SET LOCAL, in the same transaction.
    assert relaxed[0] < writes[0] < relaxed[1] < writes[1]
    assert all(sent[index][1] for index in relaxed + writes)
    # SET LOCAL ended with its transaction: the next write waits for the disk as the server says.
    assert synchronous_commit() == "on"
    assert store_class(store.session_key)["colour"] == "green"
    assert Session.objects.get(session_key=store.session_key).get_decoded() == {"colour": "green"}


@pytest.mark.django_db(transaction=True)
def test_a_session_written_inside_an_open_transaction_leaves_that_transaction_alone():
    on_postgresql()
    with transaction.atomic(), statements() as sent:
        store = db.SessionStore()
        store["colour"] = "blue"
        store.create()
    assert RELAX not in [sql for sql, _ in sent]
    assert db.SessionStore(store.session_key)["colour"] == "blue"


@pytest.mark.parametrize("store_class", STORES)
@pytest.mark.django_db
def test_other_databases_write_sessions_as_django_does(store_class):
    if connection.vendor == "postgresql":
        pytest.skip("the SQLite path")
    store = store_class()
    store["colour"] = "blue"
    with statements() as sent:
        store.create()
    assert RELAX not in [sql for sql, _ in sent]
    assert store_class(store.session_key)["colour"] == "blue"


@pytest.mark.django_db
def test_signing_in_and_out_through_the_pages(client):
    user = ParticipantUserFactory(username="officer-session")
    user.set_password("a long enough password 1")
    user.save()
    response = client.post(
        "/accounts/login/", {"username": "officer-session", "password": "a long enough password 1"}
    )
    assert response.status_code == 302
    key = client.session.session_key
    assert Session.objects.get(session_key=key).get_decoded()[SESSION_KEY] == str(user.pk)
    assert client.get("/").wsgi_request.user == user
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()

"""Django's cached_db session store (read from the cache, written to both) whose database writes commit
without waiting for the disk (see the package): the cache is written after the commit, as Django's is."""

from django.contrib.sessions.backends import cached_db

from .db import SessionStore as DatabaseSessionStore


class SessionStore(cached_db.SessionStore, DatabaseSessionStore):
    pass

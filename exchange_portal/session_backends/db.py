"""Django's database session store, committing its writes without waiting for the disk (see the package)."""

from django.contrib.sessions.backends import db

from . import CommitWithoutWaitingForDiskMixin


class SessionStore(CommitWithoutWaitingForDiskMixin, db.SessionStore):
    pass

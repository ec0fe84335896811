"""Session stores whose writes do not wait for the disk (`SESSION_ENGINE`: `.db`, or `.cached_db` with Redis).

Signed-in pages write the session now and then: at sign-in, and when the idle timer moves its expiry
forward (exchange_portal.middleware, at most once a minute per person; about five writes a second for 300
people). On PostgreSQL each such write was a commit that waited for the write-ahead log to reach the disk,
and while the disk was busy (a checkpoint, an import) that wait reached 0.2-0.45 s and held a gunicorn
worker for it (docs/performance.md, "Fifth pass").

A session write is committed with `synchronous_commit` off instead: PostgreSQL answers once the commit is in
its write-ahead log buffers and writes them out within a fraction of a second (three times
`wal_writer_delay`, 0.6 s by default). If the database server crashes in that fraction of a second, the
write is lost, never half-written: the person signs in again, or their session ends a minute early. Every
other write keeps the server's setting. Sign-out deletes the session, which is not a save and stays as
durable as any other write.

A save inside a transaction that is already open (a view that signs someone in within its own transaction)
is left alone: `SET LOCAL` would apply to the whole of that transaction."""

from django.db import connections, router, transaction


class CommitWithoutWaitingForDiskMixin:
    def save(self, must_create=False):
        using = router.db_for_write(self.model)
        connection = connections[using]
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return super().save(must_create=must_create)
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO off")
            return super().save(must_create=must_create)

"""Nominations import benchmark (`make bench`): applying 1,000 and 5,000 rows, against
`load_demo --synthetic 5000` inserting 5,000 placements, in one run on PostgreSQL.

    python bench/imports.py [--rows 5000] [--small 1000]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/exchange_portal_bench_imports; that database is
dropped and created afresh on each run, so every run starts from the same state: migrated, the demo
loaded. Then, timed: the synthetic batch of --rows placements (demo.synthetic.load_synthetic, what
`load_demo --synthetic` runs), the upload of a --rows-row file (read and checked for the preview), its
apply, a --small-row file's apply, and a re-apply of that file with every placement's dates changed (a
notice and an e-mail per officer). Applies run in this process without the task queue: the time a
worker takes. Targets (issue 15): the 5,000-row apply within 5 times the synthetic insert, the 1,000-row
apply under 10 s."""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/exchange_portal_bench_imports")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exchange_portal.settings")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
# Applies run here, as a worker runs them; the e-mails they queue wait in the database queue.
os.environ.setdefault("DJANGO_TASKS_BACKEND", "database")


def recreate_database():
    import environ
    import psycopg2
    from psycopg2 import sql

    config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    if "postgresql" not in config["ENGINE"]:
        sys.exit("The import benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(config["NAME"]))
        )
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    connection.close()


def timed(label, function):
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    print(f"{label}: {seconds:.2f} s")
    return result, seconds


def main():
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--small", type=int, default=1000)
    args = parser.parse_args()

    recreate_database()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from demo.first_batch import Demo
    from demo.synthetic import load_synthetic
    from placements.models import Batch
    from selection.imports.services import nomination_import_apply, nomination_import_create
    from tests.data.imports.make_files import csv_text, nomination

    call_command("migrate", verbosity=0)
    Demo(password="bench", log=lambda *a: None).load()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        print(f"PostgreSQL {cursor.fetchone()[0]}, {os.cpu_count()} cores")
    _batch, synthetic = timed(
        f"load_demo --synthetic {args.rows} (insert {args.rows:,} placements)",
        lambda: load_synthetic(args.rows, log=lambda *a: None),
    )
    batch = Batch.objects.get(name="GBA second batch · Guangzhou 2027")
    user = get_user_model().objects.get(username="csb")

    def upload(rows, name):
        content = csv_text(rows).encode()
        return nomination_import_create(batch=batch, user=user, file_name=name, content=content)

    big_rows = [nomination(n) for n in range(10_000, 10_000 + args.rows)]
    big, _ = timed(f"upload and preview check, {args.rows:,} rows", lambda: upload(big_rows, "big.csv"))
    _result, big_apply = timed(
        f"apply {args.rows:,} rows", lambda: nomination_import_apply(nomination_import=big, user=user)
    )
    small_rows = [nomination(n) for n in range(100_000, 100_000 + args.small)]
    small = upload(small_rows, "small.csv")
    _result, small_apply = timed(
        f"apply {args.small:,} rows", lambda: nomination_import_apply(nomination_import=small, user=user)
    )
    start, end = batch.start_date + datetime.timedelta(days=7), batch.end_date - datetime.timedelta(days=7)
    changed_rows = [
        nomination(n, **{"Start date": start.isoformat(), "End date": end.isoformat()})
        for n in range(100_000, 100_000 + args.small)
    ]
    changed = upload(changed_rows, "changed.csv")
    timed(
        f"re-apply {args.small:,} rows with new dates ({args.small:,} notices and e-mails)",
        lambda: nomination_import_apply(nomination_import=changed, user=user),
    )
    print(
        f"\n{args.rows:,}-row apply / synthetic insert: {big_apply / synthetic:.1f}x (target: at most 5x); "
        f"{args.small:,}-row apply: {small_apply:.2f} s (target: under 10 s)"
    )


if __name__ == "__main__":
    main()

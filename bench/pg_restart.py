"""PostgreSQL restarts under a running portal: requests fail cleanly (the 503 page, never a traceback)
while the database is down and work again afterwards, without restarting gunicorn.

Starts gunicorn against DATABASE_URL, signs in as csb and requests a database-backed admin page in a loop
(one request every 50 ms), restarts the PostgreSQL cluster with pg_ctlcluster, keeps going for a while
and reports how long the errors lasted and whether the service recovered on its own.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/exchange_portal_load .venv/bin/python bench/pg_restart.py

Restarting PostgreSQL interrupts everything else using the cluster for a few seconds. --no-restart runs
the same loop without the restart (to check the harness).
"""

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
from _server import DEFAULT_DATABASE_URL, DEMO_PASSWORD, Gunicorn, prepare
from two_instances import sign_in

PAGE = "/admin/"


def cluster_version():
    return sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]


def pg_ctlcluster(action):
    return subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", cluster_version(), "main", action],
        capture_output=True,
        text=True,
    )


def ensure_postgresql_up():
    if pg_ctlcluster("status").returncode != 0:
        print("PostgreSQL is down: starting it again.")
        pg_ctlcluster("start")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--before", type=float, default=3, help="seconds of requests before the restart")
    parser.add_argument("--after", type=float, default=10, help="seconds of requests after the restart")
    parser.add_argument("--no-restart", action="store_true")
    args = parser.parse_args()
    env = prepare(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    results = []  # (seconds since start, status or exception name, looks like the 503 page, traceback)
    stop = threading.Event()

    with Gunicorn(env, args.port) as server:
        session, response = sign_in(server.url, "csb", DEMO_PASSWORD)
        assert response.status_code == 302, "csb could not sign in"
        start = time.monotonic()

        def loop():
            while not stop.is_set():
                sent = time.monotonic() - start
                try:
                    r = session.get(server.url + PAGE, timeout=10, allow_redirects=False)
                    results.append(
                        (sent, r.status_code, "briefly unavailable" in r.text, "Traceback" in r.text)
                    )
                except requests.RequestException as error:
                    results.append((sent, type(error).__name__, False, False))
                time.sleep(0.05)

        worker = threading.Thread(target=loop)
        worker.start()
        try:
            time.sleep(args.before)
            restart_at = time.monotonic() - start
            if args.no_restart:
                print("--no-restart: leaving PostgreSQL alone")
                restart_took = 0.0
            else:
                print(f"Restarting PostgreSQL {cluster_version()}/main at t={restart_at:.2f} s …")
                done = pg_ctlcluster("restart")
                restart_took = time.monotonic() - start - restart_at
                print(f"pg_ctlcluster restart returned {done.returncode} after {restart_took:.2f} s")
            time.sleep(args.after)
        finally:
            stop.set()
            worker.join()
            ensure_postgresql_up()

    errors = [r for r in results if r[1] != 200]
    statuses = {}
    for r in results:
        statuses[r[1]] = statuses.get(r[1], 0) + 1
    print(f"\n{len(results)} requests to {PAGE} as csb; by status: {statuses}")
    if errors:
        first, last = errors[0][0], errors[-1][0]
        print(f"errors from t={first:.2f} s to t={last:.2f} s: {last - first:.2f} s, {len(errors)} requests")
        clean = all(r[1] == 503 and r[2] and not r[3] for r in errors)
        print(f"every error was the 503 page without a traceback: {'yes' if clean else 'NO'}")
    else:
        clean = True
        print("no errors")
    tail = results[-20:]
    recovered = all(r[1] == 200 for r in tail)
    print(
        f"recovered without restarting gunicorn (last {len(tail)} requests all 200): "
        f"{'yes' if recovered else 'NO'}"
    )
    return 0 if clean and recovered else 1


if __name__ == "__main__":
    sys.exit(main())

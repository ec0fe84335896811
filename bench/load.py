"""Load test (`make load`): gunicorn + PostgreSQL on 127.0.0.1 with the demo and a synthetic batch of
1,000 placements; signed-in participants, coordinators and CSB staff on their pages, concurrently, with
locust (headless, as a library). Prints requests/s, p50/p95/p99 and errors per page, and the same for a
trivial view (/robots.txt: no database, no template), the stack's ceiling on this machine.

    .venv/bin/python bench/load.py [--duration 60] [--users 32] [--ports 8106 8116] [--page ...]

Each page is `label=role:path`, role one of anonymous, participant, coordinator, csb; `{batch}` in a path
is the synthetic batch. A page answering 404 (not built yet) is skipped with a note. With two ports, two
gunicorn instances serve one database and every user alternates between them on every request.
DATABASE_URL names the PostgreSQL database (created and filled if needed).
"""

# locust patches the standard library for gevent: it must come before anything that opens sockets.
from locust import FastHttpUser, constant, task  # isort: skip
from locust.env import Environment  # isort: skip

import argparse
import itertools
import os
import re
import sys
import time

import gevent
import requests
from _server import DEFAULT_DATABASE_URL, DEMO_PASSWORD, Gunicorn, prepare, synthetic_batch_id

TRIVIAL = "trivial view"
DEFAULT_PAGES = [
    "trivial view=anonymous:/robots.txt",
    "health check=anonymous:/healthz",
    "participant /my/=participant:/my/",
    "coordinator batch page=coordinator:/batches/{batch}/",
    "coordinator roster CSV=coordinator:/batches/{batch}/roster.csv",
    "CSB admin officer list=csb:/admin/participants/officer/",
]
ACCOUNTS = {
    "participant": [f"officer{n:02d}" for n in range(1, 11)],
    "coordinator": ["coordinator"],
    "csb": ["csb"],
    "anonymous": [None],
}


def sign_in(client, base, username):
    """Sign in through the real form; works for requests.Session and locust's FastHttpSession."""
    page = client.get(f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    form = {"csrfmiddlewaretoken": token, "username": username, "password": DEMO_PASSWORD}
    return client.post(f"{base}/accounts/login/", data=form, allow_redirects=False)


def preflight(base, pages):
    """Keep the pages that answer 200 for their role; note the ones that do not exist yet (404)."""
    kept = []
    for label, role, path in pages:
        session = requests.Session()
        if role != "anonymous":
            sign_in(session, base, ACCOUNTS[role][0])
        status = session.get(base + path, allow_redirects=False).status_code
        if status == 200:
            kept.append((label, role, path))
        elif status == 404:
            print(f"  skipped: {label} ({path}) answers 404 — not built on this branch yet")
        else:
            sys.exit(f"  {label} ({path}) answers {status} for {role}; fix that before load testing")
    return kept


def shares(pages, users):
    """The users shared out evenly between the pages."""
    return [users // len(pages) + (1 if i < users % len(pages) else 0) for i in range(len(pages))]


def user_classes(pages, bases, users, signed_in):
    """One locust user class per page, with its share of the users (fixed_count)."""
    share = shares(pages, users)
    classes = []
    for (label, role, path), count in zip(pages, share, strict=True):
        accounts = itertools.cycle(ACCOUNTS[role])

        class PageUser(FastHttpUser):
            host = bases[0]
            wait_time = constant(0)
            fixed_count = count

            def on_start(self, role=role, accounts=accounts):
                self.urls = itertools.cycle(bases)
                if role != "anonymous":
                    with self.client.rename_request("sign-in (not counted)"):
                        sign_in(self.client, bases[0], next(accounts))
                signed_in.append(1)

            @task
            def page(self, label=label, path=path):
                self.client.get(next(self.urls) + path, name=label)

        PageUser.__name__ = f"User{len(classes)}"
        classes.append(PageUser)
    return classes


def run(bases, pages, users, duration):
    signed_in = []
    env = Environment(user_classes=user_classes(pages, bases, users, signed_in))
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    while len(signed_in) < users:
        gevent.sleep(0.1)
    env.stats.reset_all()  # count from here: every user is signed in
    started = time.monotonic()
    gevent.sleep(duration)
    runner.quit()
    return env.stats, time.monotonic() - started


def percentiles(entry):
    return " ".join(f"{entry.get_response_time_percentile(p):>7.0f}" for p in (0.5, 0.95, 0.99))


def report(stats, pages, elapsed, users):
    print(f"\n{'page':<28} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>7}  requests")
    rows = {}
    for (label, _, _), share in zip(pages, shares(pages, users), strict=True):
        entry = stats.get(label, "GET")
        rows[label] = entry.num_requests / elapsed / share  # per user, to compare phases
        print(
            f"{label:<28} {entry.num_requests / elapsed:>8.1f} {percentiles(entry)} "
            f"{entry.num_failures:>7}  {entry.num_requests}"
        )
    total = stats.total
    print(
        f"{'all pages':<28} {total.num_requests / elapsed:>8.1f} {percentiles(total)} "
        f"{total.num_failures:>7}  {total.num_requests}"
    )
    for error in stats.errors.values():
        print(f"  error: {error.name}: {error.error} ×{error.occurrences}")
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds measured (after sign-in)")
    parser.add_argument("--users", type=int, default=32, help="concurrent connections")
    parser.add_argument("--ports", type=int, nargs="+", default=[8106])
    # gunicorn's advice for sync workers: 2 × cores + 1.
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 5)))
    parser.add_argument("--page", action="append", metavar="LABEL=ROLE:PATH", help="replaces the defaults")
    parser.add_argument("--synthetic", type=int, default=1000)
    args = parser.parse_args()

    env = prepare(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL), synthetic=args.synthetic)
    batch = synthetic_batch_id(env)
    pages = []
    for spec in args.page or DEFAULT_PAGES:
        label, rest = spec.split("=", 1)
        role, path = rest.split(":", 1)
        pages.append((label, role, path.format(batch=batch)))

    servers = [Gunicorn(env, port, workers=args.workers) for port in args.ports]
    for server in servers:
        server.__enter__()
    try:
        bases = [server.url for server in servers]
        print(
            f"gunicorn ×{len(servers)} ({args.workers} sync workers each) at {', '.join(bases)}; "
            f"{args.users} users for {args.duration:.0f} s"
        )
        pages = preflight(bases[0], pages)
        # The ceiling on its own first: mixed with slower pages, a trivial request would mostly measure
        # the time it queues behind them (sync workers serve one request at a time).
        ceiling = [p for p in pages if p[0] == TRIVIAL]
        others = [p for p in pages if p[0] != TRIVIAL]
        rows, failures = {}, 0
        for phase, phase_pages in (("the stack's ceiling", ceiling), ("the pages, concurrently", others)):
            if phase_pages:
                print(f"\n{phase}: {args.users} users for {args.duration:.0f} s")
                stats, elapsed = run(bases, phase_pages, args.users, args.duration)
                rows.update(report(stats, phase_pages, elapsed, args.users))
                failures += stats.total.num_failures
    finally:
        for server in servers:
            server.__exit__(None, None, None)
    if rows.get(TRIVIAL):
        print()
        for label, rate in rows.items():
            if label != TRIVIAL:
                print(f"  {label}: {rate / rows[TRIVIAL]:.0%} of the trivial view's rate, per user")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

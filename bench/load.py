"""Load test (`make load`): gunicorn + PostgreSQL on 127.0.0.1 with the demo and a synthetic batch of
1,000 placements, driven by locust (headless, as a library), in two parts:

1. the ceiling test: signed-in participants, coordinators and CSB staff on their pages, concurrently, at
   `--users` connections with no think time, beside a trivial view (/robots.txt: no database, no
   template), the stack's ceiling on this machine; each page's rate as a share of the trivial view's;
2. the launch-day model: `--launch-users` signed-in people with 3-10 s of think time, mixed as the portal
   is used (participants on /my/, their placement, checklist and report; coordinators on batch pages and
   rosters; a few CSB staff in the admin and the dashboard), while a nominations import (upload, preview,
   confirm, applied by the task worker) and a 1,000-row roster export run again and again; gunicorn with
   the workers of gunicorn.conf.py (the deployment guide's count for 2 cores) and one task worker. The
   accounts are made in the load database by bench/load_accounts.py (never by the demo loader).

    .venv/bin/python bench/load.py [--duration 60] [--users 32] [--ports 8106 8116] [--page ...]
        [--parts ceiling launch] [--launch-users 300] [--launch-duration 120]

Each page is `label=role:path`, role one of anonymous, participant, coordinator, csb; `{batch}` in a path
is the synthetic batch. A page answering 404 (not built yet) is skipped with a note. With two ports, two
gunicorn instances serve one database and every user alternates between them on every request.
DATABASE_URL names the PostgreSQL database (created and filled if needed).
"""

# locust patches the standard library for gevent: it must come before anything that opens sockets.
from locust import FastHttpUser, HttpUser, between, constant, task  # isort: skip
from locust.env import Environment  # isort: skip

import argparse
import itertools
import json
import os
import re
import subprocess
import sys
import time

import gevent
import requests
from _server import DEFAULT_DATABASE_URL, DEMO_PASSWORD, PYTHON, ROOT, Gunicorn, prepare, synthetic_batch_id

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


# --- The launch-day model ---------------------------------------------------------------------------

LAUNCH_P95_MS, LAUNCH_P99_MS = 300, 800
CEILING_SHARE = 0.10  # each page's rate per user, as a share of the trivial view's
# Not pages people wait on: the import's steps and the 1,000-row roster are reported, without the targets.
BACKGROUND = "background: "


def launch_accounts(env, participants, coordinators, csb):
    """Make (or find) the launch-day accounts in the load database; what each one reads."""
    out = subprocess.run(
        [PYTHON, "bench/load_accounts.py", "--participants", str(participants)]
        + ["--coordinators", str(coordinators), "--csb", str(csb)],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def csrf_token(text):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)


def launch_classes(accounts, counts, signed_in):
    participants = itertools.cycle(accounts["participants"])
    coordinators = itertools.cycle([c for c in accounts["coordinators"] if c[1]])
    staff = itertools.cycle(accounts["csb"][1:])
    synthetic = accounts["synthetic"]

    class Participant(FastHttpUser):
        wait_time = between(3, 10)
        fixed_count = counts["participant"]

        def on_start(self):
            username, self.placement = next(participants)
            with self.client.rename_request("sign-in (not counted)"):
                sign_in(self.client, "", username)
            signed_in.append(1)

        @task(4)
        def my_page(self):
            self.client.get("/my/", name="participant /my/")

        @task(2)
        def placement(self):
            self.client.get(f"/placements/{self.placement}/", name="participant placement")

        @task(2)
        def checklist(self):
            self.client.get(f"/placements/{self.placement}/checklist/", name="participant checklist")

        @task(1)
        def report(self):
            self.client.get(f"/placements/{self.placement}/report/", name="participant report")

    class Coordinator(FastHttpUser):
        wait_time = between(3, 10)
        fixed_count = counts["coordinator"]

        def on_start(self):
            username, self.batches = next(coordinators)
            with self.client.rename_request("sign-in (not counted)"):
                sign_in(self.client, "", username)
            self.batch_cycle = itertools.cycle(self.batches)
            # Only the synthetic batch's own coordinators may see it (anyone else: 404).
            self.big = username in accounts["synthetic_coordinators"]
            signed_in.append(1)

        @task(1)
        def batch_list(self):
            self.client.get("/batches/", name="coordinator batch list")

        @task(4)
        def batch_page(self):
            self.client.get(f"/batches/{next(self.batch_cycle)}/", name="coordinator batch page")

        @task(1)
        def big_batch_page(self):
            if self.big:
                self.client.get(f"/batches/{synthetic}/?page=2", name="coordinator batch page, 1,000")
            else:
                self.batch_page()

        @task(2)
        def roster(self):
            self.client.get(f"/batches/{next(self.batch_cycle)}/roster/print/", name="coordinator roster")

        @task(1)
        def roster_csv(self):
            self.client.get(f"/batches/{next(self.batch_cycle)}/roster.csv", name="coordinator roster CSV")

    class Staff(FastHttpUser):
        wait_time = between(3, 10)
        fixed_count = counts["csb"]

        def on_start(self):
            with self.client.rename_request("sign-in (not counted)"):
                sign_in(self.client, "", next(staff))
            signed_in.append(1)

        @task(2)
        def placements(self):
            self.client.get("/admin/placements/placement/", name="CSB admin placement list")

        @task(1)
        def officers(self):
            self.client.get("/admin/participants/officer/", name="CSB admin officer list")

        @task(1)
        def batches(self):
            self.client.get("/admin/placements/batch/", name="CSB admin batch list")

        @task(1)
        def batch_form(self):
            self.client.get(
                f"/admin/placements/batch/{accounts['first_batch']}/change/", name="CSB admin batch form"
            )

        @task(1)
        def dashboard(self):
            self.client.get("/dashboard/", name="CSB dashboard")

    class Importer(HttpUser):
        """A CSB officer importing 20 nominations at a time, again and again: upload, preview, confirm;
        the task worker applies it while the page follows its progress."""

        wait_time = between(5, 10)
        fixed_count = 1

        def on_start(self):
            with self.client.rename_request("sign-in (not counted)"):
                sign_in(self.client, "", accounts["csb"][0])
            signed_in.append(1)

        @task
        def import_nominations(self):
            sys.path.insert(0, str(ROOT))
            from tests.data.imports.make_files import csv_text, nomination

            first = int(time.time() * 1000) % 10**9
            content = csv_text([nomination(first + i) for i in range(20)]).encode()
            page = self.client.get(
                "/admin/placements/nominationimport/add/", name=BACKGROUND + "import upload page"
            )
            response = self.client.post(
                "/admin/placements/nominationimport/add/",
                data={"csrfmiddlewaretoken": csrf_token(page.text), "batch": accounts["import_batch"]},
                files={"file": ("nominations.csv", content, "text/csv")},
                name=BACKGROUND + "import upload + preview",
            )
            match = re.search(r'name="fingerprint" value="([^"]+)"', response.text)
            if not match:
                return
            self.client.post(
                response.url,
                data={"csrfmiddlewaretoken": csrf_token(response.text), "fingerprint": match.group(1)},
                name=BACKGROUND + "import confirm",
            )

    class Exporter(FastHttpUser):
        """A coordinator of the 1,000-participant batch downloading its roster every 5-10 s."""

        wait_time = between(5, 10)
        fixed_count = 1

        def on_start(self):
            with self.client.rename_request("sign-in (not counted)"):
                sign_in(self.client, "", accounts["synthetic_coordinator"])
            signed_in.append(1)

        @task
        def export(self):
            self.client.get(f"/batches/{synthetic}/roster.csv", name=BACKGROUND + "roster CSV, 1,000 rows")

    return [Participant, Coordinator, Staff, Importer, Exporter]


def run_launch(base, accounts, users, duration, arrival_rate, settle):
    background = 2
    counts = {"csb": max(1, users // 40)}
    counts["coordinator"] = max(1, (users - background - counts["csb"]) * 2 // 15)
    counts["participant"] = users - background - counts["csb"] - counts["coordinator"]
    print(
        f"\nlaunch day: {users} signed-in users ({counts['participant']} participants, "
        f"{counts['coordinator']} coordinators, {counts['csb']} CSB staff, "
        "1 importing nominations, 1 exporting a roster), "
        f"3-10 s think time, for {duration:.0f} s after every user signed in"
    )
    signed_in = []
    classes = launch_classes(accounts, counts, signed_in)
    for cls in classes:
        cls.host = base
    env = Environment(user_classes=classes)
    runner = env.create_local_runner()
    started = time.monotonic()
    # Signing in checks a password hash (PBKDF2, about 0.35 s of CPU here): people arrive at
    # `arrival_rate` a second, which two cores absorb beside the pages. The figures count from `settle`
    # seconds after the last one is in, once the sign-ins' queue has drained: the targets are for the
    # pages people browse, not for the sign-in rush (a separate, one-off cost).
    runner.start(users, spawn_rate=arrival_rate)
    while len(signed_in) < users:
        gevent.sleep(0.5)
    elapsed = time.monotonic() - started
    print(f"  all {users} signed in after {elapsed:.0f} s; measured from {settle:.0f} s later")
    gevent.sleep(settle)
    env.stats.reset_all()
    started = time.monotonic()
    gevent.sleep(duration)
    runner.quit()
    return env.stats, time.monotonic() - started


def launch_report(stats, elapsed):
    print(
        f"\n{'page':<40} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>7} "
        f"{'requests':>8}  target"
    )
    met = True
    entries = [e for e in stats.entries.values() if e.num_requests and not e.name.startswith("sign-in")]
    for entry in sorted(entries, key=lambda e: (e.name.startswith(BACKGROUND), e.name)):
        p95, p99 = entry.get_response_time_percentile(0.95), entry.get_response_time_percentile(0.99)
        if entry.name.startswith(BACKGROUND):
            verdict = "background job: no page target"
        else:
            ok = entry.num_failures == 0 and p95 < LAUNCH_P95_MS and p99 < LAUNCH_P99_MS
            met &= ok
            verdict = "met" if ok else "** NOT MET **"
        print(
            f"{entry.name:<40} {entry.num_requests / elapsed:>6.1f} {percentiles(entry)} "
            f"{entry.num_failures:>7} {entry.num_requests:>8}  {verdict}"
        )
    total = stats.total
    print(
        f"{'all':<40} {total.num_requests / elapsed:>6.1f} {percentiles(total)} "
        f"{total.num_failures:>7} {total.num_requests:>8}"
    )
    for error in stats.errors.values():
        print(f"  error: {error.name}: {error.error} ×{error.occurrences}")
    print(
        f"Targets: 0 errors, p95 < {LAUNCH_P95_MS} ms and p99 < {LAUNCH_P99_MS} ms on every page: "
        + ("met." if met and not total.num_failures else "NOT met.")
    )
    return met and not total.num_failures


class TaskWorker:
    """The task queue's worker (`manage.py run_worker`), as deployed beside gunicorn: it applies imports."""

    def __init__(self, env):
        self.env = env

    def __enter__(self):
        self.log = open("/tmp/exchange-portal-load-worker.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [PYTHON, "manage.py", "run_worker"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parts", nargs="+", choices=["ceiling", "launch"], default=["ceiling", "launch"])
    parser.add_argument("--duration", type=float, default=60, help="seconds measured (after sign-in)")
    parser.add_argument("--users", type=int, default=32, help="concurrent connections (ceiling test)")
    parser.add_argument("--ports", type=int, nargs="+", default=[8106])
    # gunicorn's advice for sync workers: 2 × cores + 1 (the ceiling test; the launch day uses
    # gunicorn.conf.py's count, the deployment guide's).
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 5)))
    parser.add_argument("--page", action="append", metavar="LABEL=ROLE:PATH", help="replaces the defaults")
    parser.add_argument("--synthetic", type=int, default=1000)
    parser.add_argument("--launch-users", type=int, default=300)
    parser.add_argument("--launch-duration", type=float, default=120, help="seconds measured (after sign-in)")
    parser.add_argument("--arrival-rate", type=float, default=2, help="launch-day sign-ins a second")
    parser.add_argument("--settle", type=float, default=30, help="unmeasured s after sign-in")
    args = parser.parse_args()

    env = prepare(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL), synthetic=args.synthetic)
    print(f"Load average before: {load_average()} on {os.cpu_count()} cores")
    status = 0
    if "ceiling" in args.parts:
        status |= ceiling_test(env, args)
    if "launch" in args.parts:
        accounts = launch_accounts(env, participants=250, coordinators=40, csb=10)
        with Gunicorn(env, args.ports[0], workers=None) as server, TaskWorker(env):
            print(f"gunicorn at {server.url} with gunicorn.conf.py's workers, and a task worker")
            stats, elapsed = run_launch(
                server.url, accounts, args.launch_users, args.launch_duration, args.arrival_rate, args.settle
            )
            print(f"Load average at the end: {load_average()} on {os.cpu_count()} cores")
        status |= 0 if launch_report(stats, elapsed) else 1
    return status


def ceiling_test(env, args):
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
                share = rate / rows[TRIVIAL]
                verdict = "met" if share >= CEILING_SHARE else "** NOT MET **"
                print(
                    f"  {label}: {share:.0%} of the trivial view's rate, per user (target >= 10%: {verdict})"
                )
    print(f"Load average after the ceiling test: {load_average()}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

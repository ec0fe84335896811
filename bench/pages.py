"""Page budgets (`make bench-pages`): every page of the portal, for every role, in-process with debug off
on PostgreSQL, timed in CPU per request beside the sign-in page measured in the same run.

    python bench/pages.py [--repeat 30] [--only TEXT] [--profile TEXT [--profile-out FILE]]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/exchange_portal_pages; the database is created,
migrated and given the demo plus a synthetic batch of 1,000 placements (`load_demo --synthetic 1000`) if it
does not hold them. Each page is requested through Django's whole handler (the test client: middleware,
sessions, templates) by its role's demo account: a few warm-up requests, then the median of `--repeat`
requests' CPU time (`time.process_time`), interleaved with as many requests of the sign-in page, whose
median is the page's reference (on this virtual machine the same work's CPU time moves by half and more
with what else runs, so the reference is measured at the same moments as the page), and the queries of
one request. A page over its budget is flagged, and the exit status is 1 if any is.

`--profile TEXT` runs cProfile over the pages whose label contains TEXT and prints where the time goes;
`--profile-out FILE` also writes its statistics to FILE, for pstats' callers and callees.

Adding a page is one line in PAGES: its budget class, the role that reads it, a label and its path
(`{name}` in a path is filled from `ids()`). The admin's changelists and change forms are listed from the
admin site's registry, so a newly registered model is measured without a line here.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from _server import DEMO_PASSWORD, ensure_database, production_env  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/exchange_portal_pages"
SYNTHETIC = 1000
# The selection's rows the bench adds itself (not the demo's): a batch with an open call, its nominating
# officer's account, and nominations (one of them officer01's, for the consent page).
BENCH_BATCH_NAME = "Bench selection batch"
BENCH_NOMINATOR = "bench-nominator"
BENCH_NOMINATIONS = 6

# Budgets: the most a page may cost, as a multiple of the sign-in page's CPU time in the same run.
BUDGETS = {
    "reference": None,
    "participant": 3,
    "coordinator": 4,  # a coordinator's pages for a batch of up to 30 participants
    "batch-1000": 8,  # the batch page of a batch of 1,000 participants
    "dashboard": 5,
    "admin-list": 8,
    "admin-form": 10,
}

# (budget class, role, label, path). Roles: anonymous, participant (officer01), coordinator, csb, nominator,
# host (ACCOUNTS).
PAGES = [
    ("reference", "anonymous", "sign-in page", "/accounts/login/"),
    # The participant's own pages (officer01, first GBA batch).
    ("participant", "participant", "my placement", "/my/"),
    ("participant", "participant", "my details", "/my/details/"),
    ("participant", "participant", "my data (JSON)", "/my/data.json"),
    ("participant", "participant", "my notices", "/my/notices/"),
    ("participant", "participant", "placement page", "/placements/{placement}/"),
    ("participant", "participant", "placement checklist", "/placements/{placement}/checklist/"),
    ("participant", "participant", "placement report", "/placements/{placement}/report/"),
    ("participant", "participant", "placement documents", "/placements/{placement}/documents/"),
    ("participant", "participant", "calendar settings", "/calendar/"),
    ("participant", "participant", "calendar feed", "/calendar/{participant_feed}.ics"),
    # A coordinator's pages for the first GBA batch (10 participants).
    ("coordinator", "coordinator", "batch list", "/batches/"),
    ("coordinator", "coordinator", "batch page", "/batches/{batch}/"),
    ("coordinator", "coordinator", "roster print", "/batches/{batch}/roster/print/"),
    ("coordinator", "coordinator", "roster CSV", "/batches/{batch}/roster.csv"),
    ("coordinator", "coordinator", "batch checklist", "/batches/{batch}/checklist/"),
    ("coordinator", "coordinator", "checklist item", "/batches/{batch}/checklist/{item}/"),
    ("coordinator", "coordinator", "batch reports", "/batches/{batch}/reports/"),
    ("coordinator", "coordinator", "contact sheet", "/batches/{batch}/contacts/"),
    ("coordinator", "coordinator", "batch documents", "/batches/{batch}/documents/"),
    ("coordinator", "coordinator", "document requirements", "/batches/{batch}/documents/requirements/"),
    ("coordinator", "coordinator", "coordinator's placement page", "/placements/{placement}/"),
    ("coordinator", "coordinator", "calendar feed (coordinator)", "/calendar/{coordinator_feed}.ics"),
    ("dashboard", "coordinator", "dashboard (coordinator)", "/dashboard/"),
    ("dashboard", "csb", "dashboard (CSB staff)", "/dashboard/"),
    # The synthetic batch of 1,000 participants.
    ("batch-1000", "coordinator", "batch page, 1,000 participants", "/batches/{big_batch}/"),
    # The selection (issue 16): a nominating officer's pages for the bench's open call (coordinator's
    # budget), the participant's consent page, and the status glossary.
    ("coordinator", "nominator", "nominator's call list", "/nominations/"),
    ("coordinator", "nominator", "nominator's call page", "/nominations/calls/{call}/"),
    ("coordinator", "nominator", "nominate form", "/nominations/calls/{call}/nominate/"),
    ("coordinator", "nominator", "nomination page", "/nominations/{nomination}/"),
    ("participant", "participant", "consent page", "/my/nominations/{nomination}/consent/"),
    # A Mainland host coordinator's pages (the demo's host.guangzhou: Nansha and the Science and
    # Technology Bureau of Guangzhou), at the coordinator's budget.
    ("coordinator", "host", "host's officers awaiting an answer", "/host/"),
    ("coordinator", "host", "host's officers, all", "/host/?show=all"),
    ("coordinator", "host", "host's officer page", "/host/placements/{host_placement}/"),
    ("participant", "participant", "statuses", "/statuses/"),
    # The admin's own pages beside the registry's changelists and change forms (the call and nomination
    # lists and forms come from the registry).
    ("admin-list", "csb", "admin index", "/admin/"),
    ("admin-form", "csb", "admin nominations import, upload", "/admin/placements/nominationimport/add/"),
    ("admin-form", "csb", "admin selection page", "/admin/selection/call/{call}/selection/"),
]

ACCOUNTS = {
    "participant": "officer01",
    "coordinator": "coordinator",
    "csb": "csb",
    "nominator": BENCH_NOMINATOR,
    "host": "host.guangzhou",
}


def setup(database_url):
    env = production_env(database_url)
    # The test client's host; the rest are the production settings on plain HTTP.
    env["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.clear()
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exchange_portal.settings")
    import django

    django.setup()


def prepare():
    """Migrate and load the demo and the synthetic batch, unless they are there already."""
    from django.core.management import call_command
    from django.db import connection

    from demo.synthetic import SYNTHETIC_BATCH_NAME
    from placements.models import Batch

    call_command("migrate", verbosity=0)
    # Debug off serves hashed static file names from the manifest, as in production.
    call_command("collectstatic", interactive=False, verbosity=0)
    batch = Batch.objects.filter(name=SYNTHETIC_BATCH_NAME).first()
    if batch is None or batch.placements.count() != SYNTHETIC:
        print(f"Loading the demo and {SYNTHETIC:,} synthetic placements ...")
        with open(os.devnull, "w") as quiet:
            call_command("load_demo", force=True, password=DEMO_PASSWORD, synthetic=SYNTHETIC, stdout=quiet)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    selection_rows()


def selection_rows():
    """The bench's own call for nominations, as the factories make one (rows, no e-mails), unless it is
    there: a planned batch like officer01's with an open call inviting officer01's department and two
    more, a nominating officer for those departments (`bench-nominator`, the demo's password), and
    BENCH_NOMINATIONS nominations of their officers, officer01's first (its consent is pending), leaving
    quota to nominate more (so the nominate form shows)."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from core.roles import NOMINATING_OFFICER
    from participants.models import Officer
    from placements.models import Batch
    from placements.selectors import placement_current, placement_list_for_user
    from selection.models import Call, CallInvitation, NominatingOfficer, Nomination

    if Call.objects.filter(batch__name=BENCH_BATCH_NAME, nominations__isnull=False).exists():
        return
    user_model = get_user_model()
    participant = user_model.objects.get(username=ACCOUNTS["participant"])
    officer01 = Officer.objects.get(user=participant)
    model = placement_current(placements=placement_list_for_user(user=participant)).batch
    today = timezone.localdate()
    with transaction.atomic():
        batch, _created = Batch.objects.get_or_create(
            name=BENCH_BATCH_NAME,
            defaults={
                "programme": model.programme,
                "number": 90,
                "name_zh": "基準測試批次",
                "direction": model.direction,
                "host_municipality": model.host_municipality,
                "start_date": today + datetime.timedelta(days=120),
                "end_date": today + datetime.timedelta(days=150),
                "status": Batch.Status.PLANNED,
            },
        )
        call, _created = Call.objects.get_or_create(
            batch=batch,
            defaults={
                "places": 12,
                "opens_on": today - datetime.timedelta(days=7),
                "closes_on": today + datetime.timedelta(days=60),
                "status": Call.Status.OPEN,
                "opened_at": timezone.now(),
                "eligibility_en": "Middle and senior officers.",
                "notes_en": "Nominate up to four officers per department.",
            },
        )
        departments = [officer01.home_department] + list(
            Officer.objects.exclude(home_department=officer01.home_department)
            .values_list("home_department", flat=True)
            .order_by("home_department")
            .distinct()[:2]
        )
        for department in departments:
            CallInvitation.objects.get_or_create(
                call=call, department_id=getattr(department, "pk", department), defaults={"quota": 4}
            )
        user, created = user_model.objects.get_or_create(
            username=BENCH_NOMINATOR, defaults={"email": "bench-nominator@example.gov.mo"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=NOMINATING_OFFICER))
        nominator, _created = NominatingOfficer.objects.get_or_create(
            user=user,
            defaults={"name": "BENCH Nominator", "post": "Departmental Secretary", "email": user.email},
        )
        nominator.departments.set([getattr(d, "pk", d) for d in departments])
        officers = [officer01] + list(
            Officer.objects.filter(home_department__in=nominator.departments.all())
            .exclude(pk=officer01.pk)
            .order_by("pk")[: BENCH_NOMINATIONS - 1]
        )
        rankings = {}
        for officer in officers:
            rank = rankings[officer.home_department_id] = rankings.get(officer.home_department_id, 0) + 1
            Nomination.objects.get_or_create(
                call=call,
                officer=officer,
                defaults={
                    "department_id": officer.home_department_id,
                    "nominated_by": user,
                    "statement": "Leads the department's cross-boundary projects.",
                    "department_ranking": rank,
                    "endorsed_by_name": "WONG Ka-ming",
                    "endorsed_by_post": "Departmental Secretary",
                    "endorsed_on": today,
                },
            )


def ids():
    """The objects the paths name: officer01's current placement and its batch, the synthetic batch, a
    checklist item, and a calendar feed for the participant and the coordinator (made if missing)."""
    from django.contrib.auth import get_user_model

    from demo.synthetic import SYNTHETIC_BATCH_NAME
    from placements.models import Batch, CalendarFeed
    from placements.selectors import placement_current, placement_list_for_user
    from placements.services import calendar_feed_renew
    from selection.models import Call, HostCoordinator
    from selection.selectors.hosting import host_placements

    users = {role: get_user_model().objects.get(username=name) for role, name in ACCOUNTS.items()}
    call = Call.objects.get(batch__name=BENCH_BATCH_NAME)
    placement = placement_current(placements=placement_list_for_user(user=users["participant"]))
    feeds = {
        role: (
            CalendarFeed.objects.filter(user=users[role]).first() or calendar_feed_renew(user=users[role])
        ).token
        for role in ("participant", "coordinator")
    }
    return {
        "placement": placement.pk,
        "batch": placement.batch_id,
        "big_batch": Batch.objects.get(name=SYNTHETIC_BATCH_NAME).pk,
        "item": placement.batch.checklist_items.order_by("pk").first().pk,
        "participant_feed": feeds["participant"],
        "coordinator_feed": feeds["coordinator"],
        "call": call.pk,
        "nomination": call.nominations.get(officer__user=users["participant"]).pk,
        "host_placement": host_placements(coordinator=HostCoordinator.objects.get(user=users["host"]))
        .order_by("pk")
        .first()
        .pk,
    }


def admin_pages():
    """Every registered model's changelist and the change form of its first row, as CSB staff see them."""
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    csb = get_user_model().objects.get(username=ACCOUNTS["csb"])
    rows = []
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
        opts = model._meta
        if not csb.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        name = f"{opts.app_label}_{opts.model_name}"
        rows.append(
            ("admin-list", "csb", f"admin {opts.model_name} list", reverse(f"admin:{name}_changelist"))
        )
        first = model_admin.get_queryset(_request(csb)).order_by("pk").first()
        if first is not None:
            path = reverse(f"admin:{name}_change", args=[first.pk])
            rows.append(("admin-form", "csb", f"admin {opts.model_name} form", path))
    return rows


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def clients():
    from django.contrib.auth import get_user_model
    from django.test import Client

    result = {"anonymous": Client()}
    for role, name in ACCOUNTS.items():
        client = Client()
        client.force_login(get_user_model().objects.get(username=name))
        result[role] = client
    return result


def measure(client, path, repeat, reference, warmup=3):
    """The median CPU time of `repeat` requests (ms), the median of as many requests of the sign-in
    page interleaved with them (`reference`: its client and path), and the queries of one request.

    Interleaved, because on this virtual machine the CPU time of the same work moves by half and more
    with what else runs (its cores are shared): each page is divided by the sign-in page measured at
    the same moments, not once at the start of the run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reference_client, reference_path = reference
    for _ in range(warmup):
        response = client.get(path)
        if response.status_code != 200:
            return None, None, response.status_code, None
        _consume(response)
        _consume(reference_client.get(reference_path))
    times, reference_times = [], []
    for _ in range(repeat):
        started = time.process_time()
        _consume(reference_client.get(reference_path))
        reference_times.append((time.process_time() - started) * 1000)
        started = time.process_time()
        _consume(client.get(path))
        times.append((time.process_time() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        _consume(client.get(path))
    return statistics.median(times), statistics.median(reference_times), 200, len(queries)


def _consume(response):
    if response.streaming:
        for _ in response.streaming_content:
            pass


def profile(client, path, repeat, dump_to=""):
    # CPU time, as the figures are: the database's own time (another process) is left out.
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(repeat):
        _consume(client.get(path))
    profiler.disable()
    stats = pstats.Stats(profiler)
    if dump_to:
        stats.dump_stats(dump_to)  # for pstats' callers and callees, or a viewer such as snakeviz
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)
    # What the view itself spends its time on, call by call.
    stats.sort_stats("cumulative").print_callees(r"views\.py:\d+\(\w+_view\)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", default="", help="measure the pages whose label contains this")
    parser.add_argument("--profile", default="", help="profile the pages whose label contains this")
    parser.add_argument("--profile-out", default="", help="also write the profile's statistics to this file")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    ensure_database(database_url)
    setup(database_url)
    prepare()
    names = ids()
    pages = [(kind, role, label, path.format(**names)) for kind, role, label, path in PAGES] + admin_pages()
    by_role = clients()

    if args.profile:
        for _kind, role, label, path in pages:
            if args.profile in label:
                print(f"\n=== {label} ({path}) as {role} ===")
                profile(by_role[role], path, args.repeat, args.profile_out)
        return 0

    reference_page = next((role, path) for kind, role, _label, path in pages if kind == "reference")
    reference = (by_role[reference_page[0]], reference_page[1])
    reference_times = []
    over = []
    print(f"{'page':<40} {'role':<12} {'CPU ms':>7} {'sign-in':>7} {'x sign-in':>9} {'queries':>7}  budget")
    for kind, role, label, path in pages:
        if kind == "reference" or args.only not in label:
            continue
        cpu, beside, status, queries = measure(by_role[role], path, args.repeat, reference)
        if cpu is None:
            print(f"{label:<40} {role:<12} answers {status}: not measured ({path})")
            over.append(label)
            continue
        reference_times.append(beside)
        ratio = cpu / beside
        budget = BUDGETS[kind]
        flag = f"<= {budget}x " + ("ok" if ratio <= budget else "** OVER **")
        if ratio > budget:
            over.append(label)
        print(f"{label:<40} {role:<12} {cpu:>7.1f} {beside:>7.2f} {ratio:>8.1f}x {queries:>7}  {flag}")
    print(
        f"\nSign-in page ({reference_page[1]}), measured beside each page: median "
        f"{statistics.median(reference_times):.2f} ms of CPU, from {min(reference_times):.2f} to "
        f"{max(reference_times):.2f} ms; each page's multiple is of the sign-in page measured beside it "
        f"({args.repeat} requests of each, interleaved)."
    )
    print(
        "Load average while measuring: "
        + " ".join(f"{x:.1f}" for x in os.getloadavg())
        + f" on {os.cpu_count()} cores."
    )
    if over:
        print(f"{len(over)} page(s) over budget or not answering: {', '.join(over)}")
        return 1
    print("Every page within its budget.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

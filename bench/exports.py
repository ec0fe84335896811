"""Roster export benchmark (`make bench`): PostgreSQL's COPY, our CSV (through the real view and through
the command), our Excel, and django-import-export, on a synthetic batch of 100,000 placements.

    python bench/exports.py [--rows 100000] [--repeat 5] [--slow-repeat 3]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/exchange_portal_bench; the database is created
and migrated if needed, then filled with `load_demo --synthetic N` (timed) unless it already holds that
batch. Times are medians of the repetitions, all in this one run. Peak memory growth is measured in a fresh
child process per format: its peak resident set size (VmHWM) during one export minus its resident set
size just before, so it counts C allocations (libpq, XlsxWriter's buffers) as well as Python's."""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/exchange_portal_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exchange_portal.settings")
# Quiet logs; the test client needs "testserver" among the allowed hosts, which debug mode gives.
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

FORMATS = ["copy", "csv_view", "csv_command", "xlsx_view", "import_export"]
LABELS = {
    "copy": "PostgreSQL COPY ... TO STDOUT WITH CSV",
    "csv_view": "our CSV, through the view (streamed)",
    "csv_command": "our CSV, through export_roster",
    "xlsx_view": "our Excel, through the view",
    "import_export": "django-import-export ModelResource -> CSV",
}

# The same roster as one SQL query: the department's name in force at the placement's start (its
# earliest former name renamed after that day, else its current name, else the Mainland body), focus
# areas joined with "; " in name order, withdrawn last, dates as YYYY-MM-DD.
COPY_SQL = """
COPY (
  SELECT o.name_en, o.name_zh, o.post_title, r.name_en, g.name_en,
    COALESCE(
      (SELECT f.name_en FROM participants_departmentformername f
        WHERE f.department_id = p.home_department_id AND p.start_date < f.renamed_on
        ORDER BY f.renamed_on LIMIT 1),
      d.name_en, o.mainland_body_en),
    o.email, m.name_en, a.name_en, h.name_en, p.role,
    (SELECT string_agg(fa.name_en, '; ' ORDER BY fa.name_en)
       FROM placements_placement_focus_areas pf
       JOIN placements_focusarea fa ON fa.id = pf.focusarea_id
      WHERE pf.placement_id = p.id),
    to_char(p.start_date, 'YYYY-MM-DD'), to_char(p.end_date, 'YYYY-MM-DD'),
    initcap(replace(p.status, '_', ' '))
  FROM placements_placement p
  JOIN participants_officer o ON o.id = p.officer_id
  JOIN placements_batch b ON b.id = p.batch_id
  JOIN placements_municipality m ON m.id = b.host_municipality_id
  LEFT JOIN participants_rank r ON r.id = o.rank_id
  LEFT JOIN participants_grade g ON g.id = r.grade_id
  LEFT JOIN participants_department d ON d.id = p.home_department_id
  LEFT JOIN placements_hostarea a ON a.id = p.host_area_id
  LEFT JOIN placements_hostorganisation h ON h.id = p.host_organisation_id
  WHERE p.batch_id = %s
  ORDER BY (p.status = 'withdrawn'), a.name_en, o.name_en, p.id
) TO STDOUT WITH CSV HEADER
"""


class Sink:
    """A file that counts what is written and keeps nothing."""

    def __init__(self):
        self.size = 0

    def write(self, data):
        self.size += len(data)
        return len(data)


def ensure_database():
    """Create the benchmark database if it does not exist (connecting to the server's `postgres`)."""
    import environ
    import psycopg2
    from psycopg2 import sql

    config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    if "postgresql" not in config["ENGINE"]:
        sys.exit("The export benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"Created database {config['NAME']}.")
    connection.close()


def setup_django():
    import django

    django.setup()


def prepare(rows):
    """Migrate, load the demo and the synthetic batch (timed), refresh planner statistics."""
    from django.core.management import call_command
    from django.db import connection

    from demo.synthetic import SYNTHETIC_BATCH_NAME
    from placements.models import Batch

    call_command("migrate", verbosity=0)
    batch = Batch.objects.filter(name=SYNTHETIC_BATCH_NAME).first()
    if batch is None or batch.placements.count() != rows:
        started = time.perf_counter()
        call_command("load_demo", synthetic=rows, stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"load_demo --synthetic {rows}: {time.perf_counter() - started:.1f} s")
    else:
        print(f"The synthetic batch of {rows:,} placements is already loaded.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Batch.objects.select_related("host_municipality").get(name=SYNTHETIC_BATCH_NAME)


def roster_resource_class():
    """The same columns with django-import-export, as its documentation shows: a ModelResource with
    declared Fields for related attributes and dehydrate_<field> methods for computed ones."""
    from import_export import fields, resources

    from placements.exports.roster import ROSTER_COLUMNS
    from placements.models import Placement

    titles = [str(title) for title in ROSTER_COLUMNS]

    class RosterResource(resources.ModelResource):
        officer_name_en = fields.Field(attribute="officer__name_en", column_name=titles[0])
        officer_name_zh = fields.Field(attribute="officer__name_zh", column_name=titles[1])
        post_title = fields.Field(attribute="officer__post_title", column_name=titles[2])
        rank = fields.Field(attribute="officer__rank__name_en", column_name=titles[3])
        grade = fields.Field(attribute="officer__rank__grade__name_en", column_name=titles[4])
        home_department = fields.Field(column_name=titles[5])
        email = fields.Field(attribute="officer__email", column_name=titles[6])
        municipality = fields.Field(attribute="batch__host_municipality__name_en", column_name=titles[7])
        area = fields.Field(attribute="host_area__name_en", column_name=titles[8])
        organisation = fields.Field(attribute="host_organisation__name_en", column_name=titles[9])
        role = fields.Field(attribute="role", column_name=titles[10])
        focus_areas = fields.Field(column_name=titles[11])
        start_date = fields.Field(attribute="start_date", column_name=titles[12])
        end_date = fields.Field(attribute="end_date", column_name=titles[13])
        status = fields.Field(column_name=titles[14])

        class Meta:
            model = Placement
            fields = (
                "officer_name_en",
                "officer_name_zh",
                "post_title",
                "rank",
                "grade",
                "home_department",
                "email",
                "municipality",
                "area",
                "organisation",
                "role",
                "focus_areas",
                "start_date",
                "end_date",
                "status",
            )
            export_order = fields
            # The documented knob: with prefetch_related (which the docs recommend against N+1 queries)
            # the resource pages through the queryset; the default 100 rows a page makes 1,000 OFFSET
            # queries at 100,000 rows (over ten minutes here), so use our exporter's 2,000.
            chunk_size = 2000

        def dehydrate_home_department(self, placement):
            name = placement.home_department_name()
            return name.name_en if name else placement.officer.mainland_body_en

        def dehydrate_focus_areas(self, placement):
            return "; ".join(sorted(focus.name_en for focus in placement.focus_areas.all()))

        def dehydrate_status(self, placement):
            return placement.get_status_display()

    return RosterResource


def make_runners(batch):
    """One function per format; each exports the whole roster once and returns the bytes produced."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from placements.models import Placement

    user = get_user_model().objects.get(username="coordinator")
    client = Client()
    client.force_login(user)

    def consume(response):
        assert response.status_code == 200, response.status_code
        return sum(len(chunk) for chunk in response.streaming_content)

    def copy():
        sink = Sink()
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(cursor.cursor.mogrify(COPY_SQL, [batch.pk]).decode(), sink)
        return sink.size

    def csv_view():
        return consume(client.get(reverse("coordination:batch_roster_csv", args=[batch.pk])))

    def csv_command():
        with tempfile.NamedTemporaryFile(suffix=".csv") as out:
            call_command("export_roster", batch.pk, "--format=csv", f"--output={out.name}", stdout=Sink())
            return os.path.getsize(out.name)

    def xlsx_view():
        return consume(client.get(reverse("coordination:batch_roster_xlsx", args=[batch.pk])))

    resource_class = roster_resource_class()

    def import_export():
        dataset = resource_class().export(
            queryset=Placement.objects.for_batch(batch)
            .with_roster_related()
            .order_by(Placement.withdrawn_last(), "host_area__name_en", "officer__name_en", "pk")
        )
        return len(dataset.csv.encode())

    return {
        "copy": copy,
        "csv_view": csv_view,
        "csv_command": csv_command,
        "xlsx_view": xlsx_view,
        "import_export": import_export,
    }


def rss_kib(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(field)


def reset_peak():
    """Reset VmHWM to the current RSS (Linux 4.0+), so the peak counts only what follows."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def child_memory(fmt):
    """In a fresh process: warm up on a small batch, then one full export; print the peak growth in MB."""
    setup_django()
    from demo.synthetic import SYNTHETIC_BATCH_NAME
    from placements.models import Batch

    batch = Batch.objects.select_related("host_municipality").get(name=SYNTHETIC_BATCH_NAME)
    small = Batch.objects.select_related("host_municipality").exclude(pk=batch.pk).first()
    make_runners(small)[fmt]()  # imports, templates, connection: what any process has once warm
    run = make_runners(batch)[fmt]
    reset_peak()
    before = rss_kib("VmRSS")
    run()
    print((rss_kib("VmHWM") - before) / 1024)


def machine():
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        total = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {total / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; Python {platform.python_version()}, PostgreSQL {pg}, "
        f"{platform.system()} {platform.release()}"
    )


def main():
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of COPY and our exports")
    parser.add_argument("--slow-repeat", type=int, default=3, help="repetitions of django-import-export")
    parser.add_argument("--child-memory", choices=FORMATS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_memory:
        child_memory(args.child_memory)
        return

    ensure_database()
    setup_django()
    batch = prepare(args.rows)
    print(f"Machine: {machine()}")
    print(f"Batch {batch.pk}: {batch.placements.count():,} placements\n")

    runners = make_runners(batch)
    times, sizes = {}, {}
    for fmt in FORMATS:
        repeat = args.slow_repeat if fmt == "import_export" else args.repeat
        runners[fmt]()  # warm caches (PostgreSQL's buffers, Python's imports) before timing
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            sizes[fmt] = runners[fmt]()
            samples.append(time.perf_counter() - started)
        times[fmt] = statistics.median(samples)
        print(
            f"{LABELS[fmt]:<45} median {times[fmt]:7.2f} s of {repeat} "
            f"(min {min(samples):.2f}, max {max(samples):.2f}), {sizes[fmt] / 1e6:.1f} MB"
        )

    print("\nPeak memory growth during one export (fresh process each):")
    memory = {}
    for fmt in FORMATS:
        result = subprocess.run(
            [sys.executable, __file__, "--child-memory", fmt, "--rows", str(args.rows)],
            capture_output=True,
            text=True,
            check=True,
        )
        memory[fmt] = float(result.stdout.strip().splitlines()[-1])
        print(f"{LABELS[fmt]:<45} {memory[fmt]:7.1f} MB")

    ours = ["csv_view", "csv_command", "xlsx_view"]
    checks = [
        (
            "our CSV (view) / COPY",
            times["csv_view"] / times["copy"],
            "<= 3",
            times["csv_view"] <= 3 * times["copy"],
        ),
        (
            "our CSV (command) / COPY",
            times["csv_command"] / times["copy"],
            "<= 3",
            times["csv_command"] <= 3 * times["copy"],
        ),
        (
            "django-import-export / our CSV (view)",
            times["import_export"] / times["csv_view"],
            ">= 20",
            times["import_export"] >= 20 * times["csv_view"],
        ),
        (
            "our Excel / our CSV (view)",
            times["xlsx_view"] / times["csv_view"],
            "<= 8",
            times["xlsx_view"] <= 8 * times["csv_view"],
        ),
    ]
    print("\nTargets:")
    for label, ratio, target, met in checks:
        print(f"{label:<45} {ratio:7.2f}x  target {target:<5} {'met' if met else 'NOT MET'}")
    for fmt in ours:
        met = memory[fmt] < 50
        print(
            f"{'memory growth, ' + LABELS[fmt]:<60} {memory[fmt]:5.1f} MB  target < 50 MB "
            f"{'met' if met else 'NOT MET'}"
        )


if __name__ == "__main__":
    main()

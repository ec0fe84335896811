"""Memory and time of hostile nominations files (`make bench-uploads`; docs/performance.md shows a run).

Each file shape is uploaded through the admin (POST /admin/placements/nominationimport/add/, then the
preview when the file is accepted) in a fresh Python process against an SQLite copy of the demo, and the
process measures the growth of its resident memory (peak RSS during the request minus RSS before it) and
the wall time. The bound to prove, for any upload of at most 5 MB: at most 256 MB more memory and 10 s
to be refused or previewed.

    .venv/bin/python bench/uploads.py            # every shape
    .venv/bin/python bench/uploads.py --only wide-row
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = Path(tempfile.gettempdir()) / "exchange-portal-bench-uploads.sqlite3"
MEMORY_BOUND_MB, TIME_BOUND_S, SIZE_BOUND = 256, 10.0, 5 * 1024 * 1024


def shapes():
    """{name: (what it is, a function building its bytes)}, built in the parent process."""
    from tests.selection.imports import hostile

    return {
        "shared-string": ("one 20 MB shared string used by 26 cells", hostile.shared_string_bomb),
        "wide-row": ("6 million cells in one row (95 MB of sheet XML)", lambda: hostile.wide_row(6_000_000)),
        "understated-zip": (
            "zip directory says 1 KB, the sheet unpacks to 400 MB",
            lambda: hostile.understated_sizes(actual=400 * 1024 * 1024, declared=1024),
        ),
        "inflate-cap": (
            "5 MB of compressed XML comments: only the bytes inflated stop it",
            lambda: hostile.understated_sizes(
                actual=400 * 1024 * 1024, declared=400 * 1024 * 1024, filler="<!--" + " " * 1000 + "-->"
            ),
        ),
        "cell-bomb": (
            "2.4 million numeric cells, 60 a row",
            lambda: hostile.cell_bomb(rows=40_000, width=60),
        ),
        "element-flood": (
            "400 MB of empty <row/> elements, sizes declared truly",
            lambda: hostile.understated_sizes(actual=400 * 1024 * 1024, declared=400 * 1024 * 1024),
        ),
        "fifty-thousand": (
            "50,000 nominations (.xlsx), no empty row",
            lambda: hostile.many_rows_xlsx(50_000),
        ),
        "long-cell-csv": ("CSV with one 1 MB cell", hostile.long_cell_csv),
        "long-cell-xlsx": ("xlsx with one 1 MB cell", hostile.long_cell_xlsx),
        "largest-valid": (
            "5,000 valid nominations, every text cell at its longest",
            hostile.biggest_valid_csv,
        ),
        "largest-csv": (
            "5,000 nominations in 5 MB of CSV, a problem on each row",
            hostile.biggest_accepted_csv,
        ),
    }


def prepare_database(env):
    if DATABASE.exists():
        DATABASE.unlink()
    for command in (["migrate", "--noinput"], ["load_demo", "--password", "bench-uploads"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )


def _rss_kb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def child(path):
    """In a fresh process: upload the file as CSB staff, open the preview if accepted, report."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from placements.models import Batch

    content = Path(path).read_bytes()
    client = Client()
    client.force_login(get_user_model().objects.get(username="csb"))
    batch = Batch.objects.get(name="GBA second batch · Guangzhou 2027")
    add = "/admin/placements/nominationimport/add/"
    client.get(add)  # warm: templates, translations and the form loaded before measuring
    name = "nominations.xlsx" if content.startswith(b"PK") else "nominations.csv"
    before = _rss_kb()
    started = time.monotonic()
    response = client.post(add, {"batch": batch.pk, "file": SimpleUploadedFile(name, content)})
    upload_seconds = time.monotonic() - started
    outcome = "refused"
    if response.status_code == 302:
        preview = client.get(response["Location"])
        outcome = (
            f"previewed ({preview.status_code}, {len(preview.content) // 1024} KB page; "
            f"upload {upload_seconds:.2f}s + preview {time.monotonic() - started - upload_seconds:.2f}s)"
        )
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    message = ""
    if outcome == "refused":
        import html
        import re

        found = re.search(r'<ul class="errorlist"[^>]*><li>(.*?)</li>', response.content.decode(), re.S)
        message = html.unescape(re.sub(r"<[^>]+>", " ", found.group(1)))[:160] if found else ""
    print(
        json.dumps(
            {"outcome": outcome, "message": message, "seconds": seconds, "growth_mb": (peak - before) / 1024}
        )
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", help="one shape by name")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--keep-database", action="store_true", help="reuse the demo database of a last run")
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{DATABASE}",
        "DJANGO_SETTINGS_MODULE": "exchange_portal.settings",
    }
    if args.child:
        return child(args.child)
    if not (args.keep_database and DATABASE.exists()):
        prepare_database(env)
    print(f"{'shape':<16} {'file':>9} {'time':>7} {'memory':>9}  outcome")
    failures = 0
    for name, (what, build) in shapes().items():
        if args.only and name != args.only:
            continue
        content = build()
        with tempfile.NamedTemporaryFile(suffix=".upload") as upload:
            upload.write(content)
            upload.flush()
            run = subprocess.run(
                [sys.executable, __file__, "--child", upload.name],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
        result = json.loads(run.stdout.strip().splitlines()[-1])
        ok = len(content) > SIZE_BOUND or (
            result["growth_mb"] <= MEMORY_BOUND_MB and result["seconds"] <= TIME_BOUND_S
        )
        failures += not ok
        size, seconds, growth = len(content) / 1024, result["seconds"], result["growth_mb"]
        print(
            f"{name:<16} {size:>7.0f} KB {seconds:>6.2f}s {growth:>6.1f} MB  "
            f"{result['outcome']}{'' if ok else '  ** OVER THE BOUND **'}"
        )
        print(f"{'':<16} {what}" + (f": “{result['message']}”" if result["message"] else ""))
    print(
        f"Bound, any upload of at most 5 MB: +{MEMORY_BOUND_MB} MB, {TIME_BOUND_S:.0f} s, upload + preview."
    )
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"Load average while measuring: {load} on {os.cpu_count()} cores.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

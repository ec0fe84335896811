"""Roster exports: CSV, Excel and print content, formula neutralising, the export log, the command, the
admin action, and queries that do not grow with the rows."""

import csv
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from placements.exports import EXPORTERS, RosterExporter
from placements.exports.base import neutralise
from placements.exports.logged import export_stream, writer_for
from placements.figures import figures_changed
from placements.models import RosterExport
from tests.factories import BatchFactory, PlacementFactory
from tests.placements.roster_data import roster_batch

pytestmark = pytest.mark.django_db

HEADER = [
    "Officer name (English)",
    "Officer name (Chinese)",
    "Post title",
    "Rank",
    "Grade",
    "Home department",
    "Official email",
    "Host municipality",
    "Host area",
    "Host organisation",
    "Role at host",
    "Focus areas",
    "Start date",
    "End date",
    "Status",
]


@pytest.fixture
def batch(coordinator_user):
    return roster_batch(coordinator_user)


def csv_rows(content):
    assert content.startswith(b"\xef\xbb\xbf")  # the UTF-8 byte-order mark Excel needs for Chinese
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def get_csv(client, batch, **params):
    response = client.get(reverse("coordination:batch_roster_csv", args=[batch.pk]), params)
    assert response.status_code == 200
    assert response.streaming
    return response, b"".join(response.streaming_content)


def test_csv_columns_names_and_order(coordinator_client, batch):
    response, content = get_csv(coordinator_client, batch)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="roster-{batch.pk}-gba-test-batch-2023-24.csv"' in response["Content-Disposition"]
    header, *rows = csv_rows(content)
    assert header == HEADER
    # Active participants by host area then name; the withdrawn one last.
    assert [row[0] for row in rows] == ["CHAN Ka-ming", "NG Pui-shan", "AU Yan", "WONG Siu-fan"]
    chan = dict(zip(HEADER, rows[0], strict=True))
    assert chan["Officer name (Chinese)"] == "陳家明"
    assert chan["Host municipality"] == "Shenzhen"
    assert chan["Host area"] == "Futian"
    assert chan["Host organisation"] == "Futian Test Bureau"
    assert chan["Focus areas"] == "A planning; B transport"
    assert (chan["Start date"], chan["End date"]) == ("2023-12-18", "2024-03-08")
    assert chan["Status"] == "Confirmed"
    assert rows[-1][-1] == "Withdrawn"


def test_csv_names_the_department_as_it_was_during_the_batch(coordinator_client, batch):
    _response, content = get_csv(coordinator_client, batch)
    ng = dict(zip(HEADER, csv_rows(content)[2], strict=True))
    assert ng["Home department"] == "Office of the Government Chief Information Officer"


def test_csv_neutralises_formulas(coordinator_client, batch):
    _response, content = get_csv(coordinator_client, batch)
    roles = {row[0]: row[10] for row in csv_rows(content)[1:]}
    assert roles["NG Pui-shan"] == '\'=HYPERLINK("http://x")'
    assert roles["WONG Siu-fan"] == "'+1 planner"
    assert roles["AU Yan"] == "'\tTabbed"
    assert roles["CHAN Ka-ming"] == "Special assistant"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("=1+2", "'=1+2"),
        ("+852 1234", "'+852 1234"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-12.5", "-12.5"),  # a plain negative number is left alone (defusedcsv's rule)
        ("", ""),
        ("陳家明", "陳家明"),
    ],
)
def test_neutralise(text, shown):
    assert neutralise(text) == shown


def test_csv_can_leave_out_withdrawn_participants(coordinator_client, batch):
    _response, content = get_csv(coordinator_client, batch, withdrawn="exclude")
    names = [row[0] for row in csv_rows(content)[1:]]
    assert "WONG Siu-fan" not in names
    assert len(names) == 3


def test_csv_only_holds_the_batchs_participants(coordinator_client, batch):
    PlacementFactory(officer__name_en="SOMEONE Else")
    _response, content = get_csv(coordinator_client, batch)
    assert b"SOMEONE Else" not in content


def test_xlsx_is_a_valid_workbook(coordinator_client, batch):
    response = coordinator_client.get(reverse("coordination:batch_roster_xlsx", args=[batch.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "roster-" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert [row[0] for row in rows[1:]] == ["CHAN Ka-ming", "NG Pui-shan", "AU Yan", "WONG Siu-fan"]
    assert rows[1][1] == "陳家明"
    assert rows[2][5] == "Office of the Government Chief Information Officer"
    # Dates are real dates shown as YYYY-MM-DD.
    assert rows[1][12].date().isoformat() == "2023-12-18"
    assert sheet.cell(row=2, column=13).number_format == "yyyy-mm-dd"
    # A formula-like cell is a string, never a formula.
    role = sheet.cell(row=3, column=11)
    assert role.value == '=HYPERLINK("http://x")'
    assert role.data_type == "s"


def test_print_view(coordinator_client, batch):
    response = coordinator_client.get(reverse("coordination:batch_roster_print", args=[batch.pk]))
    html = b"".join(response.streaming_content).decode()
    assert "css/roster-print.css" in html
    assert html.count("<h1>") == 1 and "Roster: GBA test batch 2023-24" in html
    assert html.index("<thead>") < html.index("Roster: GBA") < html.index("</thead>")
    assert all(f'<th scope="col">{title}</th>' in html for title in HEADER)
    assert "陳家明" in html and "18 Dec 2023" in html and "2023-12-18" not in html
    assert "=HYPERLINK(&quot;http://x&quot;)" in html  # escaped HTML, shown as typed
    assert 'style="' not in html and "<script" not in html


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("batch_roster_csv", "csv"), ("batch_roster_xlsx", "xlsx"), ("batch_roster_print", "print")],
)
def test_every_download_is_logged(coordinator_client, coordinator_user, batch, name, fmt):
    response = coordinator_client.get(reverse(f"coordination:{name}", args=[batch.pk]))
    b"".join(response.streaming_content)
    [export] = RosterExport.objects.all()
    assert (export.batch, export.user, export.format, export.row_count, export.via) == (
        batch,
        coordinator_user,
        fmt,
        4,
        "web",
    )


def test_a_download_left_unfinished_is_logged_with_the_rows_sent(coordinator_user, batch):
    # What the server does when the client goes away: it closes the response's generator.
    exporter = RosterExporter(batch)
    writer = writer_for(exporter, "csv")
    chunks = export_stream(
        exporter, writer, writer.iter_bytes(exporter.iter_rows()), user=coordinator_user, via="web"
    )
    next(chunks)  # the byte-order mark only
    chunks.close()
    assert RosterExport.objects.get().row_count == 0


@pytest.mark.parametrize(
    ("name", "queries"),
    # session, user (with the print page's navigation officer); the batch; departments; their former
    # names; focus areas; then a savepoint, the rows (one query, whatever their number), the savepoint's
    # release; the log row. 12 before issue 18: the user's own and group permissions, cached by the view
    # before, and the print page's officer.
    # The user is cached too after the first request (participants.backends): 9.
    [("batch_roster_csv", 9), ("batch_roster_xlsx", 9), ("batch_roster_print", 9)],
)
def test_export_queries_do_not_grow_with_rows(
    coordinator_client, coordinator_user, django_assert_num_queries, name, queries
):
    batch = roster_batch(coordinator_user, extra=3)
    url = reverse(f"coordination:{name}", args=[batch.pk])
    b"".join(coordinator_client.get(url).streaming_content)
    figures_changed(batch_ids=[batch.pk])  # the CSV is written again, not taken from the cache
    with django_assert_num_queries(queries):
        b"".join(coordinator_client.get(url).streaming_content)
    area = batch.host_areas.first()
    PlacementFactory.create_batch(6, batch=batch, host_area=area, focus_areas=list(batch.focus_areas.all()))
    b"".join(coordinator_client.get(url).streaming_content)  # new users: the permissions cached again
    figures_changed(batch_ids=[batch.pk])
    with django_assert_num_queries(queries):
        b"".join(coordinator_client.get(url).streaming_content)
    assert RosterExport.objects.order_by("-pk").first().row_count == 13


def test_exporter_registry():
    assert EXPORTERS["roster"] is RosterExporter


# --- the management command ---


def test_command_writes_csv_and_logs_it(batch, tmp_path):
    out = tmp_path / "roster.csv"
    call_command(
        "export_roster", str(batch.pk), "--format", "csv", "--output", str(out), stdout=io.StringIO()
    )
    header, *rows = csv_rows(out.read_bytes())
    assert header == HEADER and len(rows) == 4
    export = RosterExport.objects.get()
    assert (export.via, export.format, export.row_count, export.user) == ("command", "csv", 4, None)


def test_command_writes_xlsx_without_withdrawn_for_a_user(batch, coordinator_user, tmp_path):
    out = tmp_path / "roster.xlsx"
    call_command(
        "export_roster",
        str(batch.pk),
        "--format=xlsx",
        f"--output={out}",
        "--without-withdrawn",
        f"--user={coordinator_user.username}",
        stdout=io.StringIO(),
    )
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert len(rows) == 4 and "WONG Siu-fan" not in [row[0] for row in rows]
    export = RosterExport.objects.get()
    assert (export.format, export.row_count, export.user) == ("xlsx", 3, coordinator_user)


def test_command_refuses_an_unknown_batch_or_user(batch, tmp_path):
    with pytest.raises(CommandError, match="no batch with id 999999"):
        call_command("export_roster", "999999", "--output", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="no user 'nobody'"):
        call_command("export_roster", str(batch.pk), "--user", "nobody", "--output", str(tmp_path / "x.csv"))
    assert not RosterExport.objects.exists()


# --- the admin action ---


def test_admin_action_exports_the_selected_batch(csb_client, csb_user, batch):
    response = csb_client.post(
        reverse("admin:placements_batch_changelist"),
        {"action": "export_roster_csv", "_selected_action": [batch.pk]},
    )
    assert response.status_code == 200
    header, *rows = csv_rows(b"".join(response.streaming_content))
    assert header == HEADER and len(rows) == 4
    export = RosterExport.objects.get()
    assert (export.user, export.via, export.format) == (csb_user, "admin", "csv")


def test_admin_action_xlsx(csb_client, batch):
    response = csb_client.post(
        reverse("admin:placements_batch_changelist"),
        {"action": "export_roster_xlsx", "_selected_action": [batch.pk]},
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 5
    assert RosterExport.objects.get().via == "admin"


def test_admin_action_asks_for_one_batch(csb_client, batch):
    other = BatchFactory()
    response = csb_client.post(
        reverse("admin:placements_batch_changelist"),
        {"action": "export_roster_csv", "_selected_action": [batch.pk, other.pk]},
        follow=True,
    )
    assert "Select exactly one batch to export its roster (2 are selected)." in response.content.decode()
    assert not RosterExport.objects.exists()


def test_export_log_in_the_admin(csb_client, batch):
    RosterExport.objects.create(batch=batch, format="csv", row_count=4, via="web")
    response = csb_client.get(reverse("admin:placements_rosterexport_changelist"))
    assert response.status_code == 200
    assert batch.name in response.content.decode()

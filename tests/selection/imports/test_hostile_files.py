"""Files that cost the server gigabytes or answered 500 before (issue 12): each is refused quickly, in
little memory, with a message that says what to do; and the import's clearer answers (sheets, encodings,
row limit, names). The files are built here (hostile.py), not committed."""

import io
import time
import tracemalloc
import zipfile

import pytest
import xlsxwriter

from participants.models import Officer
from selection.imports import bounds
from selection.imports.reading import FileRefused, read_table
from tests.data.imports.make_files import HEADERS, csv_text, nomination

from . import hostile
from .conftest import fingerprint_of, last_import, snapshot, text_of, upload

MEMORY_BOUND = 64 * 1024 * 1024  # in these tests; the bench (bench/uploads.py) shows the real figures


def refused(content):
    """The refusal's text, the peak of Python memory while reading, and the seconds it took."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(FileRefused) as refusal:
            read_table(content)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return str(refusal.value), peak, time.monotonic() - started


def test_one_huge_shared_string_used_by_many_cells_is_refused_in_little_memory():
    message, peak, seconds = refused(hostile.shared_string_bomb(size=20 * 1024 * 1024, uses=26))
    assert "holds more than 1,000 characters" in message
    assert peak < MEMORY_BOUND and seconds < 30  # generous: a shared, loaded test machine


def test_a_row_of_millions_of_cells_is_refused_at_excels_own_row_width():
    message, peak, seconds = refused(hostile.wide_row(cells=100_000))
    assert "Row 1 holds more than 16,384 cells" in message
    assert peak < MEMORY_BOUND and seconds < 30  # generous: a shared, loaded test machine


def test_a_zip_directory_that_understates_a_size_is_refused_as_damaged_without_inflating_it():
    message, peak, seconds = refused(hostile.understated_sizes(actual=30 * 1024 * 1024, declared=1024))
    assert "damaged" in message
    assert peak < MEMORY_BOUND and seconds < 30  # generous: a shared, loaded test machine


def test_the_bytes_actually_inflated_are_counted(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_INFLATED_BYTES", 2 * 1024 * 1024)
    comments = "<!--" + " " * 1000 + "-->"  # no elements: only the inflated bytes stop it
    content = hostile.understated_sizes(actual=8 * 1024 * 1024, declared=10**9, filler=comments)
    message, _peak, _seconds = refused(content)
    assert "unpacks to more than 2 MB" in message


def test_too_many_cells_are_refused(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_CELLS", 5000)
    message, _peak, _seconds = refused(hostile.cell_bomb(rows=200, width=50))
    assert "holds more than 5,000 cells" in message


def test_too_many_characters_in_all_are_refused(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_TOTAL_CHARS", 20_000)
    message, _peak, _seconds = refused(
        hostile.workbook(
            [("Nominations", "visible", hostile.nominations_sheet(hostile.good_sheet_rows(200)))]
        )
    )
    assert "more than 20,000 characters in all" in message


def test_reading_stops_at_the_time_bound(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_SECONDS", 0.0)
    message, _peak, _seconds = refused(hostile.workbook([("Nominations", "visible", "")]))
    assert "takes too long to read" in message


def test_a_workbook_with_a_doctype_is_refused():
    content = hostile.workbook([("Nominations", "visible", "")])
    sheet = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><worksheet><sheetData/></worksheet>'
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(output, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, sheet if info.filename.endswith("sheet1.xml") else data)
    message, _peak, _seconds = refused(output.getvalue())
    assert "damaged" in message


def test_a_csv_with_a_one_megabyte_cell_is_refused_with_the_real_limit():
    message, _peak, _seconds = refused(hostile.long_cell_csv(1024 * 1024))
    assert "holds more than 1,000 characters" in message
    assert "field limit" not in message and "131072" not in message


def test_an_xlsx_with_a_one_megabyte_cell_is_refused():
    message, _peak, _seconds = refused(hostile.long_cell_xlsx(1024 * 1024))
    assert "Cell K2 holds more than 1,000 characters" in message


def test_a_csv_cell_just_over_the_cell_limit_names_the_cell():
    message, _peak, _seconds = refused(hostile.long_cell_csv(bounds.MAX_CELL_CHARS + 1))
    assert "Cell K2 holds more than 1,000 characters" in message


def test_fifty_thousand_nominations_are_refused_with_the_real_limit_and_no_talk_of_empty_rows():
    with pytest.raises(FileRefused) as refusal:
        read_table(hostile.many_rows_xlsx(50_000))
    message = str(refusal.value)
    assert "more than 5,000 nominations; the limit is 5,000" in message
    assert "empty" not in message


def test_a_csv_with_too_many_nominations_states_the_limit():
    message, _peak, _seconds = refused(csv_text([nomination(n) for n in range(1, 6001)]).encode())
    assert "more than 5,000 nominations; the limit is 5,000" in message


def test_nominations_far_below_many_empty_rows_are_refused_as_empty_rows():
    sheet = hostile.row_xml(1, HEADERS) + hostile.row_xml(60_000, nomination(1))
    message, _peak, _seconds = refused(hostile.workbook([("Nominations", "visible", sheet)]))
    assert "run past row 50,000" in message and "delete the empty rows" in message


def test_a_nul_byte_after_the_first_four_kilobytes_of_a_csv_is_refused_with_its_line():
    rows = [nomination(n) for n in range(1, 60)]
    rows.append(nomination(60, **{"Official e-mail": "mlchow60\x00@hyd.gov.hk"}))
    content = csv_text(rows).encode()
    assert content.index(b"\x00") > 4096
    message, _peak, _seconds = refused(content)
    assert "Line 61 holds a control character (U+0000)" in message


# --- sheets ---------------------------------------------------------------------------------------
def _xlsx_with_sheets(sheets, hidden=()):
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    made = []
    for name, rows in sheets:
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write_string(r, c, value)
        made.append(sheet)
    visible = [s for s, (name, _rows) in zip(made, sheets, strict=True) if name not in hidden]
    visible[0].activate()
    for sheet, (name, _rows) in zip(made, sheets, strict=True):
        if name in hidden:
            sheet.hide()
    workbook.close()
    return output.getvalue()


def test_an_empty_first_sheet_is_skipped_and_the_preview_says_which_sheet_was_read():
    good = [HEADERS, nomination(1)]
    table = read_table(_xlsx_with_sheets([("Sheet1", []), ("Nominations", good)]))
    assert table.sheet_name == "Nominations" and len(table.rows) == 1
    assert any(
        "“Nominations” was read: it is the first visible sheet with the template's headers" in str(n)
        for n in table.notes
    )
    assert "Sheet “Sheet1” is empty and was not read." in [str(n) for n in table.notes]


def test_a_hidden_first_sheet_is_not_read_and_the_preview_says_it_is_hidden():
    draft = [HEADERS, nomination(1, **{"English name": "OLD Draft"})]
    good = [HEADERS, nomination(1)]
    table = read_table(_xlsx_with_sheets([("Draft", draft), ("Nominations", good)], hidden={"Draft"}))
    assert table.sheet_name == "Nominations"
    assert table.rows[0][1]["name_en"] == "CHOW Mei-ling"
    assert "Sheet “Draft” is hidden and was not read." in [str(n) for n in table.notes]


def test_nominations_only_on_a_hidden_sheet_are_refused_with_advice():
    good = [HEADERS, nomination(1)]
    content = _xlsx_with_sheets([("Nominations", good), ("Blank", [])], hidden={"Nominations"})
    message, _peak, _seconds = refused(content)
    assert "The only filled sheets are hidden (“Nominations”)" in message


def test_a_notes_sheet_before_the_nominations_is_skipped():
    good = [HEADERS, nomination(1)]
    table = read_table(_xlsx_with_sheets([("Read me", [["Sent by HyD"]]), ("Nominations", good)]))
    assert table.sheet_name == "Nominations"
    assert "Sheet “Read me” does not have the template's headers and was not read." in [
        str(n) for n in table.notes
    ]


# --- encodings ------------------------------------------------------------------------------------
def test_a_simplified_chinese_csv_is_read_as_gb18030_and_says_so():
    content = csv_text([nomination(1, **{"Chinese name": "陈大华"})]).encode("gb18030")
    table = read_table(content)
    assert table.encoding == "GB18030"
    assert table.rows[0][1]["name_zh"] == "陈大华"
    assert any("read as GB18030 (Simplified Chinese)" in str(n) for n in table.notes)


def test_a_traditional_chinese_csv_is_still_read_as_big5():
    content = csv_text([nomination(1, **{"Chinese name": "陳大文"})]).encode("big5hkscs")
    table = read_table(content)
    assert table.encoding == "Big5-HKSCS" and table.rows[0][1]["name_zh"] == "陳大文"


def test_a_csv_that_reads_both_ways_is_refused_as_ambiguous():
    content = csv_text([nomination(1, **{"Chinese name": "湮灭"})]).encode("gb18030")
    assert content.decode("big5hkscs")  # it does decode both ways
    message, _peak, _seconds = refused(content)
    assert "reads both as Big5 (Traditional Chinese) and as GB18030" in message
    assert "CSV UTF-8" in message


def test_a_utf8_csv_says_how_it_was_read():
    table = read_table(csv_text([nomination(1)]).encode())
    assert table.encoding == "UTF-8" and "The file was read as UTF-8 text." in [str(n) for n in table.notes]


# --- through the admin, into the database -------------------------------------------------------
@pytest.mark.django_db
def test_a_gb18030_file_stores_the_simplified_name_not_mojibake(csb_client, guangzhou_batch):
    content = csv_text([nomination(1, **{"Chinese name": "陈大华"})]).encode("gb18030")
    response = upload(csb_client, guangzhou_batch, "partner.csv", content)
    preview = csb_client.get(response["Location"])
    assert "read as GB18030 (Simplified Chinese)" in text_of(preview)
    csb_client.post(response["Location"], {"fingerprint": fingerprint_of(preview)})
    assert Officer.objects.get(email="mlchow1@hyd.gov.hk").name_zh == "陈大华"


@pytest.mark.django_db
def test_full_width_letters_in_the_english_name_are_folded(csb_client, guangzhou_batch):
    content = csv_text([nomination(1, **{"English name": "ＬＡＵ Ｋａ－ｆａｉ"})]).encode()
    response = upload(csb_client, guangzhou_batch, "wide.csv", content)
    preview = csb_client.get(response["Location"])
    csb_client.post(response["Location"], {"fingerprint": fingerprint_of(preview)})
    assert Officer.objects.get(email="mlchow1@hyd.gov.hk").name_en == "LAU Ka-fai"


@pytest.mark.django_db
def test_an_emoji_in_the_chinese_name_is_a_problem(csb_client, guangzhou_batch):
    content = csv_text([nomination(1, **{"Chinese name": "周美玲😀"})]).encode()
    response = upload(csb_client, guangzhou_batch, "emoji.csv", content)
    page = text_of(csb_client.get(response["Location"]))
    assert "The Chinese name must be written in Chinese characters only." in page
    assert last_import().problem_count == 1


@pytest.mark.django_db
@pytest.mark.parametrize("column", ["Official e-mail", "English name"])
def test_a_nul_byte_deep_in_a_csv_is_refused_at_upload_and_nothing_is_stored(
    csb_client, guangzhou_batch, column
):
    rows = [nomination(n) for n in range(1, 60)]
    rows.append(nomination(60, **{column: "mlchow60\x00@hyd.gov.hk" if "mail" in column else "CHOW\x00 Ka"}))
    before = snapshot()
    response = upload(csb_client, guangzhou_batch, "nul.csv", csv_text(rows).encode())
    assert response.status_code == 200
    assert "holds a control character (U+0000)" in text_of(response)
    assert last_import() is None and snapshot() == before

"""Uploaded bytes -> a table of cells, or a refusal that says exactly what is wrong with the file.

Only the file as a whole is judged here (type, size, encoding, headers, row count); rows are judged in
plan.py. The kind of file is told from its bytes, never from its name."""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from .columns import COLUMNS, column_for_header, suggest_header

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 60
# A sheet may carry formatted but empty rows; past this many rows in all, the sheet is refused.
MAX_PHYSICAL_ROWS = 50_000
# An .xlsx is a zip: refuse one that would unpack to more than this (a "zip bomb").
MAX_UNPACKED_BYTES = 100 * 1024 * 1024

# Invisible characters that spreadsheets and chat apps leave in cells.
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)


class FileRefused(Exception):
    """The file cannot be read as nominations; `messages` says why, one message per problem."""

    def __init__(self, messages):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(str(m) for m in self.messages))


@dataclass
class Table:
    """The nominations of one sheet: data rows as (row number, {column key: value}), and notes for the
    preview about how the file was read."""

    rows: list = field(default_factory=list)
    columns: list = field(default_factory=list)  # the column keys present, in file order
    notes: list = field(default_factory=list)
    sheet_name: str = ""
    encoding: str = ""
    trimmed_cells: int = 0
    blank_rows: list = field(default_factory=list)


def read_table(content: bytes) -> Table:
    """Read an .xlsx or CSV file's first sheet into a Table; raise FileRefused when it cannot be read."""
    if not content or not content.strip():
        raise FileRefused(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise FileRefused(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": number_format(len(content) / 1024 / 1024, 1), "limit": MAX_BYTES // 1024 // 1024}
        )
    if content.startswith(b"PK\x03\x04"):
        table = Table()
        raw_rows = _xlsx_rows(content, table)
    elif content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            _(
                "This is an old Excel (.xls) workbook or a password-protected one. Save it as an Excel "
                "workbook (.xlsx) without a password, or as CSV UTF-8, and upload that."
            )
        )
    elif content.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise FileRefused(_("This is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file."))
    else:
        table = Table()
        raw_rows = _csv_rows(content, table)
    return _tabulate(raw_rows, table)


def _xlsx_rows(content, table):
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise FileRefused(
            _("The file looks like an Excel workbook but is damaged and cannot be opened.")
        ) from None
    if "xl/workbook.xml" not in names:
        if "content.xml" in names:
            raise FileRefused(
                _("OpenDocument spreadsheets (.ods) are not read: save it as .xlsx or CSV UTF-8.")
            )
        raise FileRefused(_("This is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file."))
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileRefused(
            _("The workbook unpacks to more than 100 MB; it is not a plain list of nominations.")
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of error on a damaged workbook
        raise FileRefused(
            _("The Excel workbook is damaged and cannot be opened. Save it again and retry.")
        ) from None
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise FileRefused(_("The workbook has no sheets."))
        sheet = sheets[0]
        table.sheet_name = sheet.title
        table.encoding = "xlsx"
        if len(sheets) > 1:
            table.notes.append(
                _("The workbook has %(count)s sheets; only the first, “%(name)s”, was read.")
                % {"count": len(sheets), "name": sheet.title}
            )
        rows = []
        try:
            for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                rows.append(list(values))
                if len(rows) > MAX_PHYSICAL_ROWS:
                    raise FileRefused(
                        _(
                            "The sheet has more than %(count)s rows, counting empty ones; "
                            "delete the empty rows."
                        )
                        % {"count": number_format(MAX_PHYSICAL_ROWS, force_grouping=True)}
                    )
        except FileRefused:
            raise
        except Exception:
            raise FileRefused(
                _("The Excel workbook is damaged and cannot be read. Save it again and retry.")
            ) from None
        return rows
    finally:
        workbook.close()


def _decode(content, table):
    if content.startswith(b"\xef\xbb\xbf"):
        table.encoding = "UTF-8"
        return content[3:].decode("utf-8", errors="strict")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        table.encoding = "UTF-16"
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise FileRefused(_("The file says it is UTF-16 text but is not valid UTF-16.")) from None
    sample = content[:4096]
    if b"\x00" in sample:
        # UTF-16 without a byte-order mark: every other byte of ASCII text is zero.
        if sample[1::2].count(0) > len(sample) // 4:
            table.encoding = "UTF-16"
            codec = "utf-16-le"
        elif sample[0::2].count(0) > len(sample) // 4:
            table.encoding = "UTF-16"
            codec = "utf-16-be"
        else:
            raise FileRefused(_("This is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file."))
        try:
            return content.decode(codec)
        except UnicodeDecodeError:
            raise FileRefused(
                _("This is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file.")
            ) from None
    try:
        text = content.decode("utf-8")
        table.encoding = "UTF-8"
        return text
    except UnicodeDecodeError:
        pass
    try:
        text = content.decode("big5hkscs")
    except UnicodeDecodeError:
        raise FileRefused(
            _(
                "The text of this file is not in UTF-8, UTF-16 or Big5, so its Chinese characters cannot be "
                "read reliably. In Excel, choose Save As → “CSV UTF-8 (Comma delimited)” and upload that."
            )
        ) from None
    table.encoding = "Big5"
    table.notes.append(
        _(
            "The file was read as Big5 (Traditional Chinese) text: "
            "check that the Chinese names below are right."
        )
    )
    return text


def _csv_rows(content, table):
    text = _decode(content, table)
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text[:4096]):
        raise FileRefused(_("This is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file."))
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    if first_line.count(delimiter) == 0:
        delimiter = ","
    rows = []
    try:
        for values in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(values[:MAX_COLUMNS])
            if len(rows) > MAX_PHYSICAL_ROWS:
                raise FileRefused(
                    _("The file has more than %(count)s rows, counting empty ones; delete the empty rows.")
                    % {"count": number_format(MAX_PHYSICAL_ROWS, force_grouping=True)}
                )
    except csv.Error as error:
        raise FileRefused(
            _("The CSV file cannot be read (%(error)s): save it again from Excel as CSV UTF-8.")
            % {"error": error}
        ) from None
    table.sheet_name = ""
    return rows


def _cell(value):
    """A cell as text (or a date); None when empty."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time(0) else value
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).translate(_INVISIBLE)
    return text if text.strip() else None


def _tabulate(raw_rows, table):
    rows = [(number, [_cell(v) for v in values]) for number, values in enumerate(raw_rows, start=1)]
    rows = [(n, cells) for n, cells in rows]
    filled = [(n, cells) for n, cells in rows if any(c is not None for c in cells)]
    if not filled:
        raise FileRefused(_("The file is empty: it has no headers and no rows."))
    header_number, header_cells = filled[0]
    data = filled[1:]

    # Headers: every one known, none twice, every required one present.
    problems, positions, seen = [], {}, {}
    width = max(len(cells) for _, cells in filled)
    for index in range(width):
        header = header_cells[index] if index < len(header_cells) else None
        letter = _column_letter(index)
        if header is None:
            if any(index < len(cells) and cells[index] is not None for _, cells in data):
                problems.append(
                    _("Column %(letter)s has values but no header: add its header or delete the column.")
                    % {"letter": letter}
                )
            continue
        header = str(header).strip()
        column = column_for_header(header)
        if column is None:
            suggestion = suggest_header(header)
            if suggestion:
                problems.append(
                    _(
                        "Column %(letter)s, “%(header)s”, is not a column of the template: "
                        "did you mean “%(suggestion)s”?"
                    )
                    % {"letter": letter, "header": header, "suggestion": suggestion}
                )
            else:
                problems.append(
                    _("Column %(letter)s, “%(header)s”, is not a column of the template.")
                    % {"letter": letter, "header": header}
                )
            continue
        if column.key in seen:
            problems.append(
                _("Columns %(first)s and %(second)s both hold “%(header)s”.")
                % {"first": seen[column.key], "second": letter, "header": column.header}
            )
            continue
        seen[column.key] = letter
        positions[column.key] = index
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        problems.append(
            ngettext(
                "The column %(columns)s is missing; the headers must be those of the template, in row 1.",
                "The columns %(columns)s are missing; the headers must be those of the template, in row 1.",
                len(missing),
            )
            % {"columns": ", ".join(f"“{m}”" for m in missing)}
        )
    if problems:
        raise FileRefused(problems)
    if not data:
        raise FileRefused(_("The file has the headers but no nominations below them."))
    if len(data) > MAX_ROWS:
        raise FileRefused(
            _("The file has %(count)s nominations; the limit is %(limit)s. Split it into smaller files.")
            % {
                "count": number_format(len(data), force_grouping=True),
                "limit": number_format(MAX_ROWS, force_grouping=True),
            }
        )

    table.columns = [key for key, _index in sorted(positions.items(), key=lambda item: item[1])]
    last = data[-1][0]
    table.blank_rows = [n for n, cells in rows if header_number < n < last and all(c is None for c in cells)]
    for number, cells in data:
        values = {}
        for key, index in positions.items():
            value = cells[index] if index < len(cells) else None
            if isinstance(value, str):
                stripped = value.strip()
                if stripped != value:
                    table.trimmed_cells += 1
                value = stripped
            values[key] = value
        table.rows.append((number, values))
    if table.blank_rows:
        table.notes.append(
            ngettext(
                "Row %(rows)s is empty and was skipped.",
                "Rows %(rows)s are empty and were skipped.",
                len(table.blank_rows),
            )
            % {"rows": _number_list(table.blank_rows)}
        )
    if table.trimmed_cells:
        table.notes.append(
            ngettext(
                "Spaces before or after the value were removed in %(count)s cell.",
                "Spaces before or after the value were removed in %(count)s cells.",
                table.trimmed_cells,
            )
            % {"count": table.trimmed_cells}
        )
    return table


def _number_list(numbers, limit=20):
    """'3', '3 and 5', '3, 5 and 7', or the first `limit` then '…'."""
    if len(numbers) > limit:
        return ", ".join(str(n) for n in numbers[:limit]) + " …"
    if len(numbers) == 1:
        return str(numbers[0])
    return _("%(first)s and %(last)s") % {
        "first": ", ".join(str(n) for n in numbers[:-1]),
        "last": numbers[-1],
    }


def _column_letter(index):
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters

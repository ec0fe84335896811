"""Uploaded bytes -> a table of cells, or a refusal that says exactly what is wrong with the file.

Only the file as a whole is judged here (type, size, encoding, headers, row count); rows are judged in
plan.py. The kind of file is told from its bytes, never from its name."""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import bounds
from .bounds import MAX_BYTES, MAX_COLUMNS, MAX_PHYSICAL_ROWS, MAX_ROWS, FileRefused
from .columns import COLUMNS, column_for_header, suggest_header
from .encodings import decode
from .xlsx import column_letter, read_workbook

__all__ = ["MAX_BYTES", "MAX_ROWS", "FileRefused", "Table", "read_table"]

# Invisible characters that spreadsheets and chat apps leave in cells.
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)
# Control characters (NUL among them) have no place in a nominations file; tab and line breaks do.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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


def _n(value):
    return number_format(value, force_grouping=True)


def read_table(content: bytes) -> Table:
    """Read an .xlsx or CSV file into a Table; raise FileRefused when it cannot be read. Reading is
    bounded (bounds.py) by what the file yields, in memory and in time."""
    if not content or not content.strip():
        raise FileRefused(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise FileRefused(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": number_format(len(content) / 1024 / 1024, 1), "limit": MAX_BYTES // 1024 // 1024}
        )
    table = Table()
    if content.startswith(b"PK\x03\x04"):
        workbook = read_workbook(content)
        table.sheet_name, table.encoding = workbook.sheet_name, "xlsx"
        table.notes.extend(workbook.notes)
        raw_rows = [
            (number, [cells.get(index) for index in range(max(cells) + 1)]) for number, cells in workbook.rows
        ]
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
        raw_rows = _csv_rows(content, table)
    return _tabulate(raw_rows, table)


def _csv_rows(content, table):
    decoded = decode(content)
    text = decoded.text
    table.encoding = decoded.encoding
    table.notes.append(decoded.note)
    control = CONTROL.search(text)
    if control:
        if control.start() < 4096:
            raise FileRefused(_("This is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file."))
        line = text.count("\n", 0, control.start()) + 1
        raise FileRefused(
            _(
                "Line %(line)s holds a control character (%(code)s), which no nominations file holds: "
                "the file is damaged or not a CSV file. Save it again from Excel as CSV UTF-8."
            )
            % {"line": _n(line), "code": f"U+{ord(control.group()):04X}"}
        )
    first_line = next((line for line in text[:65536].splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    if first_line.count(delimiter) == 0:
        delimiter = ","
    rows, filled = [], 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for values in reader:
            for index, value in enumerate(values[:MAX_COLUMNS]):
                if len(value) > bounds.MAX_CELL_CHARS:
                    raise FileRefused(_long_cell(index, len(rows) + 1))
            if any(v.strip() for v in values):
                filled += 1
                if filled > MAX_ROWS + 1:
                    raise FileRefused(
                        _(
                            "The file has more than %(limit)s nominations; the limit is %(limit)s. "
                            "Split it into smaller files."
                        )
                        % {"limit": _n(MAX_ROWS)}
                    )
            rows.append((len(rows) + 1, values[:MAX_COLUMNS]))
            if len(rows) > MAX_PHYSICAL_ROWS:
                raise FileRefused(
                    _(
                        "The file has more than %(count)s rows, most of them empty, for at most %(limit)s "
                        "nominations; delete the empty rows."
                    )
                    % {"count": _n(MAX_PHYSICAL_ROWS), "limit": _n(MAX_ROWS)}
                )
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise FileRefused(_long_cell(None, len(rows) + 1)) from None
        raise FileRefused(
            _(
                "The CSV file cannot be read near row %(row)s (%(error)s): check for a quotation mark that "
                "is opened and never closed, or save it again from Excel as CSV UTF-8."
            )
            % {"row": _n(len(rows) + 1), "error": error}
        ) from None
    return rows


def _long_cell(index, row):
    if index is None:
        return _(
            "A cell on row %(row)s holds more than %(count)s characters; no column of the template needs "
            "that many. Shorten it and upload the file again."
        ) % {"row": _n(row), "count": _n(bounds.MAX_CELL_CHARS)}
    return _(
        "Cell %(cell)s holds more than %(count)s characters; no column of the template needs that many. "
        "Shorten it and upload the file again."
    ) % {"cell": f"{column_letter(index)}{row}", "count": _n(bounds.MAX_CELL_CHARS)}


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
    for number, values in raw_rows:
        for index, value in enumerate(values):
            if isinstance(value, str) and (control := CONTROL.search(value)):
                raise FileRefused(
                    _(
                        "Cell %(cell)s holds a control character (%(code)s): "
                        "delete it and upload the file again."
                    )
                    % {"cell": f"{column_letter(index)}{number}", "code": f"U+{ord(control.group()):04X}"}
                )
    rows = [(number, [_cell(v) for v in values]) for number, values in raw_rows]
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
        letter = column_letter(index)
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
    filled_numbers = {n for n, _cells in filled}
    table.blank_rows = [n for n in range(header_number + 1, last) if n not in filled_numbers]
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

"""The exporter base and the writers that stream an exporter's rows to CSV and Excel.

An exporter (see roster.py) has a name, a filename and `iter_rows()`, which yields the header and then one
tuple per row. A writer turns those rows into a file without holding them all: the CSV writer yields bytes
a few hundred rows at a time, the Excel writer uses XlsxWriter's constant-memory mode. Both neutralise
cells a spreadsheet would read as a formula."""

import csv
import datetime
import io

from defusedcsv.csv import _escape as defused_escape
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from xlsxwriter import Workbook


class Exporter:
    """One kind of export. Subclasses set `name` and `verbose_name` and implement `iter_rows()`."""

    name = ""
    verbose_name = ""

    def filename_stem(self):
        return self.name

    def filename(self, extension):
        return f"{slugify(self.filename_stem())}.{extension}"

    @property
    def sheet_name(self):
        """The worksheet's name in an Excel file."""
        return self.name.title()

    def cache_key(self, extension):
        """What tells this export's file apart from others of its batch, if it may be cached under the
        batch's versions (export_response); None: never cached."""
        return None

    def iter_rows(self):
        """Yield the header (a tuple of strings), then one tuple per row."""
        raise NotImplementedError


# defusedcsv decides how a dangerous cell is escaped (a leading quote; "|" escaped); calling it only for
# cells that start with one of its trigger characters keeps 1.5 million cells per 100,000 rows cheap.
_DEFUSED_STARTS = frozenset("=+-@|%")
_CONTROL_STARTS = frozenset("\t\r")
_DANGEROUS_STARTS = _DEFUSED_STARTS | _CONTROL_STARTS


def neutralise(text):
    """A text cell as a spreadsheet will show it, never run it: defusedcsv's escaping for =, +, -, @
    (and | and %), and the same leading quote for tab and CR, which OWASP lists and defusedcsv does not."""
    first = text[:1]
    if first in _DEFUSED_STARTS:
        return defused_escape(text)
    if first in _CONTROL_STARTS:
        return "'" + text
    return text


def _csv_row(row):
    # The csv module already writes None as an empty cell and a date as YYYY-MM-DD (its str()).
    return [neutralise(cell) if type(cell) is str and cell[:1] in _DANGEROUS_STARTS else cell for cell in row]


class CsvWriter:
    """UTF-8 CSV with a byte-order mark (so Excel shows Chinese names), streamed in chunks."""

    format = extension = "csv"
    content_type = "text/csv; charset=utf-8"

    def __init__(self, *, sheet_name=None, language=None, rows_per_chunk=500):
        # sheet_name and language: every writer takes them; only the workbook has sheets, only the print
        # view writes dates for people (files for machines keep ISO dates).
        self.rows_per_chunk = rows_per_chunk
        self.row_count = 0

    def iter_bytes(self, rows):
        """Yield the file as bytes, a chunk of rows at a time; `row_count` counts the data rows written
        (the header excluded) and is final once the iteration ends."""
        buffer = io.StringIO()
        # The standard writer: every cell has been through neutralise() (defusedcsv's rules) already.
        writerow = csv.writer(buffer).writerow
        yield "\ufeff".encode()
        rows = iter(rows)
        writerow(_csv_row(next(rows)))
        pending = 0
        for row in rows:
            writerow(_csv_row(row))
            self.row_count += 1
            pending += 1
            if pending == self.rows_per_chunk:
                yield buffer.getvalue().encode()
                buffer.seek(0)
                buffer.truncate()
                pending = 0
        if buffer.tell():
            yield buffer.getvalue().encode()

    def write_to(self, fileobj, rows):
        """Write the whole file to a binary file object; returns the number of data rows."""
        for chunk in self.iter_bytes(rows):
            fileobj.write(chunk)
        return self.row_count


class XlsxWriter:
    """An Excel workbook written row by row in XlsxWriter's constant-memory mode: every text cell is
    written as a string, so a value like "=1+2" stays text and never becomes a formula; dates are real
    dates shown as YYYY-MM-DD."""

    format = extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def __init__(self, *, sheet_name="Roster", language=None):
        self.sheet_name = sheet_name
        self.row_count = 0

    def write_to(self, fileobj, rows):
        """Write the workbook to a seekable binary file object; returns the number of data rows."""
        workbook = Workbook(
            fileobj,
            {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
        )
        sheet = workbook.add_worksheet(self.sheet_name[:31])
        bold = workbook.add_format({"bold": True})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        write_string, write_datetime, write_number = (
            sheet.write_string,
            sheet.write_datetime,
            sheet.write_number,
        )
        rows = iter(rows)
        header = next(rows)
        for col, title in enumerate(header):
            write_string(0, col, str(title), bold)
        sheet.freeze_panes(1, 0)
        sheet.set_column(0, len(header) - 1, 22)
        row_index = 0
        for row_index, row in enumerate(rows, start=1):  # noqa: B007 (row_index is the count afterwards)
            for col, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    write_string(row_index, col, value)
                elif isinstance(value, datetime.date):
                    write_datetime(row_index, col, value, date_format)
                elif isinstance(value, int | float):
                    write_number(row_index, col, value)
                else:
                    write_string(row_index, col, str(value))
        sheet.autofilter(0, 0, max(row_index, 1), len(header) - 1)
        workbook.close()
        self.row_count = row_index
        return self.row_count


def _html_date(value):
    # A page for people: the page's date format ("18 Dec 2023", 2023年12月18日), never split.
    return format_html('<span class="text-nowrap">{}</span>', date_format(value, "DATE_FORMAT"))


class HtmlRowsWriter:
    """Table rows (`<tr>`, escaped) for the print view, streamed a chunk at a time; the page around
    them comes from a template. Print needs no formula neutralising: nothing is evaluated."""

    format = "print"
    extension = "html"

    def __init__(self, *, sheet_name=None, language=None, rows_per_chunk=200):
        self.rows_per_chunk = rows_per_chunk
        self.row_count = 0
        # The rows are written after the view has returned: dates follow the exporter's language. Rows
        # share a few dates (the batch's), so each is formatted once.
        self.language = language
        self._dates = {}

    def _cell(self, value):
        if value is None:
            return ""
        if isinstance(value, datetime.date):
            shown = self._dates.get(value)
            if shown is None:
                shown = self._dates[value] = _html_date(value)
            return shown
        return value

    def _chunk(self, rows):
        with translation.override(self.language or translation.get_language()):
            return format_html_join(
                "",
                "<tr>{}</tr>",
                ((format_html_join("", "<td>{}</td>", ((self._cell(v),) for v in row)),) for row in rows),
            )

    def iter_html(self, rows):
        """Yield the data rows' HTML (the header row is the caller's); `row_count` is final at the end."""
        chunk = []
        for row in rows:
            chunk.append(row)
            self.row_count += 1
            if len(chunk) == self.rows_per_chunk:
                yield self._chunk(chunk)
                chunk = []
        if chunk:
            yield self._chunk(chunk)


# The one writer registry, by the format name the export log records. The files (csv, xlsx) can be written
# by the command too; print is the batch page's streamed HTML view.
WRITERS = {writer.format: writer for writer in (CsvWriter, XlsxWriter, HtmlRowsWriter)}
FILE_FORMATS = ("csv", "xlsx")

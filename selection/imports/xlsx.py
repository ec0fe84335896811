"""A bounded reader for Excel workbooks (.xlsx): the rows of one sheet, or a refusal.

An .xlsx is a zip of XML parts. Whole-workbook loaders (openpyxl, even in read-only mode) trust the sizes
the zip declares and build every string they meet, so a 22 KB file can cost gigabytes. Here every part is
inflated in small chunks (zipfile stops at the declared size and then checks the CRC, so a directory that
understates a size is refused as damaged), parsed with expat as it arrives, and every bound in bounds.py
counts what the file actually yields: bytes inflated, elements, cells per row and in all, characters per
cell, shared strings and the characters their uses produce, and the time spent."""

import contextlib
import datetime
import io
import re
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from posixpath import join, normpath
from xml.parsers import expat

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from . import bounds
from .bounds import FileRefused
from .columns import column_for_header

CHUNK = 64 * 1024
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d*)$")
# Built-in number formats that show dates (openpyxl's list plus the East Asian ones Excel adds).
_DATE_FORMAT_IDS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47}
_DATE_FORMAT_IDS |= set(range(50, 59))


def _n(value):
    return number_format(value, force_grouping=True)


def _damaged():
    return FileRefused(_("The Excel workbook is damaged and cannot be read. Save it again and retry."))


class _Stop(Exception):
    """A sheet was read far enough (its header row found)."""


@dataclass
class Budget:
    """What reading one workbook has cost so far, against the bounds."""

    started: float = field(default_factory=time.monotonic)
    inflated: int = 0
    elements: int = 0
    cells: int = 0
    chars: int = 0

    def check_time(self):
        if time.monotonic() - self.started > bounds.MAX_SECONDS:
            raise FileRefused(
                _("The workbook takes too long to read; it is not a plain list of nominations.")
            )


@dataclass
class SheetInfo:
    name: str
    path: str
    hidden: bool


@dataclass
class Workbook:
    """What reading a workbook gives: the rows of the sheet read, as (row number, [cells]) with
    empty rows left out, and notes for the preview saying which sheet was read and why."""

    rows: list
    sheet_name: str
    notes: list


def _parts(archive, name, budget):
    """The bytes of one part, inflated chunk by chunk and counted."""
    try:
        with archive.open(name) as member:
            gap = 0
            while True:
                budget.check_time()
                chunk = member.read(CHUNK)
                if not chunk:
                    return
                budget.inflated += len(chunk)
                if budget.inflated > bounds.MAX_INFLATED_BYTES:
                    raise FileRefused(
                        _(
                            "The workbook unpacks to more than %(size)s MB; "
                            "it is not a plain list of nominations."
                        )
                        % {"size": bounds.MAX_INFLATED_BYTES // 1024 // 1024}
                    )
                last = chunk.rfind(b">")
                gap = gap + len(chunk) if last < 0 else len(chunk) - last - 1
                if gap > bounds.MAX_PART_GAP:
                    raise FileRefused(
                        _("The workbook holds a value or a tag longer than a spreadsheet cell can be.")
                    )
                yield chunk
    except FileRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, KeyError):
        raise _damaged() from None


def _local(name):
    return name.rsplit(" ", 1)[-1]


def _parser(budget, start, end, text=None):
    """An expat parser that refuses DTDs (and so entity tricks) and counts every element."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True

    def refuse_dtd(*args):
        raise _damaged()

    def on_start(name, attrs):
        budget.elements += 1
        if budget.elements > bounds.MAX_ELEMENTS:
            raise FileRefused(
                _("The workbook holds too many elements; it is not a plain list of nominations.")
            )
        start(_local(name), attrs)

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.StartElementHandler = on_start
    parser.EndElementHandler = lambda name: end(_local(name))
    if text is not None:
        parser.CharacterDataHandler = text
    return parser


def _parse(archive, name, budget, start, end, text=None):
    parser = _parser(budget, start, end, text)
    try:
        for chunk in _parts(archive, name, budget):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise _damaged() from None


def _relationship_targets(archive, budget):
    """{relationship id: part path} of the workbook."""
    targets = {}
    rels = "xl/_rels/workbook.xml.rels"
    if rels not in archive.NameToInfo:
        return targets

    def start(tag, attrs):
        if tag == "Relationship" and "Id" in attrs and "Target" in attrs:
            target = attrs["Target"]
            path = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
            targets[attrs["Id"]] = path

    _parse(archive, rels, budget, start, lambda tag: None)
    return targets


def _sheets(archive, budget):
    """The workbook's sheets in tab order, and whether its dates count from 1904."""
    sheets, settings = [], {"date1904": False}
    targets = _relationship_targets(archive, budget)

    def start(tag, attrs):
        if tag == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), None)
            path = targets.get(rid)
            if path is None and "sheetId" in attrs:
                path = f"xl/worksheets/sheet{attrs['sheetId']}.xml"
            sheets.append(
                SheetInfo(
                    name=attrs.get("name", "")[:31],
                    path=path or "",
                    hidden=attrs.get("state", "visible") != "visible",
                )
            )
        elif tag == "workbookPr":
            settings["date1904"] = attrs.get("date1904", "0") in ("1", "true")

    _parse(archive, "xl/workbook.xml", budget, start, lambda tag: None)
    return sheets, settings["date1904"]


def _date_styles(archive, budget):
    """The indexes of the cell styles that show a date."""
    name = "xl/styles.xml"
    if name not in archive.NameToInfo:
        return set()
    custom, xf_formats, state = {}, [], {"in_xfs": False}

    def start(tag, attrs):
        if tag == "numFmt":
            with contextlib.suppress(ValueError):
                custom[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            state["in_xfs"] = True
        elif tag == "xf" and state["in_xfs"]:
            try:
                xf_formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                xf_formats.append(0)

    def end(tag):
        if tag == "cellXfs":
            state["in_xfs"] = False

    _parse(archive, name, budget, start, end)
    dates = set()
    for index, format_id in enumerate(xf_formats):
        code = custom.get(format_id, BUILTIN_FORMATS.get(format_id))
        if format_id in _DATE_FORMAT_IDS or (code and is_date_format(code)):
            dates.add(index)
    return dates


def _shared_strings(archive, budget):
    name = "xl/sharedStrings.xml"
    if name not in archive.NameToInfo:
        return []
    strings, parts = [], []
    state = {"in_si": False, "in_t": False, "skip": 0, "length": 0, "total": 0}

    def start(tag, attrs):
        if tag == "si":
            state["in_si"], state["length"] = True, 0
            parts.clear()
        elif tag == "rPh":
            state["skip"] += 1  # phonetic guides: not part of the text
        elif tag == "t" and state["in_si"] and not state["skip"]:
            state["in_t"] = True

    def end(tag):
        if tag == "si":
            state["in_si"] = False
            strings.append("".join(parts))
            parts.clear()
            if len(strings) > bounds.MAX_SHARED_STRINGS:
                raise FileRefused(
                    _("The workbook holds more than %(count)s different texts; the limit is %(count)s.")
                    % {"count": _n(bounds.MAX_SHARED_STRINGS)}
                )
        elif tag == "rPh":
            state["skip"] -= 1
        elif tag == "t":
            state["in_t"] = False

    def text(data):
        if not state["in_t"]:
            return
        state["length"] += len(data)
        state["total"] += len(data)
        if state["length"] > bounds.MAX_CELL_CHARS:
            raise _long_cell(None)
        if state["total"] > bounds.MAX_SHARED_CHARS:
            raise FileRefused(
                _(
                    "The workbook holds more than %(count)s characters of text; "
                    "it is not a plain list of nominations."
                )
                % {"count": _n(bounds.MAX_SHARED_CHARS)}
            )
        parts.append(data)

    _parse(archive, name, budget, start, end, text)
    return strings


def _long_cell(where):
    if where is None:
        return FileRefused(
            _(
                "A cell holds more than %(count)s characters; no column of the template needs that many. "
                "Shorten it and upload the file again."
            )
            % {"count": _n(bounds.MAX_CELL_CHARS)}
        )
    return FileRefused(
        _(
            "Cell %(cell)s holds more than %(count)s characters; no column of the template needs that many. "
            "Shorten it and upload the file again."
        )
        % {"cell": where, "count": _n(bounds.MAX_CELL_CHARS)}
    )


def column_letter(index):
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _column_index(letters):
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


class _SheetReader:
    """The rows of one sheet, as expat callbacks; `header_only` stops at the first filled row."""

    def __init__(self, budget, shared, date_styles, date1904, header_only):
        self.budget, self.shared, self.date_styles = budget, shared, date_styles
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.header_only = header_only
        self.rows = []
        self.filled = 0
        self.row_number = 0
        self.row_cells = None
        self.cells_in_row = 0
        self.next_column = 0
        self.cell = None
        self.target = None  # the list collecting the text of <v>, <f> or <is><t>
        self.skip = 0

    def where(self):
        return f"{column_letter(self.cell['column'])}{self.row_number}" if self.cell else None

    def start(self, tag, attrs):
        if tag == "row":
            try:
                number = int(attrs.get("r", ""))
            except ValueError:
                number = self.row_number + 1
            if not 0 < number <= 1_048_576:
                raise _damaged()
            self.row_number = number
            self.row_cells, self.cells_in_row, self.next_column = {}, 0, 0
        elif tag == "c" and self.row_cells is not None:
            self.cells_in_row += 1
            self.budget.cells += 1
            if self.cells_in_row > bounds.MAX_CELLS_PER_ROW:
                raise FileRefused(
                    _("Row %(row)s holds more than %(count)s cells, more than Excel allows in a row.")
                    % {"row": _n(self.row_number), "count": _n(bounds.MAX_CELLS_PER_ROW)}
                )
            if self.budget.cells > bounds.MAX_CELLS:
                raise FileRefused(
                    _(
                        "The sheet holds more than %(count)s cells (formatted empty cells count too): "
                        "delete the rows and columns below and right of the nominations."
                    )
                    % {"count": _n(bounds.MAX_CELLS)}
                )
            column = self.next_column
            match = _CELL_REF.match(attrs.get("r", ""))
            if match:
                column = _column_index(match.group(1))
            if column >= bounds.MAX_CELLS_PER_ROW:
                raise _damaged()
            self.next_column = column + 1
            self.cell = {"column": column, "type": attrs.get("t", "n"), "style": attrs.get("s"), "v": None}
            self.cell["f"] = self.cell["is"] = None
        elif self.cell is not None:
            if tag == "rPh":
                self.skip += 1
            elif tag in ("v", "f") and not self.skip:
                self.target = self.cell[tag] = []
            elif tag == "is":
                self.cell["is"] = []
            elif tag == "t" and self.cell["is"] is not None and not self.skip:
                self.target = self.cell["is"]

    def text(self, data):
        if self.target is None:
            return
        self.target.append(data)
        if sum(map(len, self.target)) > bounds.MAX_CELL_CHARS:
            raise _long_cell(self.where())

    def end(self, tag):
        if tag in ("v", "f", "t"):
            self.target = None
        elif tag == "rPh":
            self.skip -= 1
        elif tag == "c" and self.cell is not None:
            value = self.value()
            column = self.cell["column"]
            if value is not None and value != "" and column < bounds.MAX_COLUMNS:
                if isinstance(value, str):
                    if len(value) > bounds.MAX_CELL_CHARS:
                        raise _long_cell(self.where())
                    self.budget.chars += len(value)
                    if self.budget.chars > bounds.MAX_TOTAL_CHARS:
                        raise FileRefused(
                            _(
                                "The sheet holds more than %(count)s characters in all; it is not a plain "
                                "list of nominations."
                            )
                            % {"count": _n(bounds.MAX_TOTAL_CHARS)}
                        )
                self.row_cells[column] = value
            self.cell = None
        elif tag == "row" and self.row_cells is not None:
            if self.row_cells:
                self.filled += 1
                if self.header_only:
                    self.rows.append((self.row_number, self.row_cells))
                    raise _Stop
                if self.filled > bounds.MAX_ROWS + 1:
                    raise FileRefused(
                        _(
                            "The sheet has more than %(limit)s nominations; the limit is %(limit)s. "
                            "Split it into smaller files."
                        )
                        % {"limit": _n(bounds.MAX_ROWS)}
                    )
                if self.row_number > bounds.MAX_PHYSICAL_ROWS:
                    raise FileRefused(
                        _(
                            "The nominations run past row %(count)s, with many empty rows between them; "
                            "delete the empty rows."
                        )
                        % {"count": _n(bounds.MAX_PHYSICAL_ROWS)}
                    )
                self.rows.append((self.row_number, self.row_cells))
            self.row_cells = None

    def value(self):
        cell = self.cell
        if cell["f"] is not None:
            return "=" + "".join(cell["f"])  # formulas are refused by the plan, as typed values
        kind = cell["type"]
        if kind == "inlineStr":
            return "".join(cell["is"] or [])
        raw = "".join(cell["v"] or [])
        if kind == "s":
            try:
                return self.shared[int(raw)]
            except (ValueError, IndexError):
                raise _damaged() from None
        if kind in ("str", "e"):
            return raw
        if kind == "b":
            return raw.strip() in ("1", "true")
        if not raw.strip():
            return None
        if kind == "d":
            try:
                return datetime.datetime.fromisoformat(raw.strip())
            except ValueError:
                return raw
        try:
            number = int(raw) if raw.strip().lstrip("-").isdigit() else float(raw)
        except ValueError:
            return raw
        if cell["style"] is not None and cell["style"].isdigit() and int(cell["style"]) in self.date_styles:
            try:
                return from_excel(number, self.epoch)
            except (ValueError, OverflowError, TypeError):
                return number
        return number


def _looks_like_headers(cells):
    return any(isinstance(value, str) and column_for_header(value) for value in cells.values())


def read_workbook(content: bytes) -> Workbook:
    """The rows of the first visible sheet with the template's headers (else the first visible sheet
    with anything in it), or FileRefused."""
    budget = Budget()
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        raise FileRefused(
            _("The file looks like an Excel workbook but is damaged and cannot be opened.")
        ) from None
    with archive:
        if len(archive.infolist()) > bounds.MAX_ZIP_MEMBERS:
            raise FileRefused(_("This is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file."))
        names = archive.NameToInfo
        if "xl/workbook.xml" not in names:
            if "content.xml" in names:
                raise FileRefused(
                    _("OpenDocument spreadsheets (.ods) are not read: save it as .xlsx or CSV UTF-8.")
                )
            raise FileRefused(_("This is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file."))
        sheets, date1904 = _sheets(archive, budget)
        sheets = [s for s in sheets if s.path in names]
        if not sheets:
            raise FileRefused(_("The workbook has no sheets."))
        date_styles = _date_styles(archive, budget)
        shared = _shared_strings(archive, budget)

        def read(sheet, header_only):
            reader = _SheetReader(budget, shared, date_styles, date1904, header_only)
            with contextlib.suppress(_Stop):
                _parse(archive, sheet.path, budget, reader.start, reader.end, reader.text)
            return reader.rows

        first_rows = {}
        for sheet in sheets:
            first_rows[sheet.name] = read(sheet, header_only=True)
        visible = [s for s in sheets if not s.hidden]
        chosen = next(
            (s for s in visible if first_rows[s.name] and _looks_like_headers(first_rows[s.name][0][1])), None
        )
        why = _("it is the first visible sheet with the template's headers.")
        if chosen is None:
            chosen = next((s for s in visible if first_rows[s.name]), None)
            why = _("it is the first visible sheet with anything in it.")
        if chosen is None:
            hidden = [s.name for s in sheets if s.hidden and first_rows[s.name]]
            if hidden:
                raise FileRefused(
                    _(
                        "The only filled sheets are hidden (%(sheets)s): unhide the sheet with the "
                        "nominations, or copy them to a visible sheet."
                    )
                    % {"sheets": ", ".join(f"“{name}”" for name in hidden)}
                )
            raise FileRefused(_("The file is empty: it has no headers and no rows."))
        notes = []
        if len(sheets) == 1:
            notes.append(
                _("Sheet “%(name)s” was read: it is the workbook's only sheet.") % {"name": chosen.name}
            )
        else:
            notes.append(
                _("The workbook has %(count)s sheets; “%(name)s” was read: %(why)s")
                % {"count": len(sheets), "name": chosen.name, "why": why}
            )
            for sheet in sheets:
                if sheet is chosen:
                    break
                if sheet.hidden:
                    notes.append(_("Sheet “%(name)s” is hidden and was not read.") % {"name": sheet.name})
                elif not first_rows[sheet.name]:
                    notes.append(_("Sheet “%(name)s” is empty and was not read.") % {"name": sheet.name})
                else:
                    notes.append(
                        _("Sheet “%(name)s” does not have the template's headers and was not read.")
                        % {"name": sheet.name}
                    )
        rows = read(chosen, header_only=False)
    return Workbook(rows=rows, sheet_name=chosen.name, notes=notes)

"""Hostile nominations files, built in memory (no large file is committed): the shapes an attacker's walk
found, at any size. Used by test_hostile_files.py and by bench/uploads.py."""

import io
import struct
import zipfile

from tests.data.imports.make_files import HEADERS, csv_text, nomination

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _column(index):
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def row_xml(number, values):
    cells = "".join(
        f'<c r="{_column(i)}{number}" t="inlineStr"><is><t>{_escape(str(v))}</t></is></c>'
        for i, v in enumerate(values)
        if v not in (None, "")
    )
    return f'<row r="{number}">{cells}</row>'


def workbook(sheets, shared_strings=None):
    """An .xlsx from [(name, state, sheet-data chunks)], chunks being strings or an iterable of them
    (streamed into the zip, so a sheet can be far larger than memory would like)."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        entries, rels = [], []
        for index, (name, state, _chunks) in enumerate(sheets, start=1):
            hidden = f' state="{state}"' if state != "visible" else ""
            entries.append(f'<sheet name="{name}" sheetId="{index}"{hidden} r:id="rId{index}"/>')
            target = f"worksheets/sheet{index}.xml"
            rels.append(f'<Relationship Id="rId{index}" Type="{_REL}/worksheet" Target="{target}"/>')
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{"".join(entries)}</sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(rels)
            + "</Relationships>",
        )
        if shared_strings is not None:
            with archive.open("xl/sharedStrings.xml", "w") as part:
                part.write(f'<sst xmlns="{_MAIN}">'.encode())
                for text in shared_strings:
                    part.write(b"<si><t>")
                    part.write(_escape(text).encode())
                    part.write(b"</t></si>")
                part.write(b"</sst>")
        for index, (_name, _state, chunks) in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{index}.xml", "w") as part:
                part.write(f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
                for chunk in [chunks] if isinstance(chunks, str) else chunks:
                    part.write(chunk.encode())
                part.write(b"</sheetData></worksheet>")
    return output.getvalue()


def nominations_sheet(rows):
    return "".join(row_xml(n, values) for n, values in enumerate(rows, start=1))


def good_sheet_rows(count=3):
    return [HEADERS, *[nomination(n) for n in range(1, count + 1)]]


def shared_string_bomb(size=20 * 1024 * 1024, uses=26):
    """One shared string of `size` characters, used by `uses` cells (the headers on row 1)."""
    cells = "".join(f'<c r="{_column(i)}2" t="s"><v>1</v></c>' for i in range(uses))
    headers = "".join(f'<c r="{_column(i)}1" t="s"><v>0</v></c>' for i in range(1))
    sheet = f'<row r="1">{headers}</row><row r="2">{cells}</row>'
    return workbook([("Nominations", "visible", sheet)], shared_strings=["English name", "A" * size])


def wide_row(cells=6_000_000):
    """One row with `cells` empty styled cells: tens of megabytes of sheet XML in a small file."""

    def chunks():
        yield '<row r="1">'
        batch = 10_000
        for start in range(0, cells, batch):
            yield '<c s="0"/>' * min(batch, cells - start)
        yield "</row>"

    return workbook([("Nominations", "visible", chunks())])


def understated_sizes(actual=50 * 1024 * 1024, declared=1024, filler="<row/>"):
    """A workbook whose zip directory says the sheet unpacks to `declared` bytes; it unpacks to `actual`."""

    def chunks():
        yield row_xml(1, HEADERS)
        filler_chunk = filler * (60_000 // len(filler))
        for _ in range(actual // len(filler_chunk)):
            yield filler_chunk

    content = bytearray(workbook([("Nominations", "visible", chunks())]))
    name = b"xl/worksheets/sheet1.xml"
    # The central directory entry: uncompressed size at +24, name length at +28, the name at +46.
    position = content.find(b"PK\x01\x02")
    while position != -1:
        length = struct.unpack_from("<H", content, position + 28)[0]
        if content[position + 46 : position + 46 + length] == name:
            struct.pack_into("<I", content, position + 24, declared)
            offset = struct.unpack_from("<I", content, position + 42)[0]
            struct.pack_into("<I", content, offset + 22, declared)  # the local header's too
        position = content.find(b"PK\x01\x02", position + 4)
    return bytes(content)


def cell_bomb(rows=20_000, width=50):
    """`rows` × `width` numeric cells: far more than any list of nominations, in a few megabytes."""

    def chunks():
        row = "".join(f'<c r="{_column(i)}{{n}}"><v>1</v></c>' for i in range(width))
        for number in range(1, rows + 1):
            yield f'<row r="{number}">' + row.replace("{n}", str(number)) + "</row>"

    return workbook([("Nominations", "visible", chunks())])


def long_cell_csv(length=1024 * 1024):
    return csv_text([nomination(1, **{"Why this officer": "x" * length})]).encode()


def long_cell_xlsx(length=1024 * 1024):
    values = nomination(1, **{"Why this officer": "x" * length})
    return workbook([("Nominations", "visible", nominations_sheet([HEADERS, values]))])


def many_rows_xlsx(count=50_000):
    """`count` nominations and not one empty row."""

    def chunks():
        yield row_xml(1, HEADERS)
        for n in range(1, count + 1):
            yield row_xml(n + 1, nomination(n))

    return workbook([("Nominations", "visible", chunks())])


def biggest_accepted_csv(limit=5 * 1024 * 1024):
    """5,000 nominations with long statements, just under the upload limit (the call's quotas refuse
    most rows: a bound on reading and checking, not on writing)."""
    rows = [nomination(n) for n in range(1, 5001)]
    base = len(csv_text(rows).encode())
    padding = max(0, (limit - base - 1024) // 5000)
    rows = [nomination(n, **{"Why this officer": "r" * min(padding, 999)}) for n in range(1, 5001)]
    return csv_text(rows).encode()


def biggest_valid_csv():
    """5,000 nominations with every free-text cell at its longest: the most characters a file holds
    (the call's quotas refuse most rows)."""
    rows = [
        nomination(
            n,
            **{
                "English name": f"CHOW Mei-ling {n} " + "x" * 170,
                "Post title": "Senior Engineer " + "p" * 180,
                "Why this officer": "Attached officer " + "r" * 230,
            },
        )
        for n in range(1, 5001)
    ]
    return csv_text(rows).encode()

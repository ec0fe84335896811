"""HTTP responses for exports, shared by the batch pages and the admin action. Each export is logged
(services.roster_export_record) once the number of rows written is known."""

import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.template.loader import render_to_string

from ..services import roster_export_record
from .base import CsvWriter, HtmlRowsWriter, XlsxWriter


def _logged_csv(exporter, *, batch, user, via):
    """The CSV bytes; the log row is written in `finally`, when the last chunk has gone (or the client
    went away), so it holds the number of rows actually sent without a separate COUNT query."""
    writer = CsvWriter()
    try:
        yield from writer.iter_bytes(exporter.iter_rows())
    finally:
        roster_export_record(batch=batch, user=user, format="csv", row_count=writer.row_count, via=via)


def export_response(exporter, *, extension, user, via):
    """A download of `exporter` as CSV (streamed as it is written) or Excel (written in constant memory
    to a temporary file, then streamed from it)."""
    batch = exporter.batch
    filename = exporter.filename(extension)
    if extension == "csv":
        response = StreamingHttpResponse(
            _logged_csv(exporter, batch=batch, user=user, via=via), content_type=CsvWriter.content_type
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    if extension == "xlsx":
        # FileResponse closes the file once sent, which deletes it.
        workbook = tempfile.TemporaryFile()  # noqa: SIM115
        writer = XlsxWriter(sheet_name=exporter.sheet_name)
        row_count = writer.write_to(workbook, exporter.iter_rows())
        roster_export_record(batch=batch, user=user, format="xlsx", row_count=row_count, via=via)
        workbook.seek(0)
        return FileResponse(
            workbook, as_attachment=True, filename=filename, content_type=XlsxWriter.content_type
        )
    raise ValueError(f"Unknown export format {extension!r}")


def print_response(exporter, *, request, template, context, user, via):
    """The print view, streamed: the template is rendered once with a mark where the rows go, then the
    rows are written in between. Logged like the files, with the format "print"."""
    mark = "<!--export-rows-->"
    rows = exporter.iter_rows()
    header = next(rows)
    page = render_to_string(template, {**context, "header": header, "rows_mark": mark}, request=request)
    before, after = page.split(mark, 1)
    return StreamingHttpResponse(_logged_print(before, rows, after, exporter=exporter, user=user, via=via))


def _logged_print(before, rows, after, *, exporter, user, via):
    writer = HtmlRowsWriter()
    try:
        yield before
        yield from writer.iter_html(rows)
        yield after
    finally:
        roster_export_record(
            batch=exporter.batch, user=user, format="print", row_count=writer.row_count, via=via
        )

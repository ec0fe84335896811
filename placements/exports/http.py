"""HTTP responses for exports, shared by the batch pages and the admin action; logged by logged.py."""

import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.template.loader import render_to_string

from .logged import export_stream, export_to_file, writer_for


def export_response(exporter, *, extension, user, via):
    """A download of `exporter` as CSV (streamed as it is written) or Excel (written in constant memory
    to a temporary file, then streamed from it)."""
    filename = exporter.filename(extension)
    if extension == "csv":
        writer = writer_for(exporter, "csv")
        chunks = writer.iter_bytes(exporter.iter_rows())
        response = StreamingHttpResponse(
            export_stream(exporter, writer, chunks, user=user, via=via), content_type=writer.content_type
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    if extension == "xlsx":
        writer = writer_for(exporter, "xlsx")
        # FileResponse closes the file once sent, which deletes it.
        workbook = tempfile.TemporaryFile()  # noqa: SIM115
        export_to_file(exporter, writer, workbook, user=user, via=via)
        workbook.seek(0)
        return FileResponse(workbook, as_attachment=True, filename=filename, content_type=writer.content_type)
    raise ValueError(f"Unknown export format {extension!r}")


def print_response(exporter, *, request, template, context, user, via):
    """The print view, streamed: the template is rendered once with a mark where the rows go, then the
    rows are written in between. Logged like the files, with the format "print"."""
    mark = "<!--export-rows-->"
    rows = exporter.iter_rows()
    header = next(rows)
    page = render_to_string(template, {**context, "header": header, "rows_mark": mark}, request=request)
    before, after = page.split(mark, 1)
    writer = writer_for(exporter, "print")
    return StreamingHttpResponse(
        export_stream(exporter, writer, _page(before, writer, rows, after), user=user, via=via)
    )


def _page(before, writer, rows, after):
    yield before
    yield from writer.iter_html(rows)
    yield after

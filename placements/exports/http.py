"""HTTP responses for exports, shared by the batch pages and the admin action; logged by logged.py."""

import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.template.loader import render_to_string

from core.cache_versions import MISSING

from ..figures import figures_lookup, figures_store
from .logged import export_stream, export_to_file, writer_for

# A CSV up to this size (about 3,000 roster rows) is kept in the cache under its batch's versions, as the
# batch page showing the same rows is: a roster downloaded again before anything in it changed is sent
# without being read and written again. A larger one is streamed each time, never held in memory.
CACHED_CSV_BYTES = 1_000_000


def export_response(exporter, *, extension, user, via, cached=False):
    """A download of `exporter` as CSV (streamed as it is written; with `cached`, kept in the cache when
    the exporter has a cache key and the file is small) or Excel (written in constant memory to a
    temporary file, then streamed from it). Every download is logged, from the cache too."""
    filename = exporter.filename(extension)
    if extension == "csv":
        writer = writer_for(exporter, "csv")
        key = exporter.cache_key("csv") if cached else None
        if key is None:
            chunks = writer.iter_bytes(exporter.iter_rows())
        else:
            chunks = _cached_chunks(exporter, writer, key)
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


def _cached_chunks(exporter, writer, key):
    """The file from the cache, or written as usual and kept if it is small and was sent to the end."""
    batch_id = exporter.batch.pk
    found, versions = figures_lookup(key, batch_id=batch_id)
    if found is not MISSING:
        content, writer.row_count = found
        yield content
        return
    kept, size = [], 0
    for chunk in writer.iter_bytes(exporter.iter_rows()):
        yield chunk
        size += len(chunk)
        if kept is not None and size <= CACHED_CSV_BYTES:
            kept.append(chunk)
        else:
            kept = None
    if kept is not None:
        figures_store(key, versions, (b"".join(kept), writer.row_count), batch_id=batch_id)


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

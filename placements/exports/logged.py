"""Running an export and logging it, in one place for the batch pages, the admin action and the command:
each export is recorded (services.roster_export_record) once the number of rows written is known."""

from ..services import roster_export_record
from .base import WRITERS


def writer_for(exporter, format):
    return WRITERS[format](sheet_name=exporter.sheet_name, language=getattr(exporter, "language", None))


def _record(exporter, writer, *, user, via):
    roster_export_record(
        batch=exporter.batch, user=user, format=writer.format, row_count=writer.row_count, via=via
    )


def export_to_file(exporter, writer, fileobj, *, user, via):
    """Write the whole export to a binary file object, then log it; returns the number of data rows."""
    row_count = writer.write_to(fileobj, exporter.iter_rows())
    _record(exporter, writer, user=user, via=via)
    return row_count


def export_stream(exporter, writer, chunks, *, user, via):
    """Yield `chunks` (what `writer` makes of the exporter's rows); the log row is written when the last
    chunk has gone, or the client went away, so it holds the rows actually sent without a COUNT query."""
    try:
        yield from chunks
    finally:
        _record(exporter, writer, user=user, via=via)

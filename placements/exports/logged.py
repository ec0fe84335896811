"""Running an export and logging it, in one place for the batch pages, the admin action and the command:
each export is recorded once the number of rows written is known. Roster exports go to RosterExport
(services.roster_export_record); contact-sheet downloads to their own access log, ContactSheetAccess
(services.contact_sheet_access_record), with whose details they held."""

from ..models import ContactSheetAccess
from ..services import contact_sheet_access_record, roster_export_record
from .base import WRITERS
from .contacts import ContactSheetExporter


def writer_for(exporter, format):
    return WRITERS[format](sheet_name=exporter.sheet_name, language=getattr(exporter, "language", None))


def _record(exporter, writer, *, user, via):
    if isinstance(exporter, ContactSheetExporter):
        contact_sheet_access_record(
            batch=exporter.batch,
            user=user,
            action=ContactSheetAccess.Action.CSV,
            officer_ids=exporter.officer_ids,
        )
        return
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

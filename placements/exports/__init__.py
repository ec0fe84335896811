"""Exports, as pretix lays them out: one exporter per output (roster.py, contacts.py), writers that stream
its rows (base.py), and plain-dict registries the views, the admin and the management command look up."""

from .base import FILE_FORMATS, WRITERS, CsvWriter, Exporter, HtmlRowsWriter, XlsxWriter
from .contacts import ContactSheetExporter
from .roster import RosterExporter

EXPORTERS = {RosterExporter.name: RosterExporter, ContactSheetExporter.name: ContactSheetExporter}

__all__ = [
    "EXPORTERS",
    "FILE_FORMATS",
    "WRITERS",
    "ContactSheetExporter",
    "CsvWriter",
    "Exporter",
    "HtmlRowsWriter",
    "RosterExporter",
    "XlsxWriter",
]

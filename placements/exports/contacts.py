"""The batch contact sheet: how to reach each participant while the batch is away, and whom to call in an
emergency. A separate export from the roster: the roster goes to the host side, these details do not."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.names import local_text, script_of, to_simplified

from ..selectors import contact_sheet
from .base import Exporter

CONTACT_SHEET_COLUMNS = (
    _("Officer name (English)"),
    _("Officer name (Chinese)"),
    _("Official email"),
    _("Office phone"),
    _("Mobile phone"),
    _("Emergency contact"),
    _("Relationship"),
    _("Emergency contact phone"),
    _("Dietary or access needs"),
    _("Host organisation"),
    _("Host supervisor"),
)


class ContactSheetExporter(Exporter):
    """A batch's active participants with their official e-mail, office phone and mobile, emergency
    contact, dietary or access needs, host organisation and host supervisor. Two queries (the batch is in
    hand; the rows with officer and host). `officer_ids` holds whose details were written, for the log."""

    name = "contacts"
    verbose_name = _("Batch contact sheet")

    def __init__(self, batch, *, language=None):
        self.batch = batch
        self.language = language or translation.get_language() or "en"
        self.officer_ids = []

    def filename_stem(self):
        return f"contacts-{self.batch.pk}-{self.batch.name}"

    def header(self):
        with translation.override(self.language):
            return tuple(str(title) for title in CONTACT_SHEET_COLUMNS)

    @property
    def sheet_name(self):
        with translation.override(self.language):
            return str(_("Contacts"))

    def iter_rows(self):
        yield self.header()
        simplified = script_of(self.language) == "zh-hans"
        for placement in contact_sheet(batch=self.batch):
            officer, host = placement.officer, placement.host_organisation
            self.officer_ids.append(officer.pk)
            name_zh = to_simplified(officer.name_zh) if simplified else officer.name_zh
            host_name = local_text(host.name_en, host.name_zh, self.language) if host else ""
            yield (
                officer.name_en,
                name_zh,
                officer.email,
                officer.phone,
                officer.mobile_phone,
                officer.emergency_contact_name,
                officer.emergency_contact_relationship,
                officer.emergency_contact_phone,
                officer.dietary_access_needs,
                host_name,
                placement.host_supervisor,
            )

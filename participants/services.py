"""Writes to officers and the civil-service reference data. Every write that enforces a rule is here."""

from django.db import transaction

from .models import Officer


@transaction.atomic
def officer_save(*, officer: Officer) -> Officer:
    """Validate and save an officer (new or changed); the e-mail is stored lower-case."""
    officer.email = (officer.email or "").strip().lower()
    officer.full_clean()
    officer.save()
    return officer


def officer_create(**fields) -> Officer:
    """Create an officer from field values, e.g. officer_create(name_en=…, email=…, home_department=…)."""
    return officer_save(officer=Officer(**fields))


# The fields a participant keeps current themselves; nothing else of their record is theirs to change.
OFFICER_DETAILS_FIELDS = (
    "mobile_phone",
    "emergency_contact_name",
    "emergency_contact_relationship",
    "emergency_contact_phone",
    "dietary_access_needs",
)


@transaction.atomic
def officer_update_details(*, officer: Officer, data, actor) -> Officer:
    """Save the details an officer keeps current (mobile, emergency contact, dietary or access needs).

    Only OFFICER_DETAILS_FIELDS are taken from `data`; any other key is ignored, so a tampered form
    cannot change a name, an e-mail or the staff notes. The audit trail records `actor` as the author."""
    for field in OFFICER_DETAILS_FIELDS:
        if field in data:
            setattr(officer, field, (data[field] or "").strip())
    officer.full_clean()
    officer._history_user = actor
    officer.save()
    return officer

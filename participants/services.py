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

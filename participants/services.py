"""Writes to officers and the civil-service reference data. Every write that enforces a rule is here."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
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
    "preferred_language",
    "email_reminders",
)


@transaction.atomic
def officer_update_details(*, officer: Officer, data, actor) -> Officer:
    """Save the details an officer keeps current (mobile, emergency contact, dietary or access needs).

    Only OFFICER_DETAILS_FIELDS are taken from `data`; any other key is ignored, so a tampered form
    cannot change a name, an e-mail or the staff notes. The audit trail records `actor` as the author."""
    for field in OFFICER_DETAILS_FIELDS:
        if field in data:
            value = data[field]
            setattr(officer, field, value if isinstance(value, bool) else (value or "").strip())
    officer.full_clean()
    officer._history_user = actor
    officer.save()


# The e-mail domain of anonymised officers (".invalid" can never be delivered to; RFC 2606).
ANONYMISED_EMAIL_DOMAIN = "anonymised.invalid"


def _anonymous_values(officer: Officer) -> dict:
    """Placeholders for every field that identifies or describes the person. What statistics need stays:
    home side, home department, rank (and so grade) and the Mainland home body."""
    return {
        "name_en": f"Anonymised officer {officer.pk}",
        "name_zh": "",
        "email": f"officer-{officer.pk}@{ANONYMISED_EMAIL_DOMAIN}",
        "phone": "",
        "post_title": "",
        "mobile_phone": "",
        "emergency_contact_name": "",
        "emergency_contact_relationship": "",
        "emergency_contact_phone": "",
        "dietary_access_needs": "",
        "notes": "",
    }


@transaction.atomic
def officer_anonymise(*, officer: Officer, reason: str, by=None) -> Officer:
    """Replace an officer's personal data with placeholders, in the officer row and in every historical
    row of it, and close their login account (kept, inactive and renamed, so that the audit trail's
    references to it still hold). The anonymisation itself is recorded in the audit trail with `reason`
    and the user `by` (None when run from a command without one)."""
    values = _anonymous_values(officer)
    for field, value in values.items():
        setattr(officer, field, value)
    user, officer.user = officer.user, None
    officer._change_reason = reason
    if by is not None:
        officer._history_user = by
    officer_save(officer=officer)
    # Past versions of the row held the same personal data; the new version (with the reason) is clean.
    Officer.history.filter(id=officer.pk).update(**values, user=None)
    if user is not None:
        old_username = user.username
        user.username = f"anonymised-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        for log in (AccessAttempt, AccessFailureLog, AccessLog):
            log.objects.filter(username=old_username).update(username=user.username)
    return officer

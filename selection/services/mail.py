"""The selection's e-mails: each written in its reader's language and sent through the portal's one
e-mail queue (logged, delivered after commit, retried)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from placements.models import OutgoingEmail
from placements.services import email_queue


def selection_email(*, to_address, to_name, language, compose, officer=None):
    """Queue one e-mail in `language`. `compose()` returns (subject, body) and runs with that language
    active, so every gettext in it is translated for the reader, not for whoever triggered the e-mail."""
    if not to_address:
        return None
    language = language if language in dict(settings.LANGUAGES) else "en"
    with translation.override(language):
        subject, body = compose()
        footer = _("Sign in to the Exchange Portal to see the details.")
        return email_queue(
            to_address=to_address,
            to_name=to_name,
            subject=str(subject),
            body=f"{body}\n\n{footer}",
            officer=officer,
            kind=OutgoingEmail.Kind.SELECTION,
        )

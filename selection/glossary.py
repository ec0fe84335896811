"""One glossary of the statuses a nomination and a placement go through, and of the officer's consent:
the label and a one-sentence explanation of each, in the reader's language. Pages show a status with the
`status_badge` template tag (selection_status), which explains it on hover and links to /statuses/, and
the selection's e-mails quote the same sentences."""

from django.utils.translation import gettext_lazy as _

from placements.models import Placement

from .models import Nomination

NOMINATION, CONSENT, PLACEMENT = "nomination", "consent", "placement"

GLOSSARY = {
    NOMINATION: {
        Nomination.Status.NOMINATED: (
            Nomination.Status.NOMINATED.label,
            _("The department has put the officer forward; CSB has not decided yet."),
        ),
        Nomination.Status.WITHDRAWN: (
            Nomination.Status.WITHDRAWN.label,
            _("The department took the nomination back before the call closed."),
        ),
        Nomination.Status.SHORTLISTED: (
            Nomination.Status.SHORTLISTED.label,
            _("CSB is considering the officer among its first choices; no place is promised yet."),
        ),
        Nomination.Status.RESERVE: (
            Nomination.Status.RESERVE.label,
            _("The officer may be selected if a place becomes free."),
        ),
        Nomination.Status.SELECTED: (
            Nomination.Status.SELECTED.label,
            _("CSB has chosen the officer: a placement is proposed to the host side, which confirms it."),
        ),
        Nomination.Status.DECLINED: (
            Nomination.Status.DECLINED.label,
            _("CSB did not select the officer for this batch; the reason is given with the decision."),
        ),
    },
    CONSENT: {
        Nomination.Consent.PENDING: (
            Nomination.Consent.PENDING.label,
            _(
                "The officer has not yet said whether they agree to be nominated; they cannot be selected "
                "until they do."
            ),
        ),
        Nomination.Consent.GIVEN: (
            Nomination.Consent.GIVEN.label,
            _("The officer agrees to be nominated and may be selected."),
        ),
        Nomination.Consent.REFUSED: (
            Nomination.Consent.REFUSED.label,
            _("The officer does not wish to be nominated; they cannot be selected."),
        ),
    },
    PLACEMENT: {
        Placement.Status.NOMINATED: (
            Placement.Status.NOMINATED.label,
            _("The officer is proposed for the batch and awaits the host side's confirmation."),
        ),
        Placement.Status.CONFIRMED: (
            Placement.Status.CONFIRMED.label,
            _(
                "The host has accepted the officer for an organisation and a role; the placement will go "
                "ahead."
            ),
        ),
        Placement.Status.IN_PROGRESS: (
            Placement.Status.IN_PROGRESS.label,
            _("The officer is on the placement now."),
        ),
        Placement.Status.COMPLETED: (
            Placement.Status.COMPLETED.label,
            _("The placement has ended."),
        ),
        Placement.Status.WITHDRAWN: (
            Placement.Status.WITHDRAWN.label,
            _("The placement will not go ahead (or was cut short); it is kept for the record."),
        ),
    },
}

# The headings of the glossary page's three sections.
KIND_TITLES = {
    NOMINATION: _("Nominations"),
    CONSENT: _("The officer's consent"),
    PLACEMENT: _("Placements"),
}

# Bootstrap colours of the badges (text-bg-*), chosen so that the text stays readable (AA contrast).
BADGE_COLOURS = {
    NOMINATION: {
        Nomination.Status.NOMINATED: "light",
        Nomination.Status.WITHDRAWN: "secondary",
        Nomination.Status.SHORTLISTED: "info",
        Nomination.Status.RESERVE: "warning",
        Nomination.Status.SELECTED: "success",
        Nomination.Status.DECLINED: "dark",
    },
    CONSENT: {
        Nomination.Consent.PENDING: "warning",
        Nomination.Consent.GIVEN: "success",
        Nomination.Consent.REFUSED: "danger",
    },
    PLACEMENT: {
        Placement.Status.NOMINATED: "light",
        Placement.Status.CONFIRMED: "success",
        Placement.Status.IN_PROGRESS: "primary",
        Placement.Status.COMPLETED: "secondary",
        Placement.Status.WITHDRAWN: "dark",
    },
}


def status_entry(value, kind):
    """(label, explanation) of a status `value` of `kind` ("nomination", "consent" or "placement");
    (value, "") for a value the glossary does not know."""
    return GLOSSARY.get(kind, {}).get(value, (value, ""))


def explanation(value, kind):
    """The one-sentence explanation of a status, in the active language."""
    return str(status_entry(value, kind)[1])

"""CSB's decisions on nominations: shortlist, reserve, decline (with a reason) or select, one at a time or in
bulk. Selecting creates the officer's placement (status nominated) through placement_create, so every
placement rule holds; taking a selection back withdraws that placement while the host has not confirmed it.
Each decision is e-mailed to the department's nominating officers and to the officer, in their language,
and recorded in the nomination's history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.names import local_field, local_name
from placements.models import Placement
from placements.services import placement_create, placement_save

from ..glossary import NOMINATION, explanation
from ..models import Call, CallHostPlaces, Nomination
from .mail import selection_email

DECISIONS = (
    Nomination.Status.SHORTLISTED,
    Nomination.Status.RESERVE,
    Nomination.Status.DECLINED,
    Nomination.Status.SELECTED,
)


def _locked(nomination):
    """The nomination as stored, its call's row locked so that two decisions on one call (counting its
    places) happen one after the other."""
    Call.objects.select_for_update().filter(pk=nomination.call_id).first()
    return Nomination.objects.select_related(
        "call__batch", "officer", "department", "placement", "proposed_host_organisation"
    ).get(pk=nomination.pk)


def _check_decidable(nomination, decision):
    """The refusals every decision shares: the nomination is withdrawn, the call is a draft or finished,
    or the nomination already has this status."""
    call = nomination.call
    if nomination.status == Nomination.Status.WITHDRAWN:
        raise ValidationError(_("The department withdrew this nomination: there is nothing to decide."))
    if call.status == Call.Status.DRAFT:
        raise ValidationError(_("The call is still a draft: open it before deciding on nominations."))
    if call.status == Call.Status.CLOSED:
        raise ValidationError(_("The selection for this call is finished: reopen the call first."))
    if nomination.status == decision:
        raise ValidationError(
            _("This nomination is already %(status)s.") % {"status": Nomination.Status(decision).label}
        )


def _unselect(nomination):
    """Taking a selection back: its placement is withdrawn while it still awaits the host; once the host
    has confirmed it, CSB must withdraw the placement itself first."""
    placement = nomination.placement
    if nomination.status != Nomination.Status.SELECTED or placement is None:
        return
    if placement.status == Placement.Status.WITHDRAWN:
        return
    if placement.status != Placement.Status.NOMINATED:
        raise ValidationError(
            _(
                "The host has already confirmed %(name)s's placement (%(status)s): withdraw the placement "
                "first, then change the decision."
            )
            % {"name": nomination.officer.name_en, "status": placement.get_status_display().lower()}
        )
    placement.status = Placement.Status.WITHDRAWN
    placement_save(placement=placement)


def _record(nomination, *, decision, actor, reason):
    nomination.status = decision
    nomination.decision_reason = reason
    nomination.decided_by = actor
    nomination.decided_at = timezone.now()
    nomination._history_user = actor
    nomination.full_clean()
    nomination.save()
    _notify(nomination)
    return nomination


def _notify(nomination):
    """Tell the officer and the department's nominating officers, each in their language."""
    officer, call = nomination.officer, nomination.call

    def lines():
        status = Nomination.Status(nomination.status).label
        batch = local_field(call.batch, "name")
        out = [
            _("Decision: %(status)s.") % {"status": status},
            str(explanation(nomination.status, NOMINATION)),
        ]
        if nomination.status == Nomination.Status.SELECTED and nomination.proposed_host_organisation:
            out.append(
                _("Proposed host organisation: %(host)s.")
                % {"host": local_name(nomination.proposed_host_organisation)}
            )
        if nomination.decision_reason:
            out.append(_("Reason: %(reason)s") % {"reason": nomination.decision_reason})
        return batch, status, out

    def to_officer():
        batch, status, out = lines()
        subject = _("Your nomination for %(batch)s: %(status)s") % {"batch": batch, "status": status}
        return subject, "\n".join(out)

    selection_email(
        to_address=officer.email,
        to_name=officer.name_en,
        language=officer.preferred_language,
        compose=to_officer,
        officer=officer,
    )

    def to_nominator():
        batch, status, out = lines()
        subject = _("Nomination of %(name)s for %(batch)s: %(status)s") % {
            "name": officer.name_en,
            "batch": batch,
            "status": status,
        }
        intro = _("CSB has decided on %(department)s's nomination of %(name)s.") % {
            "department": local_name(nomination.department),
            "name": officer.name_en,
        }
        return subject, "\n".join([intro, *out])

    for nominator in nomination.department.nominating_officers.order_by("name"):
        selection_email(
            to_address=nominator.email,
            to_name=nominator.name,
            language=nominator.preferred_language,
            compose=to_nominator,
        )


@transaction.atomic
def nomination_shortlist(*, nomination, actor, reason="") -> Nomination:
    """Put a nomination on the shortlist. Refusals: see _check_decidable; taking back a selection whose
    placement the host has confirmed."""
    nomination = _locked(nomination)
    _check_decidable(nomination, Nomination.Status.SHORTLISTED)
    _unselect(nomination)
    return _record(nomination, decision=Nomination.Status.SHORTLISTED, actor=actor, reason=reason)


@transaction.atomic
def nomination_reserve(*, nomination, actor, reason="") -> Nomination:
    """Keep a nomination in reserve, in case a place becomes free. Refusals as nomination_shortlist."""
    nomination = _locked(nomination)
    _check_decidable(nomination, Nomination.Status.RESERVE)
    _unselect(nomination)
    return _record(nomination, decision=Nomination.Status.RESERVE, actor=actor, reason=reason)


@transaction.atomic
def nomination_decline(*, nomination, actor, reason) -> Nomination:
    """Decline a nomination ("not selected"), with the reason the department and the officer are told.
    Refusals as nomination_shortlist, and an empty reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"decision_reason": _("Give the reason for not selecting the officer.")})
    nomination = _locked(nomination)
    _check_decidable(nomination, Nomination.Status.DECLINED)
    _unselect(nomination)
    return _record(nomination, decision=Nomination.Status.DECLINED, actor=actor, reason=reason)


def _check_places(nomination, host_organisation):
    call = nomination.call
    selected = call.nominations.filter(status=Nomination.Status.SELECTED)
    if selected.count() >= call.places:
        raise ValidationError(
            _("All %(places)s places of this call are taken: decide on a selected officer first.")
            % {"places": call.places}
        )
    if host_organisation is not None:
        offered = CallHostPlaces.objects.filter(call=call, host_organisation=host_organisation).first()
        if offered is not None:
            taken = selected.filter(proposed_host_organisation=host_organisation).count()
            if taken >= offered.places:
                raise ValidationError(
                    {
                        "proposed_host_organisation": _(
                            "All %(places)s places at %(host)s are taken; propose another host organisation."
                        )
                        % {"places": offered.places, "host": host_organisation.name_en}
                    }
                )


@transaction.atomic
def nomination_select(*, nomination, actor, host_organisation=None, reason="") -> Nomination:
    """Select the officer: their placement in the batch is created (status nominated, awaiting the host)
    through placement_create, with the preferred focus areas the batch has and the proposed host
    organisation (or none yet). A selection taken back earlier has its withdrawn placement proposed again.

    Refusals: those of _check_decidable (withdrawn, draft or finished call, already selected); the
    officer's consent not given; the call's places all taken, or the host organisation's; and every
    placement rule (the officer's other placement at the same time, the host outside the batch's
    municipality, the officer from the wrong side…)."""
    nomination = _locked(nomination)
    _check_decidable(nomination, Nomination.Status.SELECTED)
    if nomination.consent != Nomination.Consent.GIVEN:
        raise ValidationError(
            _("%(name)s has not given their consent (%(consent)s): they cannot be selected.")
            % {"name": nomination.officer.name_en, "consent": nomination.get_consent_display().lower()}
        )
    _check_places(nomination, host_organisation)
    batch = nomination.call.batch
    batch_focus = set(batch.focus_areas.values_list("pk", flat=True))
    focus_areas = [area for area in nomination.focus_areas.all() if area.pk in batch_focus]
    placement = nomination.placement
    if placement is None:
        placement = placement_create(
            officer=nomination.officer,
            batch=batch,
            focus_areas=focus_areas,
            host_organisation=host_organisation,
            status=Placement.Status.NOMINATED,
        )
    else:
        if placement.status != Placement.Status.WITHDRAWN:
            raise ValidationError(
                _("%(name)s already has a placement in this batch (%(status)s).")
                % {"name": nomination.officer.name_en, "status": placement.get_status_display().lower()}
            )
        placement.status = Placement.Status.NOMINATED
        placement.host_organisation = host_organisation
        placement_save(placement=placement, focus_areas=focus_areas)
    nomination.placement = placement
    nomination.proposed_host_organisation = host_organisation
    return _record(nomination, decision=Nomination.Status.SELECTED, actor=actor, reason=reason)


_SINGLE = {
    Nomination.Status.SHORTLISTED: nomination_shortlist,
    Nomination.Status.RESERVE: nomination_reserve,
    Nomination.Status.DECLINED: nomination_decline,
    Nomination.Status.SELECTED: nomination_select,
}


def _messages(error):
    return list(error.messages)


@transaction.atomic
def nominations_decide(*, nominations, decision, actor, reason="", host_organisation=None) -> list:
    """The same decision on several nominations, all or nothing: when any is refused, none changes and
    the error names each refused officer with the reason. In the department's and ranking's order, so
    that when the places run out the department's first choices come first."""
    if decision not in _SINGLE:
        raise ValidationError(_("Choose a decision: shortlist, reserve, decline or select."))
    if decision == Nomination.Status.DECLINED and not (reason or "").strip():
        raise ValidationError({"decision_reason": _("Give the reason for not selecting these officers.")})
    rows = sorted(
        nominations,
        key=lambda n: (n.department.abbreviation if n.department_id else "", n.department_ranking),
    )
    if not rows:
        raise ValidationError(_("Choose at least one nomination."))
    decided, refused = [], []
    for nomination in rows:
        kwargs = {"nomination": nomination, "actor": actor, "reason": reason}
        if decision == Nomination.Status.SELECTED:
            kwargs["host_organisation"] = host_organisation
        try:
            decided.append(_SINGLE[decision](**kwargs))
        except ValidationError as error:
            refused.append(
                _("%(name)s: %(reasons)s")
                % {"name": nomination.officer.name_en, "reasons": " ".join(_messages(error))}
            )
    if refused:
        raise ValidationError(refused)
    return decided

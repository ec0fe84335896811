"""The host side's answer to each selected officer: accept them for an organisation and a role, naming
the host supervisor (the placement becomes confirmed), or ask CSB for a change with a reason; CSB
resolves each change request. Every e-mail goes out after commit, in its reader's language."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.names import local_field, local_name, person_name
from core.roles import CSB_STAFF, HOST_COORDINATOR, NOMINATING_OFFICER
from placements.models import Placement
from placements.services import placement_save
from selection.models import HostChangeRequest, HostCoordinator, NominatingOfficer
from selection.services.mail import selection_email

HOST_PAGE = "/host/placements/{pk}/"
CHANGE_REQUEST_ADMIN_PAGE = "/admin/selection/hostchangerequest/{pk}/change/"


def _host_scope(actor):
    """The host organisations `actor` answers for (a queryset of ids), or None for CSB staff, who may
    act for any host organisation."""
    coordinator = HostCoordinator.objects.filter(user=actor).first()
    if coordinator is not None:
        return set(coordinator.host_organisations.values_list("pk", flat=True))
    if actor.is_active and actor.has_perm("placements.change_placement"):
        return None
    return set()


def _refuse_unless_awaiting_host(placement):
    """Only a placement made by a selection and not yet answered by the host may be accepted or changed."""
    if not hasattr(placement, "nomination"):
        raise ValidationError(
            _("This placement was not proposed by a selection: CSB arranges it with the host directly.")
        )
    if placement.status != Placement.Status.NOMINATED:
        raise ValidationError(
            _("This placement is not awaiting the host: it is %(status)s.")
            % {"status": placement.get_status_display().lower()}
        )


def _refuse_outside_scope(scope, organisation, field="host_organisation"):
    if scope is None:
        return
    if organisation is None or organisation.pk not in scope:
        raise ValidationError(
            {field: _("You do not answer for this host organisation; only its own host coordinator can.")}
        )


def _locked(placement):
    """The placement re-read under a row lock, so two answers at once cannot both pass the checks."""
    return Placement.objects.select_for_update().get(pk=placement.pk)


@transaction.atomic
def placement_host_accept(
    *, placement, actor, role, host_supervisor, role_zh="", host_organisation=None
) -> Placement:
    """The host accepts a selected officer: for `host_organisation` (the proposed one when None, or
    another of the coordinator's organisations in the batch's municipality), in `role`, under
    `host_supervisor`. The placement becomes confirmed through placement_save (so every placement rule
    holds and the officer is told, in their language); the department's nominating officers are e-mailed.

    Refuses: a placement not awaiting the host; an organisation the actor does not answer for; an empty
    role or supervisor; a change request still open with CSB."""
    placement = _locked(placement)
    _refuse_unless_awaiting_host(placement)
    scope = _host_scope(actor)
    _refuse_outside_scope(scope, placement.host_organisation)
    if host_organisation is not None:
        _refuse_outside_scope(scope, host_organisation)
    errors = {}
    role, role_zh, host_supervisor = (
        (role or "").strip(),
        (role_zh or "").strip(),
        (host_supervisor or "").strip(),
    )
    if not role:
        errors["role"] = _(
            "Give the officer's role at the host, e.g. Special assistant to a deputy director."
        )
    if not host_supervisor:
        errors["host_supervisor"] = _("Name the officer's supervisor at the host.")
    if errors:
        raise ValidationError(errors)
    open_request = placement.host_change_requests.filter(resolved_at__isnull=True).first()
    if open_request is not None:
        raise ValidationError(
            _(
                "A change to this placement was asked for on %(day)s and CSB has not resolved it yet; "
                "accept the officer once CSB has answered."
            )
            % {"day": date_format(timezone.localtime(open_request.created_at), "DATE_FORMAT")}
        )
    if host_organisation is not None:
        placement.host_organisation = host_organisation
    placement.role, placement.role_zh, placement.host_supervisor = role, role_zh, host_supervisor
    placement.status = Placement.Status.CONFIRMED
    placement_save(placement=placement)
    _tell_nominators_accepted(placement)
    return placement


def _tell_nominators_accepted(placement):
    nomination = placement.nomination
    for nominator in NominatingOfficer.objects.filter(departments=nomination.department_id).order_by("name"):

        def compose(placement=placement):
            values = {
                "officer": person_name(placement.officer),
                "host": local_name(placement.host_organisation),
                "batch": local_field(placement.batch, "name"),
            }
            subject = _("%(officer)s is accepted by %(host)s") % values
            lines = [
                _("The host side has accepted %(officer)s for %(batch)s at %(host)s.") % values,
                _("Role at the host: %(role)s.") % {"role": local_field(placement, "role")},
                _("Dates: %(start)s to %(end)s.")
                % {
                    "start": date_format(placement.start_date, "DATE_FORMAT"),
                    "end": date_format(placement.end_date, "DATE_FORMAT"),
                },
                _("The placement is now confirmed."),
            ]
            return subject, "\n".join(lines)

        selection_email(
            to_address=nominator.email,
            to_name=nominator.name,
            language=nominator.preferred_language,
            compose=compose,
        )


@transaction.atomic
def host_change_request_create(*, placement, actor, reason) -> HostChangeRequest:
    """The host asks CSB to change a proposed placement (another officer, organisation or timing), with
    its reason; CSB staff with an e-mail address are told. Until CSB resolves it the placement cannot be
    accepted.

    Refuses: an empty reason; a placement not awaiting the host; an organisation the actor does not
    answer for; a change request already open for this placement."""
    placement = _locked(placement)
    _refuse_unless_awaiting_host(placement)
    _refuse_outside_scope(_host_scope(actor), placement.host_organisation, field="__all__")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what should change and why, so CSB can act on it.")})
    if placement.host_change_requests.filter(resolved_at__isnull=True).exists():
        raise ValidationError(
            _("A change to this placement is already with CSB; they answer it before another can be asked.")
        )
    change_request = HostChangeRequest(placement=placement, requested_by=actor, reason=reason)
    change_request.full_clean()
    change_request.save()
    _tell_csb(change_request)
    return change_request


def _requester_name(change_request):
    coordinator = HostCoordinator.objects.filter(user_id=change_request.requested_by_id).first()
    return coordinator.name if coordinator else str(change_request.requested_by or "")


def _tell_csb(change_request):
    placement = change_request.placement
    staff = (
        get_user_model()
        .objects.filter(groups__name=CSB_STAFF, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .distinct()
    )
    requester = _requester_name(change_request)
    for user in staff:

        def compose():
            values = {
                "officer": person_name(placement.officer),
                "host": local_name(placement.host_organisation),
            }
            subject = _("The host asks for a change: %(officer)s at %(host)s") % values
            lines = [
                _("%(person)s asks for a change to the placement of %(officer)s at %(host)s (%(batch)s).")
                % {**values, "person": requester, "batch": local_field(placement.batch, "name")},
                _("Reason: %(reason)s") % {"reason": change_request.reason},
                _("Resolve it in the admin: %(link)s")
                % {"link": CHANGE_REQUEST_ADMIN_PAGE.format(pk=change_request.pk)},
            ]
            return subject, "\n".join(lines)

        selection_email(to_address=user.email, to_name=user.get_full_name(), language="en", compose=compose)


@transaction.atomic
def host_change_request_resolve(*, change_request, actor, resolution) -> HostChangeRequest:
    """CSB records what it did about a change request (changed the placement, proposed another officer,
    or explained why not); the placement can then be accepted again. The host coordinator who asked is
    e-mailed in their language.

    Refuses: anyone but CSB staff; an empty resolution; a request already resolved."""
    if not (actor.is_active and actor.has_perm("selection.change_hostchangerequest")):
        raise ValidationError(_("Only CSB staff resolve the host's change requests."))
    change_request = HostChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if change_request.resolved_at is not None:
        raise ValidationError(
            _("This change request was already resolved on %(day)s.")
            % {"day": date_format(timezone.localtime(change_request.resolved_at), "DATE_FORMAT")}
        )
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("Say what CSB did about the request, for the host to read.")})
    change_request.resolution = resolution
    change_request.resolved_by = actor
    change_request.resolved_at = timezone.now()
    change_request.full_clean()
    change_request.save()
    _tell_requester(change_request)
    return change_request


def _tell_requester(change_request):
    coordinator = HostCoordinator.objects.filter(user_id=change_request.requested_by_id).first()
    if coordinator is None:
        return
    placement = change_request.placement

    def compose():
        values = {"officer": person_name(placement.officer), "host": local_name(placement.host_organisation)}
        subject = _("CSB has answered your change request: %(officer)s") % values
        lines = [
            _("CSB has answered your request to change the placement of %(officer)s at %(host)s.") % values,
            _("What CSB did: %(resolution)s") % {"resolution": change_request.resolution},
            _("Open the placement: %(link)s") % {"link": HOST_PAGE.format(pk=placement.pk)},
        ]
        return subject, "\n".join(lines)

    selection_email(
        to_address=coordinator.email,
        to_name=coordinator.name,
        language=coordinator.preferred_language,
        compose=compose,
    )


# --- The liaisons' profiles (CSB in the admin) --------------------------------------------------------------


def _profile_save(profile, *, role, scope_field, scope):
    if profile.user_id and profile.user.is_staff:
        raise ValidationError(
            {"user": _("CSB staff accounts work in the admin; give the liaison an account of their own.")}
        )
    profile.full_clean()
    profile.save()
    if scope is not None:
        getattr(profile, scope_field).set(scope)
    if not getattr(profile, scope_field).exists():
        raise ValidationError({scope_field: _("Choose at least one; the liaison sees nothing otherwise.")})
    group = Group.objects.get(name=role)
    if not profile.user.groups.filter(pk=group.pk).exists():
        profile.user.groups.add(group)
    return profile


@transaction.atomic
def host_coordinator_save(*, coordinator, host_organisations=None) -> HostCoordinator:
    """Save a host coordinator's profile and its host organisations (when given), and put the user in
    the Host coordinator group, whose pages they use. Refuses a CSB staff account and a profile with no
    host organisation."""
    return _profile_save(
        coordinator, role=HOST_COORDINATOR, scope_field="host_organisations", scope=host_organisations
    )


@transaction.atomic
def nominating_officer_save(*, nominating_officer, departments=None) -> NominatingOfficer:
    """Save a nominating officer's profile and its departments (when given), and put the user in the
    Nominating officer group. Refuses a CSB staff account and a profile with no department."""
    return _profile_save(
        nominating_officer, role=NOMINATING_OFFICER, scope_field="departments", scope=departments
    )

"""CSB's call for nominations: set it up, open it (the invited departments' nominating officers are told),
reopen it after its closing date, and close it when the selection is finished."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.names import local_field, local_text

from ..models import Call, CallHostPlaces, CallInvitation, NominatingOfficer, Nomination
from .mail import selection_email


def _fmt(day):
    return date_format(day, "DATE_FORMAT")


def call_nominations_path(call):
    """Where a nominating officer sees the call and nominates (the nominating app's page)."""
    return f"/nominations/calls/{call.pk}/"


def call_accepts_nominations(call, today=None) -> bool:
    """Whether departments may nominate (and withdraw) now: the call is open and today lies between its
    opening and closing dates."""
    today = today or timezone.localdate()
    return call.status == Call.Status.OPEN and call.opens_on <= today <= call.closes_on


def _pairs(rows):
    """(object, number) pairs as given (tuples or two-item lists)."""
    return [(obj, int(number)) for obj, number in rows] if rows is not None else None


def call_validate(*, call, eligible_grades=None, eligible_ranks=None, invitations=None, host_places=None):
    """The rules of a call that span rows, each refusal keyed by field: it closes on or after it opens;
    the eligible ranks belong to the eligible grades (when grades are named); no department is invited
    twice, none with nominations is dropped and no quota falls below the nominations already made; the
    host organisations lie in the batch's municipality, each once, and their places add up to no more
    than the call's places; the places are no fewer than the officers already selected.

    `invitations` are (department, quota) pairs and `host_places` (host organisation, places) pairs, as
    they will be saved (None: unchanged)."""
    errors = {}
    if call.opens_on and call.closes_on and call.closes_on < call.opens_on:
        errors["closes_on"] = _("The call closes on %(closes)s, before it opens (%(opens)s).") % {
            "closes": _fmt(call.closes_on),
            "opens": _fmt(call.opens_on),
        }
    if eligible_grades and eligible_ranks:
        grade_ids = {grade.pk for grade in eligible_grades}
        outside = [rank for rank in eligible_ranks if rank.grade_id not in grade_ids]
        if outside:
            errors["eligible_ranks"] = _("%(ranks)s not of the eligible grades.") % {
                "ranks": ", ".join(rank.name_en for rank in outside)
            }
    if invitations is not None:
        seen, twice = set(), []
        for department, _quota in invitations:
            if department.pk in seen:
                twice.append(department.abbreviation or department.name_en)
            seen.add(department.pk)
        if twice:
            errors["invitations"] = _("%(departments)s invited twice; invite each department once.") % {
                "departments": ", ".join(twice)
            }
        elif call.pk:
            nominated = _nominations_by_department(call)
            quotas = {department.pk: quota for department, quota in invitations}
            dropped = [name for pk, (name, count) in nominated.items() if pk not in quotas]
            short = [
                _("%(department)s has %(count)s nominations, more than a quota of %(quota)s")
                % {"department": name, "count": count, "quota": quotas[pk]}
                for pk, (name, count) in nominated.items()
                if pk in quotas and count > quotas[pk]
            ]
            if dropped:
                errors["invitations"] = _(
                    "%(departments)s already nominated officers to this call; they stay invited."
                ) % {"departments": ", ".join(dropped)}
            elif short:
                errors["invitations"] = "; ".join(short) + "."
    if host_places is not None and call.batch_id:
        city = call.batch.host_municipality
        outside = [host.name_en for host, _places in host_places if host.municipality_id != city.pk]
        seen, twice = set(), []
        for host, _places in host_places:
            if host.pk in seen:
                twice.append(host.name_en)
            seen.add(host.pk)
        total = sum(places for _host, places in host_places)
        if outside:
            errors["host_places"] = _("%(hosts)s not in %(city)s, the batch's host municipality.") % {
                "hosts": ", ".join(outside),
                "city": city.name_en,
            }
        elif twice:
            errors["host_places"] = _("%(hosts)s listed twice; give each host organisation once.") % {
                "hosts": ", ".join(twice)
            }
        elif call.places and total > call.places:
            errors["host_places"] = _(
                "The host organisations' places add up to %(total)s, more than the call's %(places)s."
            ) % {"total": total, "places": call.places}
    if call.pk and call.places:
        selected = call.nominations.filter(status=Nomination.Status.SELECTED).count()
        if selected > call.places:
            errors["places"] = _(
                "%(count)s officers are already selected: the call needs at least as many places."
            ) % {"count": selected}
    if errors:
        raise ValidationError(errors)


def _nominations_by_department(call):
    """{department pk: (abbreviation, nominations not withdrawn)} for a stored call."""
    rows = (
        call.nominations.exclude(status=Nomination.Status.WITHDRAWN)
        .values_list("department_id", "department__abbreviation")
        .order_by()
    )
    counts = {}
    for pk, name in rows:
        counts[pk] = (name, counts.get(pk, (name, 0))[1] + 1)
    return counts


@transaction.atomic
def call_save(*, call, eligible_grades=None, eligible_ranks=None, invitations=None, host_places=None) -> Call:
    """Validate and save a call (new or changed); the many-to-many fields, the invited departments
    ((department, quota) pairs) and the host organisations' places ((host organisation, places) pairs)
    are replaced when given. Refusals: see call_validate. Its status changes only through call_open,
    call_reopen and call_close."""
    invitations = _pairs(invitations)
    host_places = _pairs(host_places)
    # The rules across rows first: their messages (keyed by field) say more than the table's constraint.
    call_validate(
        call=call,
        eligible_grades=eligible_grades,
        eligible_ranks=eligible_ranks,
        invitations=invitations,
        host_places=host_places,
    )
    call.full_clean()
    call.save()
    if eligible_grades is not None:
        call.eligible_grades.set(eligible_grades)
    if eligible_ranks is not None:
        call.eligible_ranks.set(eligible_ranks)
    if invitations is not None:
        wanted = {department.pk: quota for department, quota in invitations}
        call.invitations.exclude(department_id__in=wanted).delete()
        for department_id, quota in wanted.items():
            CallInvitation.objects.update_or_create(
                call=call, department_id=department_id, defaults={"quota": quota}
            )
    if host_places is not None:
        wanted = {host.pk: places for host, places in host_places}
        call.host_places.exclude(host_organisation_id__in=wanted).delete()
        for host_id, places in wanted.items():
            CallHostPlaces.objects.update_or_create(
                call=call, host_organisation_id=host_id, defaults={"places": places}
            )
    return call


def call_nominators(call):
    """The nominating officers of the call's invited departments, each once."""
    invited = call.invitations.values("department_id")
    return NominatingOfficer.objects.filter(departments__in=invited).distinct().order_by("name")


def _tell_nominators(call, compose):
    """E-mail each nominating officer of the invited departments, in their language."""
    for nominator in call_nominators(call):
        selection_email(
            to_address=nominator.email,
            to_name=nominator.name,
            language=nominator.preferred_language,
            compose=lambda nominator=nominator: compose(nominator),
        )


def _call_lines(call):
    lines = [
        _("Batch: %(batch)s.") % {"batch": local_field(call.batch, "name")},
        _("Nominations close on %(day)s.") % {"day": _fmt(call.closes_on)},
    ]
    eligibility = local_text(call.eligibility_en, call.eligibility_zh)
    if eligibility:
        lines.append(_("Who is eligible: %(who)s") % {"who": eligibility})
    lines.append(_("Nominate and follow your nominees at %(link)s") % {"link": call_nominations_path(call)})
    return lines


@transaction.atomic
def call_open(*, call, actor) -> Call:
    """Open a draft call: departments may nominate from its opening date. Each invited department's
    nominating officers get an e-mail in their language with the closing date and the link to the call.
    Refuses a call that is not a draft, one without invited departments and one whose closing date has
    passed."""
    call = Call.objects.select_for_update().select_related("batch").get(pk=call.pk)
    if call.status != Call.Status.DRAFT:
        raise ValidationError(
            {
                "status": _("This call is %(status)s, not a draft: it was opened already.")
                % {"status": call.get_status_display().lower()}
            }
        )
    if not call.invitations.exists():
        raise ValidationError({"invitations": _("Invite at least one department before opening the call.")})
    if call.closes_on < timezone.localdate():
        raise ValidationError(
            {
                "closes_on": _("The call closed on %(day)s; set a later closing date before opening it.")
                % {"day": _fmt(call.closes_on)}
            }
        )
    call.status = Call.Status.OPEN
    call.opened_at = timezone.now()
    call.full_clean()
    call._history_user = actor
    call.save(update_fields=["status", "opened_at", "updated_at"])

    def compose(nominator):
        subject = _("Call for nominations: %(batch)s") % {"batch": local_field(call.batch, "name")}
        intro = _("The Civil Service Bureau invites your department to nominate officers for %(batch)s.") % {
            "batch": local_field(call.batch, "name")
        }
        return subject, "\n".join([intro, *_call_lines(call)])

    _tell_nominators(call, compose)
    return call


@transaction.atomic
def call_reopen(*, call, closes_on, actor) -> Call:
    """Give departments until `closes_on` (today or later) to nominate again: a closed call is open once
    more, an open one gets the later date. The nominating officers are told by e-mail. CSB only (the
    admin; `actor` None for a management command). Refuses anyone else, a draft (open it instead) and a
    closing date in the past or before the call opens."""
    if actor is not None and not actor.has_perm("selection.change_call"):
        raise ValidationError(_("Only CSB staff can reopen a call."))
    call = Call.objects.select_for_update().select_related("batch").get(pk=call.pk)
    if call.status == Call.Status.DRAFT:
        raise ValidationError({"status": _("This call is still a draft: open it instead.")})
    today = timezone.localdate()
    if closes_on is None or closes_on < today:
        raise ValidationError({"closes_on": _("Choose a new closing date of today or later.")})
    if closes_on < call.opens_on:
        raise ValidationError(
            {
                "closes_on": _("The call opens on %(day)s: it cannot close before that.")
                % {"day": _fmt(call.opens_on)}
            }
        )
    call.closes_on = closes_on
    call.status = Call.Status.OPEN
    call.full_clean()
    call._history_user = actor
    call.save(update_fields=["closes_on", "status", "updated_at"])

    def compose(nominator):
        subject = _("Call for nominations reopened: %(batch)s") % {"batch": local_field(call.batch, "name")}
        intro = _("The Civil Service Bureau has reopened the call for nominations for %(batch)s.") % {
            "batch": local_field(call.batch, "name")
        }
        return subject, "\n".join([intro, *_call_lines(call)])

    _tell_nominators(call, compose)
    return call


@transaction.atomic
def call_close(*, call, actor) -> Call:
    """Mark an open call's selection finished: no more nominations or decisions until CSB reopens it.
    Refuses a call that is not open."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status != Call.Status.OPEN:
        raise ValidationError(
            {
                "status": _("Only an open call can be closed; this one is %(status)s.")
                % {"status": call.get_status_display().lower()}
            }
        )
    call.status = Call.Status.CLOSED
    call.full_clean()
    call._history_user = actor
    call.save(update_fields=["status", "updated_at"])
    return call

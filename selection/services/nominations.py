"""The departments' nominations and the officer's consent: create, update, withdraw, consent.

A department's nominating officer nominates an officer of that department to a call that invites it; the
nominations import and CSB staff use the same services. Every rule of a nomination is in
`nomination_validate`, so the portal, the admin and the import refuse the same things with the same words.
Creating a nomination asks the officer for their consent (a notice and an e-mail in their language) and
confirms to the nominating officers; withdrawing tells the officer; the officer's answer tells the
nominating officers."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.names import local_field, local_name, person_name
from participants.models import Officer
from participants.services import officer_save
from placements.models import Batch
from placements.services import notice_create

from ..models import Call, CallInvitation, NominatingOfficer, Nomination
from .calls import call_accepts_nominations
from .mail import selection_email

# The statuses in which a nomination is still the department's to change: after any of CSB's decisions
# it is CSB's.
UNDECIDED = (Nomination.Status.NOMINATED,)
# The officer may answer (or change their answer) until CSB's final decision.
CONSENT_OPEN = (Nomination.Status.NOMINATED, Nomination.Status.SHORTLISTED, Nomination.Status.RESERVE)
# What nomination_update may change; the call, the officer and the department are the nomination itself.
UPDATABLE_FIELDS = (
    "department_ranking",
    "endorsed_by_name",
    "endorsed_by_post",
    "endorsed_on",
    "statement",
    "focus_areas",
)

# The import's name rules (selection/imports/plan.py), for an officer added on the nomination form.
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_NOT_CHINESE = re.compile(
    r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f\u00b7\u2027\u30fb ]"
)


def _not_accepting_message(call, today=None):
    today = today or timezone.localdate()
    if call.status == Call.Status.DRAFT:
        return _("This call for nominations has not been opened yet.")
    if call.status == Call.Status.CLOSED:
        return _("The selection for this call has finished: it takes no more changes.")
    if today < call.opens_on:
        return _("This call opens for nominations on %(date)s.") % {
            "date": date_format(call.opens_on, "DATE_FORMAT")
        }
    return _("This call closed on %(date)s. Only the Civil Service Bureau can reopen it.") % {
        "date": date_format(call.closes_on, "DATE_FORMAT")
    }


def _check_accepts(call, today=None):
    if not call_accepts_nominations(call, today):
        raise ValidationError(_not_accepting_message(call, today))


def _check_actor(actor, department):
    """The actor speaks for the department: one of its nominating officers, or CSB staff (the admin and
    the import). Anyone else is refused, whatever page they came from."""
    if actor is None or actor.is_staff:
        return
    nominator = NominatingOfficer.objects.filter(user=actor, departments=department).exists()
    if not nominator:
        raise ValidationError(
            _("You do not nominate for %(department)s.") % {"department": department.abbreviation}
        )


class CallState:
    """What the rules of a call's nominations read, loaded once: the invited departments and their
    quotas, the eligible grades and ranks, the batch's focus areas, and the nominations that are not
    withdrawn (by officer, by department, by ranking). The import loads it once per file and `add`s each
    row it plans, so that a file is checked against itself too, in a fixed number of queries."""

    def __init__(self, call, lock=False):
        self.call = call
        self.quotas = dict(CallInvitation.objects.filter(call=call).values_list("department_id", "quota"))
        self.grade_ids = set(call.eligible_grades.values_list("pk", flat=True))
        self.rank_ids = set(call.eligible_ranks.values_list("pk", flat=True))
        self.focus_area_ids = set(call.batch.focus_areas.values_list("pk", flat=True))
        self.by_officer, self.by_department, self.by_ranking = {}, {}, {}
        nominations = Nomination.objects.filter(call=call).exclude(status=Nomination.Status.WITHDRAWN)
        if lock:
            nominations = nominations.select_for_update()
        for key, officer_id, department_id, ranking in nominations.values_list(
            "pk", "officer_id", "department_id", "department_ranking"
        ):
            self.add(key, officer_id, department_id, ranking)

    def add(self, key, officer_id, department_id, ranking):
        """Count a nomination (`key`: its id, or any other key for one not yet saved)."""
        if officer_id is not None:
            self.by_officer[officer_id] = key
        self.by_department.setdefault(department_id, set()).add(key)
        if ranking:
            self.by_ranking[(department_id, ranking)] = key

    def next_ranking(self, department_id):
        """The department's smallest ranking not taken."""
        ranking = 1
        while (department_id, ranking) in self.by_ranking:
            ranking += 1
        return ranking


def nomination_validate(*, nomination, today=None, state=None, key=None):
    """Every rule of a nomination across rows (the row's own fields are full_clean's): the call takes
    nominations, the department is invited, the officer is of that department (Hong Kong officers on an
    outbound call, Mainland officers on an inbound one) and eligible by grade and rank, the officer is
    not nominated twice, the department's quota is not exceeded and its ranking is not taken. Raises
    ValidationError keyed by field. Reads only. `state` (a CallState) and `key` (the nomination's key in
    it) are the import's, which checks many rows at once; left out, the call's state is read here."""
    call = nomination.call
    officer = nomination.officer
    state = state or CallState(call)
    key = key if key is not None else nomination.pk
    department = nomination.department
    errors = {}
    if not call_accepts_nominations(call, today):
        errors["call"] = [_not_accepting_message(call, today)]
    quota = state.quotas.get(nomination.department_id)
    if quota is None:
        errors["department"] = [
            _("%(department)s is not invited to nominate to this call.")
            % {"department": department.abbreviation}
        ]
    outbound = call.batch.direction == Batch.Direction.OUTBOUND
    if outbound and officer.home_side != Officer.HomeSide.HONG_KONG:
        errors["officer"] = [_("A Mainland officer cannot be nominated to an outbound batch.")]
    elif not outbound and officer.home_side != Officer.HomeSide.MAINLAND:
        errors["officer"] = [_("A Hong Kong officer cannot be nominated to an inbound batch.")]
    elif outbound and officer.home_department_id != nomination.department_id:
        errors["officer"] = [
            _("%(officer)s is not an officer of %(department)s.")
            % {"officer": officer.name_en, "department": department.abbreviation}
        ]
    if "officer" not in errors:
        grades, ranks = state.grade_ids, state.rank_ids
        if (grades or ranks) and officer.rank_id is None:
            errors["officer"] = [
                _("%(officer)s has no rank on record: this call is for some grades and ranks only.")
                % {"officer": officer.name_en}
            ]
        elif (grades and officer.rank.grade_id not in grades) or (ranks and officer.rank_id not in ranks):
            errors["officer"] = [
                _("%(officer)s (%(rank)s) is not of a grade and rank this call is for.")
                % {"officer": officer.name_en, "rank": officer.rank.name_en}
            ]
    if officer.pk is not None and state.by_officer.get(officer.pk, key) != key:
        errors.setdefault("officer", []).append(
            _("%(officer)s is already nominated to this call.") % {"officer": officer.name_en}
        )
    if quota is not None:
        others = state.by_department.get(nomination.department_id, set()) - {key}
        if len(others) >= quota:
            errors.setdefault("department", []).append(
                _("%(department)s has used its quota of %(quota)s nominees for this call.")
                % {"department": department.abbreviation, "quota": quota}
            )
        ranking = nomination.department_ranking
        if ranking and state.by_ranking.get((nomination.department_id, ranking), key) != key:
            errors["department_ranking"] = [
                _("Another nominee of %(department)s already has ranking %(ranking)s.")
                % {"department": department.abbreviation, "ranking": ranking}
            ]
    if nomination.endorsed_on and nomination.endorsed_on > (today or timezone.localdate()):
        errors["endorsed_on"] = [_("The endorsement date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)


def focus_areas_validate(*, focus_area_ids, allowed_ids):
    """A nomination's preferred focus areas are among the batch's (any, when the batch names none)."""
    if allowed_ids and any(pk not in allowed_ids for pk in focus_area_ids):
        raise ValidationError({"focus_areas": _("Choose focus areas of this batch only.")})


def _check_focus_areas(call, focus_areas):
    focus_areas_validate(
        focus_area_ids=[f.pk for f in focus_areas],
        allowed_ids={f.pk for f in call.batch.focus_areas.all()},
    )


def _nominators(department):
    return list(NominatingOfficer.objects.filter(departments=department).exclude(email=""))


def _ask_consent(nomination):
    """The officer's notice (no placement yet) and e-mail, both in the officer's language."""
    officer = nomination.officer
    call = nomination.call

    def compose():
        batch = local_field(call.batch, "name")
        subject = _("Your consent to a nomination: %(batch)s") % {"batch": batch}
        body = _(
            "%(department)s has nominated you for %(batch)s (%(start)s to %(end)s). Please confirm on your "
            "portal page whether you agree to be nominated. Without your consent you cannot be selected."
        ) % {
            "department": local_name(nomination.department),
            "batch": batch,
            "start": date_format(call.batch.start_date, "DATE_FORMAT"),
            "end": date_format(call.batch.end_date, "DATE_FORMAT"),
        }
        return subject, body

    with translation.override(officer.preferred_language):
        _subject, message = compose()
        notice_create(officer=officer, message=message, email=False)
    selection_email(
        to_address=officer.email,
        to_name=officer.name_en,
        language=officer.preferred_language,
        compose=compose,
        officer=officer,
    )


def _tell_nominators(nomination, compose):
    for nominator in _nominators(nomination.department):
        selection_email(
            to_address=nominator.email,
            to_name=nominator.name,
            language=nominator.preferred_language,
            compose=compose,
        )


def nominations_imported_notify(*, nominations):
    """After the nominations import: each new nominee is asked for consent (notice and e-mail in their
    language), and each department's nominating officers get one e-mail listing its imported nominees."""
    by_department = {}
    for nomination in nominations:
        _ask_consent(nomination)
        by_department.setdefault(nomination.department_id, []).append(nomination)
    for group in by_department.values():
        first = group[0]

        def compose(group=group, first=first):
            batch = local_field(first.call.batch, "name")
            subject = _("Nominations imported for %(batch)s") % {"batch": batch}
            body = _(
                "The Civil Service Bureau has imported %(department)s's nominations for %(batch)s: "
                "%(officers)s. Each officer has been asked to confirm their consent."
            ) % {
                "department": local_name(first.department),
                "batch": batch,
                "officers": "; ".join(person_name(n.officer) for n in group),
            }
            return subject, body

        _tell_nominators(first, compose)


@transaction.atomic
def nomination_create(
    *,
    call,
    officer,
    department,
    actor,
    department_ranking,
    endorsed_by_name,
    endorsed_by_post,
    endorsed_on,
    statement="",
    focus_areas=(),
    source=Nomination.Source.PORTAL,
) -> Nomination:
    """Nominate `officer` of `department` to `call`. Refused when the call does not take nominations,
    the department is not invited or has used its quota, the officer is not of the department, not
    eligible, or already nominated, or the ranking is taken. Asks the officer for consent and confirms
    to the department's nominating officers, each in their language."""
    _check_actor(actor, department)
    # Lock the call: two nominators of one department cannot both take its last place of the quota.
    call = Call.objects.select_for_update().select_related("batch").get(pk=call.pk)
    nomination = Nomination(
        call=call,
        officer=officer,
        department=department,
        nominated_by=actor,
        source=source,
        statement=statement,
        department_ranking=department_ranking,
        endorsed_by_name=endorsed_by_name,
        endorsed_by_post=endorsed_by_post,
        endorsed_on=endorsed_on,
    )
    nomination.full_clean(validate_constraints=False)
    nomination_validate(nomination=nomination)
    focus_areas = list(focus_areas)
    _check_focus_areas(call, focus_areas)
    nomination.save()
    nomination.focus_areas.set(focus_areas)
    _ask_consent(nomination)

    def compose():
        batch = local_field(call.batch, "name")
        subject = _("Nomination received: %(officer)s for %(batch)s") % {
            "officer": person_name(officer),
            "batch": batch,
        }
        body = _(
            "%(officer)s is nominated by %(department)s for %(batch)s (ranking %(ranking)s). The officer "
            "has been asked to confirm their consent."
        ) % {
            "officer": person_name(officer),
            "department": local_name(department),
            "batch": batch,
            "ranking": department_ranking,
        }
        return subject, body

    _tell_nominators(nomination, compose)
    return nomination


@transaction.atomic
def nomination_officer_create(*, actor, department, name_en, email, post_title, rank, name_zh="") -> Officer:
    """Add a Hong Kong officer of `department` to nominate, with the nominations import's checks: the
    English name in Latin letters, the Chinese name in Chinese characters, a valid e-mail that no other
    officer has, a rank, an active department."""
    _check_actor(actor, department)
    name_en = " ".join((name_en or "").split())
    name_zh = " ".join((name_zh or "").split())
    email = (email or "").strip().lower()
    errors = {}
    if not name_en:
        errors["name_en"] = [_("The English name is required.")]
    elif _CJK.search(name_en):
        errors["name_en"] = [_("The English name contains Chinese characters.")]
    if name_zh and (_NOT_CHINESE.search(name_zh) or not _CJK.search(name_zh)):
        errors["name_zh"] = [_("The Chinese name must be written in Chinese characters only.")]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("“%(value)s” is not an e-mail address.") % {"value": email}]
    else:
        existing = Officer.objects.filter(email__iexact=email).select_related("home_department").first()
        if existing is not None:
            if existing.home_department_id == department.pk:
                errors["email"] = [
                    _("%(officer)s already has this e-mail: choose them from the list instead.")
                    % {"officer": existing.name_en}
                ]
            else:
                errors["email"] = [_("An officer of another department already has this e-mail.")]
    if not (post_title or "").strip():
        errors["post_title"] = [_("The post title is required.")]
    if rank is None:
        errors["rank"] = [_("The rank is required.")]
    if not department.is_active:
        errors["department"] = [
            _("%(department)s no longer exists (merged or dissolved).") % {"department": department}
        ]
    if errors:
        raise ValidationError(errors)
    return officer_save(
        officer=Officer(
            name_en=name_en,
            name_zh=name_zh,
            email=email,
            post_title=post_title.strip(),
            rank=rank,
            home_department=department,
            home_side=Officer.HomeSide.HONG_KONG,
        )
    )


@transaction.atomic
def nomination_create_with_officer(*, new_officer, call, department, actor, **fields) -> Nomination:
    """Add the officer (nomination_officer_create, `new_officer` holds its fields) and nominate them, in
    one transaction: a refused nomination leaves no officer behind."""
    officer = nomination_officer_create(actor=actor, department=department, **new_officer)
    return nomination_create(call=call, officer=officer, department=department, actor=actor, **fields)


def _check_undecided(nomination):
    if nomination.status == Nomination.Status.WITHDRAWN:
        raise ValidationError(_("This nomination has been withdrawn."))
    if nomination.status not in UNDECIDED:
        raise ValidationError(
            _(
                "The Civil Service Bureau has decided on this nomination (%(status)s): it can no longer "
                "be changed."
            )
            % {"status": nomination.get_status_display()}
        )


@transaction.atomic
def nomination_update(*, nomination, actor, **fields) -> Nomination:
    """Change a nomination's ranking, endorsement, statement or focus areas while the call takes
    nominations and before CSB has decided on it. The officer's consent stands."""
    unknown = set(fields) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These cannot be changed on a nomination: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    _check_actor(actor, nomination.department)
    _check_undecided(nomination)
    Call.objects.select_for_update().filter(pk=nomination.call_id).first()
    focus_areas = fields.pop("focus_areas", None)
    for name, value in fields.items():
        setattr(nomination, name, value)
    nomination.full_clean(validate_constraints=False)
    nomination_validate(nomination=nomination)
    if focus_areas is not None:
        focus_areas = list(focus_areas)
        _check_focus_areas(nomination.call, focus_areas)
    nomination.save()
    if focus_areas is not None:
        nomination.focus_areas.set(focus_areas)
    return nomination


@transaction.atomic
def nomination_withdraw(*, nomination, actor) -> Nomination:
    """Withdraw a nomination: before the call's closing date and before CSB has decided on it. Frees
    the officer, the department's quota and the ranking. Tells the officer."""
    nomination = (
        Nomination.objects.select_for_update()
        .select_related("call__batch", "officer", "department")
        .get(pk=nomination.pk)
    )
    _check_actor(actor, nomination.department)
    _check_undecided(nomination)
    _check_accepts(nomination.call)
    nomination.status = Nomination.Status.WITHDRAWN
    nomination.withdrawn_at = timezone.now()
    nomination.save(update_fields=["status", "withdrawn_at", "updated_at"])
    officer = nomination.officer

    def compose():
        batch = local_field(nomination.call.batch, "name")
        subject = _("Nomination withdrawn: %(batch)s") % {"batch": batch}
        body = _("%(department)s has withdrawn your nomination for %(batch)s.") % {
            "department": local_name(nomination.department),
            "batch": batch,
        }
        return subject, body

    selection_email(
        to_address=officer.email,
        to_name=officer.name_en,
        language=officer.preferred_language,
        compose=compose,
        officer=officer,
    )
    return nomination


@transaction.atomic
def nomination_consent(*, nomination, officer, given: bool) -> Nomination:
    """The officer's answer: they agree to be nominated, or not. Only the nominated officer answers,
    and only until CSB's final decision (they may change their answer until then). Tells the
    department's nominating officers."""
    nomination = (
        Nomination.objects.select_for_update()
        .select_related("call__batch", "officer", "department")
        .get(pk=nomination.pk)
    )
    if officer is None or nomination.officer_id != officer.pk:
        raise ValidationError(_("Only the nominated officer can answer for their consent."))
    if nomination.status not in CONSENT_OPEN:
        raise ValidationError(
            _("This nomination is %(status)s: your answer can no longer change it.")
            % {"status": nomination.get_status_display().lower()}
        )
    nomination.consent = Nomination.Consent.GIVEN if given else Nomination.Consent.REFUSED
    nomination.consent_at = timezone.now()
    nomination.save(update_fields=["consent", "consent_at", "updated_at"])

    def compose():
        name = person_name(officer)
        if given:
            subject = _("Consent given: %(officer)s") % {"officer": name}
            body = _("%(officer)s agrees to be nominated for %(batch)s.")
        else:
            subject = _("Consent refused: %(officer)s") % {"officer": name}
            body = _("%(officer)s does not agree to be nominated for %(batch)s and cannot be selected.")
        return subject, body % {"officer": name, "batch": local_field(nomination.call.batch, "name")}

    _tell_nominators(nomination, compose)
    return nomination

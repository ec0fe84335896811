"""Writes to programmes, batches and placements. Views, the admin, imports and commands all call these,
so the same rules hold everywhere: one transaction, full_clean(), cross-row rules, then save."""

import datetime
import secrets
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_update_with_history

from core.names import local_name
from participants.models import Officer
from participants.services import officer_anonymise, officer_update_details

from .documents import (
    document_check_file,
    document_storage_copy,
    document_storage_delete,
    document_store,
)
from .figures import figures_changed
from .models import (
    Batch,
    CalendarFeed,
    ChecklistCompletion,
    ChecklistItem,
    ContactSheetAccess,
    Document,
    DocumentAccess,
    DocumentRequirement,
    ExchangeReport,
    HostArea,
    HostOrganisation,
    Notice,
    OutgoingEmail,
    Placement,
    ReminderSent,
    RosterExport,
)
from .selectors import (
    batches_behind_for_coordinators,
    documents_past_retention,
    placement_overlapping,
    reminders_due,
)
from .tasks import email_deliver, email_deliver_batch


def _fmt(day):
    # Messages are read by people: the page's date format ("18 Dec 2023", 2023年12月18日).
    return date_format(day, "DATE_FORMAT")


# How many of the placements a batch change would break are named in the refusal (all are counted).
STRANDED_NAMED = 5

# The fields of a batch its placements depend on (batch_validate refuses a change that breaks them).
BATCH_PLACEMENT_FIELDS = ("host_municipality_id", "direction", "start_date", "end_date")


def _stranded(placements):
    """How many of `placements` (a queryset) there are, and their officers' names for a message (the
    first few, then "and N more"); (0, "") when there are none."""
    names = list(
        placements.order_by("officer__name_en").values_list("officer__name_en", flat=True)[
            : STRANDED_NAMED + 1
        ]
    )
    count = placements.count() if len(names) > STRANDED_NAMED else len(names)
    shown = ", ".join(names[:STRANDED_NAMED])
    if count > STRANDED_NAMED:
        shown = _("%(names)s and %(more)s more") % {"names": shown, "more": count - STRANDED_NAMED}
    return count, shown


def batch_validate(*, batch, host_areas=None, focus_areas=None):
    """Rules of a batch that span rows, each refusal keyed by field: its host areas lie in its
    municipality, and a change leaves none of its placements broken: not outside its dates, not in a
    host area or organisation of another municipality, not in a host area it drops, not with a focus
    area it drops, not of officers from the wrong side for its direction. A refusal names how many
    placements, and which, would break.

    `host_areas` and `focus_areas` are the batch's many-to-many values as they will be saved (None:
    unchanged). Each check of a stored batch costs a query only when what it checks changed."""
    errors = {}
    if host_areas is not None and batch.host_municipality_id:
        outside = [a for a in host_areas if a.municipality_id != batch.host_municipality_id]
        if outside:
            errors["host_areas"] = _("%(areas)s not in %(city)s, the batch's host municipality.") % {
                "areas": ", ".join(a.name_en for a in outside),
                "city": batch.host_municipality.name_en,
            }
    stored = batch.pk and Batch.objects.filter(pk=batch.pk).values(*BATCH_PLACEMENT_FIELDS).first()
    if stored:
        for field, message in _batch_stranding(batch, stored, host_areas, focus_areas).items():
            errors.setdefault(field, message)
    if errors:
        raise ValidationError(errors)


def _batch_stranding(batch, stored, host_areas, focus_areas):
    """The refusals, by field, of a change to a stored batch that would break its placements."""
    errors = {}
    placements = Placement.objects.filter(batch_id=batch.pk)
    if batch.start_date and batch.start_date > stored["start_date"]:
        count, names = _stranded(placements.filter(start_date__lt=batch.start_date))
        if count:
            errors["start_date"] = ngettext(
                "%(count)s placement would start before the batch: %(names)s. Change its dates first.",
                "%(count)s placements would start before the batch: %(names)s. Change their dates first.",
                count,
            ) % {"count": count, "names": names}
    if batch.end_date and batch.end_date < stored["end_date"]:
        count, names = _stranded(placements.filter(end_date__gt=batch.end_date))
        if count:
            errors["end_date"] = ngettext(
                "%(count)s placement would end after the batch: %(names)s. Change its dates first.",
                "%(count)s placements would end after the batch: %(names)s. Change their dates first.",
                count,
            ) % {"count": count, "names": names}
    city = batch.host_municipality_id
    if city and city != stored["host_municipality_id"]:
        count, names = _stranded(
            placements.exclude(host_area__isnull=True).exclude(host_area__municipality_id=city)
            | placements.exclude(host_organisation__isnull=True).exclude(
                host_organisation__municipality_id=city
            )
        )
        if count:
            errors["host_municipality"] = ngettext(
                "%(count)s placement is hosted in the present municipality: %(names)s. "
                "Change its host first.",
                "%(count)s placements are hosted in the present municipality: %(names)s. "
                "Change their hosts first.",
                count,
            ) % {"count": count, "names": names}
    if batch.direction and batch.direction != stored["direction"]:
        wrong_side = (
            Officer.HomeSide.HONG_KONG
            if batch.direction == Batch.Direction.INBOUND
            else Officer.HomeSide.MAINLAND
        )
        count, names = _stranded(placements.filter(officer__home_side=wrong_side))
        if count:
            errors["direction"] = ngettext(
                "%(count)s placement is of an officer from the other side: %(names)s. "
                "Withdraw or move it first.",
                "%(count)s placements are of officers from the other side: %(names)s. "
                "Withdraw or move them first.",
                count,
            ) % {"count": count, "names": names}
    if host_areas is not None:
        removed = set(batch.host_areas.values_list("pk", flat=True)) - {area.pk for area in host_areas}
        count, names = _stranded(placements.filter(host_area_id__in=removed)) if removed else (0, "")
        if count:
            errors["host_areas"] = ngettext(
                "%(count)s placement is in a host area this removes: %(names)s. Move it first.",
                "%(count)s placements are in host areas this removes: %(names)s. Move them first.",
                count,
            ) % {"count": count, "names": names}
    if focus_areas is not None:
        removed = set(batch.focus_areas.values_list("pk", flat=True)) - {area.pk for area in focus_areas}
        in_removed = placements.filter(focus_areas__in=removed).values("pk")
        count, names = _stranded(placements.filter(pk__in=in_removed)) if removed else (0, "")
        if count:
            errors["focus_areas"] = ngettext(
                "%(count)s placement has a focus area this removes: %(names)s. Change its focus first.",
                "%(count)s placements have focus areas this removes: %(names)s. Change their focus first.",
                count,
            ) % {"count": count, "names": names}
    return errors


@transaction.atomic
def batch_save(*, batch: Batch, host_areas=None, focus_areas=None, coordinators=None) -> Batch:
    """Validate and save a batch; many-to-many fields are set when given. Refuses a change that would
    break the batch's placements (batch_validate)."""
    batch.full_clean()
    batch_validate(batch=batch, host_areas=host_areas, focus_areas=focus_areas)
    batch.save()
    if host_areas is not None:
        batch.host_areas.set(host_areas)
    if focus_areas is not None:
        batch.focus_areas.set(focus_areas)
    if coordinators is not None:
        batch.coordinators.set(coordinators)
    return batch


def placement_validate(*, placement: Placement, host_area_ids=None, clashes=None):
    """The rules of a placement that span rows, each refusal keyed by field with a clear message:
    the officer's home side matches the batch's direction; the dates lie within the batch; the host
    area and organisation are in the batch's municipality and the area is one of the batch's; an
    officer never has two overlapping active placements.

    `host_area_ids` lets a caller pass the batch's host areas it already loaded, and `clashes` the
    officer's active placements around these dates (an import checks a whole file in a few queries)."""
    errors = {}
    batch, officer = placement.batch, placement.officer
    if officer.home_side == Officer.HomeSide.HONG_KONG and batch.direction == Batch.Direction.INBOUND:
        errors["officer"] = _("%(name)s is a Hong Kong officer; this batch receives Mainland officers.") % {
            "name": officer.name_en
        }
    elif officer.home_side == Officer.HomeSide.MAINLAND and batch.direction == Batch.Direction.OUTBOUND:
        errors["officer"] = _("%(name)s is a Mainland officer; this batch sends Hong Kong officers.") % {
            "name": officer.name_en
        }
    if placement.start_date and placement.start_date < batch.start_date:
        errors["start_date"] = _("The placement starts on %(day)s, before its batch starts (%(batch)s).") % {
            "day": _fmt(placement.start_date),
            "batch": _fmt(batch.start_date),
        }
    if placement.end_date and placement.end_date > batch.end_date:
        errors["end_date"] = _("The placement ends on %(day)s, after its batch ends (%(batch)s).") % {
            "day": _fmt(placement.end_date),
            "batch": _fmt(batch.end_date),
        }
    area = placement.host_area
    if area is not None:
        if area.municipality_id != batch.host_municipality_id:
            errors["host_area"] = _("%(area)s is not in %(city)s, the batch's host municipality.") % {
                "area": area.name_en,
                "city": batch.host_municipality.name_en,
            }
        else:
            if host_area_ids is None:
                host_area_ids = set(batch.host_areas.values_list("pk", flat=True))
            if area.pk not in host_area_ids:
                errors["host_area"] = _(
                    "%(area)s is not one of this batch's host areas; add it to the batch first."
                ) % {"area": area.name_en}
    host = placement.host_organisation
    if host is not None:
        if host.municipality_id != batch.host_municipality_id:
            errors["host_organisation"] = _("%(host)s is not in %(city)s, the batch's host municipality.") % {
                "host": host.name_en,
                "city": batch.host_municipality.name_en,
            }
        elif host.area_id and area is not None and host.area_id != area.pk and "host_area" not in errors:
            errors["host_area"] = _("%(host)s is in %(area)s, not in the host area chosen.") % {
                "host": host.name_en,
                "area": host.area.name_en,
            }
    if placement.is_active and placement.start_date and placement.end_date and "officer" not in errors:
        if clashes is None:
            clash = placement_overlapping(
                officer=officer,
                start_date=placement.start_date,
                end_date=placement.end_date,
                exclude_pk=placement.pk,
            ).first()
        else:
            clash = next(
                (
                    other
                    for other in clashes
                    if other.is_active
                    and other.pk != placement.pk
                    and other.start_date <= placement.end_date
                    and other.end_date >= placement.start_date
                ),
                None,
            )
        if clash is not None:
            errors["__all__"] = _(
                "%(name)s already has a placement from %(start)s to %(end)s in %(batch)s; "
                "an officer cannot be on two placements at once."
            ) % {
                "name": officer.name_en,
                "start": _fmt(clash.start_date),
                "end": _fmt(clash.end_date),
                "batch": clash.batch,
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def placement_save(*, placement: Placement, focus_areas=None) -> Placement:
    """Validate and save a placement (new or changed).

    Locks the officer's row first so that two concurrent writes cannot both pass the overlap check.
    The home department defaults to the officer's, and the dates to the batch's."""
    Officer.objects.select_for_update().filter(pk=placement.officer_id).first()
    if placement.home_department_id is None and placement.officer.home_department_id:
        placement.home_department_id = placement.officer.home_department_id
    placement.full_clean()
    placement_validate(placement=placement)
    if placement.pk and placement.checklist_completions.exclude(item__batch_id=placement.batch_id).exists():
        raise ValidationError(
            {"batch": _("This placement has ticks on its batch's checklist: it stays in its batch.")}
        )
    # The row as stored, to tell the officer what changed (placement_notify_changes).
    stored = placement.pk and Placement.objects.values(*NOTIFIED_FIELDS).filter(pk=placement.pk).first()
    placement.save()
    if focus_areas is not None:
        placement.focus_areas.set(focus_areas)
    # The notice and its e-mail are written in the officer's language, not the language of whoever saved.
    with translation.override(placement.officer.preferred_language):
        placement_notify_changes(placement=placement, stored=stored)
    return placement


def placement_create(*, officer, batch, focus_areas=None, **fields) -> Placement:
    """Place `officer` in `batch`; other fields as on Placement (host_organisation, host_area, role…)."""
    return placement_save(
        placement=Placement(officer=officer, batch=batch, **fields), focus_areas=focus_areas
    )


# --- The participant portal: notices, checklists and exchange reports ------------------------------------

# The fields of a placement whose change the officer is told about (placement_save compares them).
NOTIFIED_FIELDS = ("status", "start_date", "end_date", "host_organisation_id", "host_area_id")


def _day(day):
    return date_format(day, "DATE_FORMAT") if day else _("not set")


def _name(model, pk):
    if pk is None:
        return _("not set")
    row = model.objects.filter(pk=pk).first()
    return str(row) if row else _("not set")


def placement_notify_changes(*, placement: Placement, stored):
    """Tell the officer (a notice on /my/ and an e-mail after commit) that their placement was confirmed,
    or that its status, dates, host organisation or host area changed. `stored` holds NOTIFIED_FIELDS
    as they were before the save (None for a new placement). Returns the notice, or None."""
    change = placement_change_message(placement=placement, stored=stored)
    if change is None:
        return None
    headline, message = change
    return notice_create(officer=placement.officer, placement=placement, subject=headline, message=message)


def placement_change_message(*, placement: Placement, stored):
    """The headline and message of placement_notify_changes's notice, in the active language, or None
    when nothing the officer is told about changed."""
    if stored is None:
        if placement.status != Placement.Status.CONFIRMED:
            return None
        stored = dict.fromkeys(NOTIFIED_FIELDS)
        dates = {"start": _day(placement.start_date), "end": _day(placement.end_date)}
        host = _name(HostOrganisation, placement.host_organisation_id)
        lines = [_("Dates: %(start)s to %(end)s.") % dates]
        lines.append(_("Host organisation: %(host)s.") % {"host": host})
    else:
        lines = []
        if stored["status"] != placement.status:
            lines.append(
                _("Status: %(new)s (was %(old)s).")
                % {"new": placement.get_status_display(), "old": Placement.Status(stored["status"]).label}
            )
        if (stored["start_date"], stored["end_date"]) != (placement.start_date, placement.end_date):
            lines.append(
                _("Dates: %(start)s to %(end)s (were %(old_start)s to %(old_end)s).")
                % {
                    "start": _day(placement.start_date),
                    "end": _day(placement.end_date),
                    "old_start": _day(stored["start_date"]),
                    "old_end": _day(stored["end_date"]),
                }
            )
        if stored["host_organisation_id"] != placement.host_organisation_id:
            lines.append(
                _("Host organisation: %(new)s (was %(old)s).")
                % {
                    "new": _name(HostOrganisation, placement.host_organisation_id),
                    "old": _name(HostOrganisation, stored["host_organisation_id"]),
                }
            )
        if stored["host_area_id"] != placement.host_area_id:
            lines.append(
                _("Host area: %(new)s (was %(old)s).")
                % {
                    "new": _name(HostArea, placement.host_area_id),
                    "old": _name(HostArea, stored["host_area_id"]),
                }
            )
        if not lines:
            return None
    if placement.status == Placement.Status.CONFIRMED and stored["status"] != placement.status:
        headline = _("Your placement in %(batch)s is confirmed.") % {"batch": placement.batch.name}
    else:
        headline = _("Your placement in %(batch)s has changed.") % {"batch": placement.batch.name}
    return headline, "\n".join([headline, *lines])


@transaction.atomic
def notice_create(*, officer: Officer, message, placement=None, subject=None, email=True) -> Notice:
    """A notice on the officer's placement page; also e-mailed to their official address once the
    transaction commits (so a rolled-back change sends nothing)."""
    if placement is not None and placement.officer_id != officer.pk:
        raise ValidationError({"placement": _("This placement is not the officer's.")})
    notice = Notice(officer=officer, placement=placement, message=message)
    notice.full_clean()
    notice.save()
    if email and officer.email:
        body = "\n\n".join(
            [message, _("Sign in to the Exchange Portal and open My placement to see the details.")]
        )
        email_queue(
            to_address=officer.email,
            to_name=officer.name_en,
            subject=subject or _("A notice about your exchange placement"),
            body=body,
            officer=officer,
            kind=OutgoingEmail.Kind.NOTICE,
        )
    return notice


@transaction.atomic
def notices_create_many(notices):
    """notice_create for many officers at once (the import): `notices` is a list of (officer, placement,
    subject, message) already in each officer's language. Notices and e-mails are inserted in bulk and the
    e-mails delivered by one task after commit. Returns the notices."""
    rows, emails = [], []
    for officer, placement, subject, message in notices:
        rows.append(Notice(officer=officer, placement=placement, message=message))
        if officer.email:
            with translation.override(officer.preferred_language):
                footer = _("Sign in to the Exchange Portal and open My placement to see the details.")
                body = "\n\n".join([message, footer])
            emails.append(
                OutgoingEmail(
                    to_address=officer.email,
                    to_name=officer.name_en[:200],
                    subject=" ".join(str(subject).split())[:255],
                    body=body,
                    officer=officer,
                    kind=OutgoingEmail.Kind.NOTICE,
                    language=officer.preferred_language,
                )
            )
    Notice.objects.bulk_create(rows, batch_size=500)
    OutgoingEmail.objects.bulk_create(emails, batch_size=500)
    ids = [e.pk for e in emails]
    if ids:
        transaction.on_commit(partial(email_deliver_batch.enqueue, ids))
    return rows


@transaction.atomic
def email_queue(*, to_address, subject, body, to_name="", officer=None, kind=OutgoingEmail.Kind.NOTICE):
    """Every e-mail the portal sends: logged as an OutgoingEmail and delivered by the task queue once the
    transaction commits (a rolled-back change sends nothing), retried when the mail server refuses."""
    email = OutgoingEmail(
        to_address=to_address,
        to_name=to_name[:200],
        subject=" ".join(str(subject).split())[:255],
        body=body,
        officer=officer,
        kind=kind,
        language=translation.get_language() or "en",
    )
    email.full_clean()
    email.save()
    transaction.on_commit(partial(email_deliver.enqueue, email.pk))
    return email


@transaction.atomic
def email_resend(*, email: OutgoingEmail) -> OutgoingEmail:
    """Queue an undelivered e-mail again, with a fresh round of retries (CSB staff, from the admin)."""
    if email.status == OutgoingEmail.Status.SENT:
        return email
    email.status = OutgoingEmail.Status.QUEUED
    email.attempts = 0
    email.next_attempt_at = None
    email.save(update_fields=["status", "attempts", "next_attempt_at"])
    transaction.on_commit(partial(email_deliver.enqueue, email.pk))
    return email


@transaction.atomic
def notice_mark_read(*, notice: Notice) -> Notice:
    """Mark a notice read (it then leaves the list of new notices)."""
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def checklist_item_validate(*, item: ChecklistItem):
    """The rule of a checklist item beyond its row: its batch is not completed (raises ValidationError).
    The admin's form calls it, so the refusal shows on the form."""
    if item.batch_id:
        _refuse_if_completed(item.batch)


def _refuse_if_completed(batch):
    """A completed batch's checklist and reports are the record of what happened: nobody rewrites them."""
    if batch.is_completed:
        raise ValidationError(
            _("%(batch)s is completed: its checklist and reports are kept as they were and are read-only.")
            % {"batch": batch.name}
        )


def _details_given(officer):
    """The fact a DETAILS_GIVEN item checks: an emergency contact with a phone number to call."""
    return bool(officer.emergency_contact_name and officer.emergency_contact_phone)


def _automatic_ticks(*, item):
    """The placements of the item's batch whose fact the item checks is true now."""
    placements = Placement.objects.for_batch(item.batch_id)
    if item.kind == ChecklistItem.Kind.REPORT_SUBMITTED:
        return placements.filter(report__status=ExchangeReport.Status.SUBMITTED)
    if item.kind == ChecklistItem.Kind.DETAILS_GIVEN:
        return placements.exclude(officer__emergency_contact_name="").exclude(
            officer__emergency_contact_phone=""
        )
    return placements.none()


@transaction.atomic
def checklist_item_save(*, item: ChecklistItem) -> ChecklistItem:
    """Validate and save a checklist item of a batch (new or changed); refused in a completed batch. An
    item already ticked stays in its batch: its ticks are for that batch's placements. An item the portal
    checks itself (report submitted, details given) is ticked at once for the participants for whom it
    already holds, and unticked for the others."""
    checklist_item_validate(item=item)
    item.full_clean()
    if item.pk and item.completions.exclude(placement__batch_id=item.batch_id).exists():
        raise ValidationError(
            {
                "batch": _(
                    "Participants have ticked this item off: it stays in its batch. Add a new item instead."
                )
            }
        )
    item.save()
    if item.is_automatic:
        holds = _automatic_ticks(item=item)
        ChecklistCompletion.objects.filter(item=item).exclude(placement__in=holds).delete()
        ticked = set(ChecklistCompletion.objects.filter(item=item).values_list("placement_id", flat=True))
        now = timezone.now()
        ChecklistCompletion.objects.bulk_create(
            ChecklistCompletion(placement_id=pk, item=item, completed_at=now, completed_by=None)
            for pk in holds.values_list("pk", flat=True)
            if pk not in ticked
        )
        figures_changed(batch_ids=[item.batch_id])  # bulk writes send no signal (placements.figures)
    return item


@transaction.atomic
def checklist_item_delete(*, item: ChecklistItem) -> None:
    """Delete a checklist item with the ticks against it; refused in a completed batch."""
    _refuse_if_completed(item.batch)
    item.delete()


@transaction.atomic
def checklist_item_set_done(*, placement: Placement, item: ChecklistItem, done: bool, actor):
    """Tick (or untick) a checklist item for a placement. Refuses an item of another batch, an item the
    portal ticks itself (report submitted, details given), and any change in a completed batch."""
    if item.batch_id != placement.batch_id:
        raise ValidationError({"item": _("This item is not on this placement's checklist.")})
    if item.is_automatic:
        raise ValidationError(
            {
                "item": _("The portal ticks this item itself when it is done: %(how)s.")
                % {"how": item.get_kind_display()}
            }
        )
    _refuse_if_completed(placement.batch)
    return _set_done(placement=placement, item=item, done=done, actor=actor)


def _set_done(*, placement, item, done, actor):
    if not done:
        ChecklistCompletion.objects.filter(placement=placement, item=item).delete()
        figures_changed(batch_ids=[placement.batch_id])  # a queryset delete sends no signal
        return None
    completion, _created = ChecklistCompletion.objects.get_or_create(
        placement=placement, item=item, defaults={"completed_at": timezone.now(), "completed_by": actor}
    )
    return completion


def _tick_automatic(*, placements, kind, done, actor):
    """Tick (or untick) the items of `kind` on the checklists of `placements`, in batches still open."""
    for placement in placements:
        if placement.batch.is_completed:
            continue
        for item in ChecklistItem.objects.filter(batch_id=placement.batch_id, kind=kind):
            _set_done(placement=placement, item=item, done=done, actor=actor)


@transaction.atomic
def officer_details_save(*, officer: Officer, data, actor) -> Officer:
    """Save the details an officer keeps current (participants.services.officer_update_details), then
    tick "give an emergency contact" on their open checklists when the contact is complete (and untick
    it when it is no longer)."""
    officer_update_details(officer=officer, data=data, actor=actor)
    placements = Placement.objects.for_officer(officer).active().select_related("batch")
    _tick_automatic(
        placements=placements,
        kind=ChecklistItem.Kind.DETAILS_GIVEN,
        done=_details_given(officer),
        actor=actor,
    )
    return officer


@transaction.atomic
def report_save(*, placement: Placement, data, actor, submit=False) -> ExchangeReport:
    """Save the exchange report of a placement as a draft, or submit it (which ticks "submit your report"
    on the checklist).

    Only the report's text fields are taken from `data`. Refused for a placement not confirmed (nominated
    or withdrawn) and in a completed batch. A submitted report can no longer be changed; submitting needs
    the three expectations (learning, connections, goodwill) answered."""
    if not placement.may_report:
        raise ValidationError(
            _("A report is written once the placement is confirmed; this placement is %(status)s.")
            % {"status": placement.get_status_display().lower()}
        )
    _refuse_if_completed(placement.batch)
    report = ExchangeReport.objects.select_for_update().filter(placement=placement).first()
    if report is None:
        report = ExchangeReport(placement=placement)
    if report.is_submitted:
        raise ValidationError(
            _("This report was submitted on %(day)s and can no longer be changed.")
            % {"day": _day(timezone.localdate(report.submitted_at))}
        )
    for field in ExchangeReport.TEXT_FIELDS:
        if field in data:
            setattr(report, field, (data[field] or "").strip())
    if submit:
        missing = {
            field: _("Answer this before you submit the report.")
            for field in ExchangeReport.REQUIRED_FOR_SUBMISSION
            if not getattr(report, field)
        }
        if missing:
            raise ValidationError(missing)
        report.status = ExchangeReport.Status.SUBMITTED
        report.submitted_at = timezone.now()
    report.full_clean()
    report._history_user = actor
    report.save()
    if submit:
        _tick_automatic(
            placements=[placement], kind=ChecklistItem.Kind.REPORT_SUBMITTED, done=True, actor=actor
        )
    return report


@transaction.atomic
def officer_purge_personal_data(*, officer: Officer, reason: str, by=None) -> Officer:
    """Anonymise an officer (participants.services.officer_anonymise) and blank the host supervisors
    named on their placements, in the rows and their history. Placements, batches, departments and ranks
    stay, so the programme's statistics do not change. Recorded in the audit trail with `reason`."""
    named = list(officer.placements.exclude(host_supervisor=""))
    for placement in named:
        placement.host_supervisor = ""
    if named:
        bulk_update_with_history(
            named, Placement, ["host_supervisor"], default_user=by, default_change_reason=reason
        )
    Placement.history.filter(officer_id=officer.pk).update(host_supervisor="")
    documents_purge(documents=Document.objects.filter(placement__officer=officer), reason=reason, by=by)
    # Whose contact details each view of a contact sheet showed is about this officer too.
    ContactSheetAccess.officers.through.objects.filter(officer_id=officer.pk).delete()
    return officer_anonymise(officer=officer, reason=reason, by=by)


def roster_export_record(*, batch, user, format, row_count, via):
    """Log one roster export: who (None for the command without --user), which batch, which format, how
    many rows, and whether it came from the web pages, the admin or the command."""
    export = RosterExport(
        batch=batch,
        user=user if user is not None and user.is_authenticated else None,
        format=format,
        row_count=row_count,
        via=via,
    )
    # The batch and the user are objects in hand: checking that they exist would cost two queries.
    export.full_clean(exclude=["batch", "user"])
    export.save()
    return export


def contact_sheet_access_record(*, batch, user, action, officer_ids):
    """Log one view or download of a batch's contact sheet: who, which batch, how, and whose details it
    showed (so a personal-data request can answer "who saw my emergency contact")."""
    access = ContactSheetAccess(
        batch=batch,
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        row_count=len(officer_ids),
    )
    access.full_clean(exclude=["batch", "user"])
    access.save()
    access.officers.add(*officer_ids)
    return access


# --- Calendar feeds: a user's secret iCalendar address ---


@transaction.atomic
def calendar_feed_renew(*, user, language="en") -> CalendarFeed:
    """Give `user` a new secret feed address (the old one, if any, stops working at once)."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first() or CalendarFeed(user=user)
    feed.token = secrets.token_urlsafe(32)
    feed.language = language
    feed.full_clean()
    feed.save()
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user) -> bool:
    """Remove `user`'s feed address; True if there was one."""
    deleted, _by_model = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


# --- Documents: requirements per batch, uploads, review, access log and retention ---


def _document_label(document):
    placement = document.placement
    return f"{document.requirement.name_en} · {placement.officer.name_en} · {placement.batch}"


def document_requirement_save(*, requirement: DocumentRequirement, blank_form=None, remove_blank_form=False):
    """Validate and save a batch's document requirement (new or changed). `blank_form`, an uploaded
    file, passes the same checks as a participant's upload and replaces the old one (deleted on commit)."""
    requirement.full_clean()
    old_form = requirement.blank_form if (blank_form is not None or remove_blank_form) else ""
    stored = ""
    if blank_form is not None:
        checked = document_check_file(upload=blank_form, accepted_types=["pdf", "jpeg", "png"])
        stored = document_store(checked=checked, folder=f"forms/{requirement.batch_id}")
        requirement.blank_form, requirement.blank_form_filename = stored, (blank_form.name or "")[:255]
    elif remove_blank_form:
        requirement.blank_form = requirement.blank_form_filename = ""
    try:
        with transaction.atomic():
            requirement.save()
            if old_form:
                transaction.on_commit(partial(document_storage_delete, old_form))
    except BaseException:
        document_storage_delete(stored)
        raise
    return requirement


@transaction.atomic
def document_requirement_delete(*, requirement: DocumentRequirement, by=None):
    """Delete a requirement with the documents handed in for it (their files deleted on commit, logged)."""
    documents_purge(documents=requirement.documents.all(), reason="Requirement deleted", by=by)
    if requirement.blank_form:
        transaction.on_commit(partial(document_storage_delete, requirement.blank_form))
    requirement.delete()


@transaction.atomic
def document_requirements_copy(*, source: Batch, target: Batch) -> list:
    """Copy the document requirements of an earlier batch to `target` in one action: names, descriptions,
    who provides them, types, blank forms (copied), and due dates moved by the gap between the batches'
    starts; linked to the target's checklist item of the same title, if any. Requirements whose name the
    target already has are skipped. Returns the new requirements."""
    if source.pk == target.pk:
        raise ValidationError({"source": _("Choose another batch to copy from.")})
    existing = set(target.document_requirements.values_list("name_en", flat=True))
    items = {item.title: item for item in target.checklist_items.all()}
    shift = target.start_date - source.start_date
    created = []
    for old in source.document_requirements.select_related("checklist_item").order_by("order", "pk"):
        if old.name_en in existing:
            continue
        new = DocumentRequirement(
            batch=target,
            name_en=old.name_en,
            name_zh=old.name_zh,
            description=old.description,
            required=old.required,
            applies_to=old.applies_to,
            due_date=old.due_date + shift if old.due_date else None,
            accepted_types=old.accepted_types,
            checklist_item=items.get(old.checklist_item.title) if old.checklist_item_id else None,
            order=old.order,
        )
        if old.blank_form:
            new.blank_form = document_storage_copy(old.blank_form, folder=f"forms/{target.pk}")
            new.blank_form_filename = old.blank_form_filename
        new.full_clean()
        new.save()
        created.append(new)
    return created


def _lock_document(placement, requirement):
    return (
        Document.objects.select_for_update(of=("self",))
        .filter(placement=placement, requirement=requirement)
        .select_related("requirement")
        .first()
    )


def document_upload(*, placement: Placement, requirement: DocumentRequirement, upload, actor) -> Document:
    """Hand in (or replace) the placement's file for a requirement. Refused when the requirement is not
    this placement's, when the document was already accepted, or when the file fails the checks
    (placements/documents.py). A replaced file is deleted once the new one is committed."""
    if requirement.batch_id != placement.batch_id or not requirement.applies_to_direction(
        placement.batch.direction
    ):
        raise ValidationError({"requirement": _("This document is not asked of this placement.")})
    if placement.status == Placement.Status.WITHDRAWN:
        raise ValidationError(_("This placement was withdrawn; no documents are needed."))
    checked = document_check_file(upload=upload, accepted_types=requirement.type_list)
    stored = document_store(checked=checked, folder=f"documents/{placement.batch_id}")
    try:
        with transaction.atomic():
            document = _lock_document(placement, requirement)
            if document is not None and document.status == Document.Status.ACCEPTED:
                raise ValidationError(_("This document was accepted and can no longer be replaced."))
            old = document.storage_name if document else ""
            document = document or Document(placement=placement, requirement=requirement)
            document.storage_name = stored
            document.original_name = (upload.name or "")[:255]
            document.content_type = checked.content_type
            document.size = len(checked.content)
            document.sha256 = checked.sha256
            document.status = Document.Status.AWAITING_REVIEW
            document.return_reason = ""
            document.uploaded_at = timezone.now()
            document.uploaded_by = actor
            document.reviewed_at = document.reviewed_by = None
            document.full_clean(exclude=["placement", "requirement", "uploaded_by", "reviewed_by"])
            document.save()
            if old:
                transaction.on_commit(partial(document_storage_delete, old))
    except BaseException:
        document_storage_delete(stored)
        raise
    return document


def _review(document, actor):
    document = (
        # Only the document's row is locked (the checklist item is a nullable join PostgreSQL cannot lock).
        Document.objects.select_for_update(of=("self",))
        .select_related("requirement__checklist_item", "placement__officer", "placement__batch")
        .get(pk=document.pk)
    )
    if document.status != Document.Status.AWAITING_REVIEW:
        raise ValidationError(
            _("This document is %(status)s; only a document awaiting review can be accepted or returned.")
            % {"status": document.get_status_display().lower()}
        )
    document.reviewed_at = timezone.now()
    document.reviewed_by = actor
    return document


@transaction.atomic
def document_accept(*, document: Document, actor) -> Document:
    """Accept a document awaiting review. A linked checklist item is ticked for the participant, unless
    the batch is completed: its checklist is then a record nobody rewrites."""
    document = _review(document, actor)
    document.status = Document.Status.ACCEPTED
    document.return_reason = ""
    document.save(update_fields=["status", "return_reason", "reviewed_at", "reviewed_by"])
    item = document.requirement.checklist_item
    if item is not None and not document.placement.batch.is_completed:
        checklist_item_set_done(placement=document.placement, item=item, done=True, actor=actor)
    return document


@transaction.atomic
def document_return(*, document: Document, actor, reason, email=True) -> Document:
    """Return a document awaiting review with a reason; the participant gets a notice (and, unless
    `email` is false, an e-mail) in their language, and may hand in a new file."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the document is returned.")})
    document = _review(document, actor)
    document.status = Document.Status.RETURNED
    document.return_reason = reason
    document.save(update_fields=["status", "return_reason", "reviewed_at", "reviewed_by"])
    placement = document.placement
    with translation.override(placement.officer.preferred_language):
        headline = _("Your document was returned: %(name)s.") % {"name": local_name(document.requirement)}
        message = "\n".join(
            [headline, _("Reason: %(reason)s") % {"reason": reason}, _("Please hand in a new file.")]
        )
        notice_create(
            officer=placement.officer, placement=placement, subject=headline, message=message, email=email
        )
    return document


def document_access_record(*, documents, user, action) -> list:
    """Log who opened or downloaded which documents (one row each), before the file is handed out."""
    rows = [
        DocumentAccess(
            document=document,
            description=_document_label(document)[:300],
            user=user if user is not None and user.is_authenticated else None,
            action=action,
        )
        for document in documents
    ]
    return DocumentAccess.objects.bulk_create(rows)


@transaction.atomic
def documents_purge(*, documents, reason, by=None) -> int:
    """Delete documents and their files (on commit), logging each deletion with `reason` and `by` (the
    user who asked, None for a scheduled job). Returns how many were deleted."""
    documents = list(documents.select_related("requirement", "placement__officer", "placement__batch"))
    DocumentAccess.objects.bulk_create(
        DocumentAccess(
            document=None,
            description=f"{_document_label(document)} · {reason}"[:300],
            user=by,
            action=DocumentAccess.Action.PURGE,
        )
        for document in documents
    )
    names = [document.storage_name for document in documents]
    Document.objects.filter(pk__in=[document.pk for document in documents]).delete()
    for name in names:
        transaction.on_commit(partial(document_storage_delete, name))
    return len(names)


def documents_purge_expired(*, today=None, days=None) -> int:
    """Retention: delete the documents of batches that ended more than `days` days
    (settings.DOCUMENTS_RETENTION_DAYS) before `today`, logging each. Returns how many."""
    today = today or timezone.localdate()
    days = settings.DOCUMENTS_RETENTION_DAYS if days is None else days
    cutoff = today - datetime.timedelta(days=days)
    return documents_purge(
        documents=documents_past_retention(today=today, days=days),
        reason=f"Retention: batch ended before {cutoff:%Y-%m-%d} ({days} days)",
    )


# --- Reminders (the daily job: manage.py send_reminders, or the clock beside the worker) ----------------


def _reminder_text(*, officer, stage, items):
    """Subject and body of one participant's reminder, in the active language."""
    if stage == ReminderSent.Stage.DUE_SOON:
        subject = _("Exchange Portal: checklist items due within a week")
        intro = _("These items on your exchange checklist are due within the next 7 days:")
    else:
        subject = _("Exchange Portal: checklist items overdue")
        intro = _("These items on your exchange checklist are past their due date:")
    lines = [
        _("Dear %(name)s,") % {"name": officer.name_en},
        "",
        intro,
        *(
            _("- %(title)s (%(batch)s), due %(day)s")
            % {"title": item.title, "batch": item.batch.name, "day": date_format(item.due_date, "j M Y")}
            for item in items
        ),
        "",
        _("Sign in to the Exchange Portal and open your checklist to tick them off."),
        _("You can turn these reminders off on My details."),
    ]
    return subject, "\n".join(lines)


def reminders_send(*, today=None) -> int:
    """Send each participant one e-mail for their checklist items due within 7 days and one for those
    overdue, each item reminded once per stage however often this runs (ReminderSent's unique
    constraint; an officer whose rows another run wrote first is skipped). In the officer's language;
    every send logged as an OutgoingEmail. Returns how many e-mails were queued."""
    today = today or timezone.localdate()
    sent = 0
    for stage, kind in (
        (ReminderSent.Stage.DUE_SOON, OutgoingEmail.Kind.REMINDER_DUE),
        (ReminderSent.Stage.OVERDUE, OutgoingEmail.Kind.REMINDER_OVERDUE),
    ):
        by_placement = {}
        for placement, item in reminders_due(today=today, stage=stage):
            by_placement.setdefault(placement, []).append(item)
        for placement, items in by_placement.items():
            officer = placement.officer
            try:
                with transaction.atomic():
                    ReminderSent.objects.bulk_create(
                        [ReminderSent(item=item, placement=placement, stage=stage) for item in items]
                    )
                    with translation.override(officer.preferred_language):
                        subject, body = _reminder_text(officer=officer, stage=stage, items=items)
                        email = email_queue(
                            to_address=officer.email,
                            to_name=officer.name_en,
                            subject=subject,
                            body=body,
                            officer=officer,
                            kind=kind,
                        )
                    ReminderSent.objects.filter(placement=placement, stage=stage, item__in=items).update(
                        email=email
                    )
            except IntegrityError:
                continue  # another run reminded this participant first
            sent += 1
    return sent


def coordinator_digest_send(*, today=None) -> int:
    """The weekly digest: each coordinator gets one e-mail listing, per batch they coordinate, the
    participants with overdue checklist items. Once per coordinator per week (ISO week), however often it
    runs. Returns how many e-mails were queued."""
    today = today or timezone.localdate()
    week_start = today - datetime.timedelta(days=today.weekday())
    already = set(
        OutgoingEmail.objects.filter(
            kind=OutgoingEmail.Kind.DIGEST, created_at__date__gte=week_start
        ).values_list("to_address", flat=True)
    )
    sent = 0
    for coordinator, batches in batches_behind_for_coordinators(today=today).items():
        if coordinator.email.lower() in already:
            continue
        officer = getattr(coordinator, "officer", None)
        with transaction.atomic(), translation.override(officer.preferred_language if officer else "en"):
            lines = [
                _("Participants behind on their checklists, as of %(day)s:")
                % {"day": date_format(today, "j M Y")}
            ]
            for batch, behind in batches:
                lines += ["", batch.name]
                lines += [
                    _("- %(name)s: %(count)s overdue") % {"name": placement.officer.name_en, "count": count}
                    for placement, count in behind
                ]
            lines += ["", _("Open the batch's checklist page in the Exchange Portal to see the items.")]
            email_queue(
                to_address=coordinator.email.lower(),
                to_name=coordinator.get_full_name() or coordinator.get_username(),
                subject=_("Exchange Portal: weekly checklist digest"),
                body="\n".join(lines),
                kind=OutgoingEmail.Kind.DIGEST,
            )
        sent += 1
    return sent

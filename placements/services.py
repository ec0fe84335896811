"""Writes to programmes, batches and placements. Views, the admin, imports and commands all call these,
so the same rules hold everywhere: one transaction, full_clean(), cross-row rules, then save."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from participants.models import Officer

from .models import Batch, Placement
from .selectors import placement_overlapping


def _fmt(day):
    return day.strftime("%Y-%m-%d")


def batch_validate(*, batch, host_areas=None):
    """Rules of a batch that span rows: its host areas lie in its municipality, and its placements
    still fit its dates. Raises ValidationError keyed by field."""
    errors = {}
    if host_areas is not None and batch.host_municipality_id:
        outside = [a for a in host_areas if a.municipality_id != batch.host_municipality_id]
        if outside:
            errors["host_areas"] = _("%(areas)s not in %(city)s, the batch's host municipality.") % {
                "areas": ", ".join(a.name_en for a in outside),
                "city": batch.host_municipality.name_en,
            }
    if batch.pk and batch.start_date and batch.end_date:
        stray = list(
            batch.placements.exclude(start_date__gte=batch.start_date, end_date__lte=batch.end_date)
            .select_related("officer")
            .order_by("officer__name_en")[:5]
        )
        if stray:
            errors["end_date"] = _(
                "These dates would leave placements outside the batch (%(names)s): change their dates first."
            ) % {"names": ", ".join(p.officer.name_en for p in stray)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def batch_save(*, batch: Batch, host_areas=None, focus_areas=None, coordinators=None) -> Batch:
    """Validate and save a batch; many-to-many fields are set when given."""
    batch.full_clean()
    batch_validate(batch=batch, host_areas=host_areas)
    batch.save()
    if host_areas is not None:
        batch.host_areas.set(host_areas)
    if focus_areas is not None:
        batch.focus_areas.set(focus_areas)
    if coordinators is not None:
        batch.coordinators.set(coordinators)
    return batch


def placement_validate(*, placement: Placement, host_area_ids=None):
    """The rules of a placement that span rows, each refusal keyed by field with a clear message:
    the officer's home side matches the batch's direction; the dates lie within the batch; the host
    area and organisation are in the batch's municipality and the area is one of the batch's; an
    officer never has two overlapping active placements.

    `host_area_ids` lets a caller pass the batch's host areas it already loaded."""
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
        elif host.area_id and area is not None and host.area_id != area.pk:
            errors["host_area"] = _("%(host)s is in %(area)s, not in the host area chosen.") % {
                "host": host.name_en,
                "area": host.area.name_en,
            }
    if placement.is_active and placement.start_date and placement.end_date and "officer" not in errors:
        clash = placement_overlapping(
            officer=officer,
            start_date=placement.start_date,
            end_date=placement.end_date,
            exclude_pk=placement.pk,
        ).first()
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
    placement.save()
    if focus_areas is not None:
        placement.focus_areas.set(focus_areas)
    return placement


def placement_create(*, officer, batch, focus_areas=None, **fields) -> Placement:
    """Place `officer` in `batch`; other fields as on Placement (host_organisation, host_area, role…)."""
    return placement_save(
        placement=Placement(officer=officer, batch=batch, **fields), focus_areas=focus_areas
    )


def roster_export_record(*, batch, user, format, row_count, via):
    """Log one roster export: who (None for the command without --user), which batch, which format, how
    many rows, and whether it came from the web pages, the admin or the command."""
    from .models import RosterExport

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

"""The participant portal's part of the demo: the checklists of the first GBA batch (completed, so mostly
ticked off) and of the 2027 batch (pre-departure items still pending), exchange reports in every state,
and a few notices. Called from Demo.load after the batches exist; loading twice changes nothing.

The first batch is completed, so the services refuse to change its checklist and reports (they are the
record); its rows are written here as the services would have written them at the time, each through
full_clean(): an item the portal ticks itself is ticked only where its fact holds (the report submitted,
the emergency contact given), on the day it happened."""

import datetime

from django.utils import timezone

from placements.models import Batch, ChecklistCompletion, ChecklistItem, ExchangeReport, Notice, Placement
from placements.services import checklist_item_save, notice_create

D = datetime.date
PRE, DURING, AFTER = ChecklistItem.Phase.PRE_DEPARTURE, ChecklistItem.Phase.DURING, ChecklistItem.Phase.AFTER
REPORT, DETAILS = ChecklistItem.Kind.REPORT_SUBMITTED, ChecklistItem.Kind.DETAILS_GIVEN
# The titles of the items the portal ticks itself.
KINDS = {"Submit your exchange report": REPORT, "Give an emergency contact in My details": DETAILS}

# Checklist titles in Chinese (Traditional, as Hong Kong writes them), by the English title.
TITLES_ZH = {
    "Attend the pre-departure briefing": "出席出發前簡介會",
    "Check your travel documents": "檢查旅行證件",
    "Make first contact with your host supervisor": "與接待單位的督導人員首次聯絡",
    "Give an emergency contact in My details": "在「我的資料」填寫緊急聯絡人",
    "Attend the launch ceremony in Shenzhen": "出席深圳啟動儀式",
    "Mid-term check-in with your coordinator": "與統籌人員進行中期檢視",
    "Submit your exchange report": "提交交流報告",
    "Speak at the return sharing session": "在回港分享會上發言",
}

# (title, phase, due date, help text)
FIRST_BATCH_CHECKLIST = [
    (
        "Attend the pre-departure briefing",
        PRE,
        D(2023, 12, 4),
        "At the Civil Service Bureau: the programme, the host bodies, conduct and security on the Mainland.",
    ),
    (
        "Check your travel documents",
        PRE,
        D(2023, 12, 8),
        "Your Home Return Permit must be valid for the whole exchange; tell your coordinator if not.",
    ),
    ("Make first contact with your host supervisor", PRE, D(2023, 12, 11), ""),
    ("Give an emergency contact in My details", PRE, D(2023, 12, 11), ""),
    ("Attend the launch ceremony in Shenzhen", DURING, D(2023, 12, 18), ""),
    (
        "Mid-term check-in with your coordinator",
        DURING,
        D(2024, 1, 26),
        "A short call: how it is going, any help needed.",
    ),
    ("Submit your exchange report", AFTER, D(2024, 3, 22), ""),
    ("Speak at the return sharing session", AFTER, D(2024, 4, 12), ""),
]

NEXT_BATCH_CHECKLIST = [
    ("Attend the pre-departure briefing", PRE, D(2026, 12, 14), "At the Civil Service Bureau."),
    (
        "Check your travel documents",
        PRE,
        D(2026, 12, 18),
        "Your Home Return Permit must be valid until April 2027.",
    ),
    ("Make first contact with your host supervisor", PRE, D(2027, 1, 4), ""),
    ("Give an emergency contact in My details", PRE, D(2027, 1, 4), ""),
    ("Mid-term check-in with your coordinator", DURING, D(2027, 2, 22), ""),
    ("Submit your exchange report", AFTER, D(2027, 4, 23), ""),
]

# First batch: whose report is submitted, whose is a draft (officer09 has not started).
SUBMITTED = ["officer01", "officer02", "officer03", "officer04", "officer05", "officer06", "officer10"]
DRAFT = ["officer07", "officer08"]
# Manual items (by position) each officer of the first batch has not ticked off; everyone else ticked all.
# The report item (6) and the emergency-contact item (3) follow the facts instead.
NOT_DONE = {"officer07": [7], "officer08": [7], "officer09": [7], "officer10": [7]}
SUBMITTED_AT = D(2024, 3, 20)
# The first batch's notices to officer01, with when they were sent and read: the notices history.
OFFICER01_NOTICES = [
    (
        datetime.datetime(2023, 11, 20, 10),
        datetime.datetime(2023, 11, 20, 14),
        "Your placement in GBA first batch · Shenzhen 2023-24 is confirmed.\n"
        "Dates: 18 Dec 2023 to 8 Mar 2024.\n"
        "Host organisation: Futian District People's Government 福田區人民政府.",
    ),
    (
        datetime.datetime(2023, 12, 1, 9),
        datetime.datetime(2023, 12, 1, 12),
        "The pre-departure briefing is on 4 Dec 2023 at the Civil Service Bureau. Please bring your Home "
        "Return Permit.",
    ),
    (
        datetime.datetime(2024, 3, 11, 10),
        None,
        "Thank you for taking part in the first batch in Shenzhen. The return sharing session is on "
        "12 Apr 2024 at the Civil Service Training and Development Institute.",
    ),
]


def _at(day, hour=10):
    if isinstance(day, datetime.datetime):
        return timezone.make_aware(day)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _items(batch, rows):
    items = []
    for order, (title, phase, due, help_text) in enumerate(rows, start=1):
        item = ChecklistItem.objects.filter(batch=batch, title=title).first()
        if item is None:
            item = ChecklistItem(
                batch=batch,
                title=title,
                title_zh=TITLES_ZH[title],
                phase=phase,
                kind=KINDS.get(title, ChecklistItem.Kind.MANUAL),
                due_date=due,
                help_text=help_text,
                order=order * 10,
            )
            if batch.is_completed:
                item.full_clean()
                item.save()
            else:
                item = checklist_item_save(item=item)
        items.append(item)
    return items


def _tick_time(item, officer):
    """When an item was ticked: a manual item on its due day (after the event, for the launch ceremony),
    the report item when the report was submitted, the contact item when the details were first saved."""
    if item.kind == REPORT:
        return _at(SUBMITTED_AT, 16)
    if item.kind == DETAILS:
        return _at(item.due_date - datetime.timedelta(days=3), 9)
    return _at(item.due_date, 18)


def _holds(item, account, officer):
    if item.kind == REPORT:
        return account in SUBMITTED
    if item.kind == DETAILS:
        return bool(officer.emergency_contact_name and officer.emergency_contact_phone)
    return True


def _first_batch_report(placement, user, submit):
    """A report of the (completed) first batch, as report_save wrote it at the time."""
    report = ExchangeReport(placement=placement, **_report_text(placement))
    if submit:
        report.status = ExchangeReport.Status.SUBMITTED
        report.submitted_at = _at(SUBMITTED_AT, 16)
    report.full_clean()
    report._history_user = user
    report.save()


def _report_text(placement):
    focus = ", ".join(f.name_en.lower() for f in placement.focus_areas.all()) or "the host's work"
    host = placement.host_organisation.name_en if placement.host_organisation_id else "the host"
    return {
        "learning": (
            f"Working at the {host} on {focus}, I saw how decisions move from plan to delivery in weeks. "
            "Their one-stop approval desks and the way data is shared between bureaux are ideas my "
            "department could try in Hong Kong. (Fictional demo text.)"
        ),
        "connections": (
            "I worked daily with the section heads who supervised me and met counterparts in three other "
            "bureaux. We agreed to keep in touch through the liaison office and to exchange papers."
        ),
        "goodwill": (
            "I gave a talk on how the Hong Kong civil service works, joined two community visits, and "
            "hosted my colleagues when they came to Hong Kong for a meeting."
        ),
        "highlights": "The launch ceremony, and a site visit to a new cross-boundary facility.",
        "suggestions": "A short Putonghua refresher before departure would help future batches.",
    }


def load_portal(*, log=print):
    first = Batch.objects.get(programme__short_name="GBA", direction=Batch.Direction.OUTBOUND, number=1)
    nxt = Batch.objects.get(programme__short_name="GBA", direction=Batch.Direction.OUTBOUND, number=2)
    first_items = _items(first, FIRST_BATCH_CHECKLIST)
    _items(nxt, NEXT_BATCH_CHECKLIST)

    placements = (
        Placement.objects.for_batch(first)
        .select_related("officer__user", "host_organisation", "batch")
        .prefetch_related("focus_areas")
    )
    for placement in placements:
        officer = placement.officer
        user = officer.user
        account = user.username if user else ""
        skipped = NOT_DONE.get(account, [])
        for position, item in enumerate(first_items):
            if position in skipped or not _holds(item, account, officer):
                continue
            ChecklistCompletion.objects.get_or_create(
                placement=placement,
                item=item,
                defaults={
                    "completed_at": _tick_time(item, officer),
                    "completed_by": None if item.is_automatic else user,
                },
            )
        if account in SUBMITTED + DRAFT and not ExchangeReport.objects.filter(placement=placement).exists():
            _first_batch_report(placement, user, submit=account in SUBMITTED)
        if account == "officer01" and not Notice.objects.filter(placement=placement).exists():
            for sent, read, message in OFFICER01_NOTICES:
                notice = notice_create(officer=officer, placement=placement, email=False, message=message)
                # Sent and read on the days they were, not the day the demo is loaded.
                Notice.objects.filter(pk=notice.pk).update(
                    created_at=_at(sent), read_at=_at(read) if read else None
                )
    for placement in Placement.objects.for_batch(nxt).select_related("officer", "batch"):
        if not Notice.objects.filter(placement=placement).exists():
            notice_create(
                officer=placement.officer,
                placement=placement,
                email=False,
                message=(
                    f"You are nominated for {nxt.name}, 11 Jan 2027 to 9 Apr 2027. "
                    "Your checklist for before departure is ready on this page."
                ),
            )
    log("Portal demo: checklists, exchange reports and notices ready.")

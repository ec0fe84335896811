"""The participant portal's part of the demo: the checklists of the first GBA batch (completed, so mostly
ticked off) and of the 2027 batch (pre-departure items still pending), exchange reports in every state,
and a few notices. Called from Demo.load after the batches exist; loading twice changes nothing."""

import datetime

from django.utils import timezone

from placements.models import Batch, ChecklistCompletion, ChecklistItem, ExchangeReport, Notice, Placement
from placements.services import checklist_item_save, notice_create, report_save

D = datetime.date
PRE, DURING, AFTER = ChecklistItem.Phase.PRE_DEPARTURE, ChecklistItem.Phase.DURING, ChecklistItem.Phase.AFTER

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
# Items (by position) each officer of the first batch has not ticked off; everyone else ticked all.
NOT_DONE = {"officer07": [6, 7], "officer08": [6, 7], "officer09": [6, 7], "officer10": [7]}


def _at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _items(batch, rows):
    items = []
    for order, (title, phase, due, help_text) in enumerate(rows, start=1):
        item = ChecklistItem.objects.filter(batch=batch, title=title).first()
        if item is None:
            item = checklist_item_save(
                item=ChecklistItem(
                    batch=batch,
                    title=title,
                    title_zh=TITLES_ZH[title],
                    phase=phase,
                    due_date=due,
                    help_text=help_text,
                    order=order * 10,
                )
            )
        items.append(item)
    return items


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
    nxt = Batch.objects.get(programme__short_name="GBA", direction=Batch.Direction.OUTBOUND, number=4)
    first_items = _items(first, FIRST_BATCH_CHECKLIST)
    _items(nxt, NEXT_BATCH_CHECKLIST)

    placements = (
        Placement.objects.for_batch(first)
        .select_related("officer__user", "host_organisation", "batch")
        .prefetch_related("focus_areas")
    )
    for placement in placements:
        user = placement.officer.user
        account = user.username if user else ""
        skipped = NOT_DONE.get(account, [])
        for position, item in enumerate(first_items):
            if position in skipped:
                continue
            ChecklistCompletion.objects.get_or_create(
                placement=placement,
                item=item,
                defaults={
                    "completed_at": _at(item.due_date - datetime.timedelta(days=1)),
                    "completed_by": user,
                },
            )
        if account in SUBMITTED + DRAFT and not ExchangeReport.objects.filter(placement=placement).exists():
            submit = account in SUBMITTED
            report = report_save(placement=placement, data=_report_text(placement), actor=user, submit=submit)
            if submit:  # as if submitted on time, not today
                ExchangeReport.objects.filter(pk=report.pk).update(submitted_at=_at(D(2024, 3, 20), 16))
        if account == "officer01" and not Notice.objects.filter(placement=placement).exists():
            notice_create(
                officer=placement.officer,
                placement=placement,
                email=False,
                message=(
                    "Thank you for taking part in the first batch in Shenzhen. The return sharing session "
                    "is on 12 Apr 2024 at the Civil Service Training and Development Institute."
                ),
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

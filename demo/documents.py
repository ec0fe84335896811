"""The documents part of the demo: what the first GBA batch handed in (all accepted; generated, harmless
PDFs and pictures that say they are fictional) and the 2027 batch's requirements, copied from the first
batch, with a mix of missing, awaiting-review and returned documents. Every file goes through the same
services and checks as a real upload. Loading twice changes nothing."""

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from placements.models import Batch, ChecklistItem, Document, DocumentRequirement, Placement
from placements.services import (
    document_accept,
    document_requirement_save,
    document_requirements_copy,
    document_return,
    document_upload,
)

D = datetime.date
ALL, PDF_ONLY = "pdf,jpeg,png", "pdf"

# (English name, Chinese name, description, accepted types, due date, required, checklist item title)
FIRST_BATCH_REQUIREMENTS = [
    (
        "Copy of the Mainland Travel Permit",
        "港澳居民來往內地通行證副本",
        "Both sides of the permit, valid for the whole exchange. A clear photo or a scan.",
        ALL,
        D(2023, 12, 8),
        True,
        "Check your travel documents",
    ),
    (
        "Signed undertaking",
        "已簽署的承諾書",
        "Download the blank form, sign it, and hand in a scan.",
        PDF_ONLY,
        D(2023, 12, 8),
        True,
        None,
    ),
    (
        "Medical declaration",
        "健康申報表",
        "Signed by you; no medical reports.",
        PDF_ONLY,
        D(2023, 12, 8),
        True,
        None,
    ),
    (
        "Department's endorsement",
        "部門推薦書",
        "The memo from your head of department endorsing your nomination.",
        PDF_ONLY,
        D(2023, 12, 1),
        True,
        None,
    ),
]


def demo_pdf(title, subtitle="Fictional demo document - not a real record."):
    """A one-page PDF with two lines of text, written by hand: no script, no form, nothing active."""
    text = (
        f"BT /F1 20 Tf 72 760 Td ({_pdf_escape(title)}) Tj 0 -30 Td /F1 12 Tf ({_pdf_escape(subtitle)}) Tj ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode("latin-1")),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _pdf_escape(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def demo_picture(caption):
    """A small JPEG of a card with a caption, standing in for a photo of a travel permit."""
    image = Image.new("RGB", (480, 300), (228, 236, 246))
    draw = ImageDraw.Draw(image)
    draw.rectangle((12, 12, 468, 288), outline=(40, 70, 120), width=4)
    draw.text((32, 40), "DEMO - NOT A REAL DOCUMENT", fill=(160, 20, 20))
    draw.text((32, 80), caption, fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _file(requirement, placement):
    label = f"{requirement.name_en} - {placement.officer.name_en}"
    if requirement.name_en.startswith("Copy of the Mainland Travel Permit"):
        return SimpleUploadedFile("permit.jpg", demo_picture(label), content_type="image/jpeg")
    return SimpleUploadedFile("scan.pdf", demo_pdf(label), content_type="application/pdf")


def _requirements(batch, items):
    requirements = []
    for order, (name_en, name_zh, description, types, due, required, item_title) in enumerate(
        FIRST_BATCH_REQUIREMENTS, start=1
    ):
        requirement = DocumentRequirement.objects.filter(batch=batch, name_en=name_en).first()
        if requirement is None:
            requirement = DocumentRequirement(
                batch=batch,
                name_en=name_en,
                name_zh=name_zh,
                description=description,
                accepted_types=types,
                due_date=due,
                required=required,
                checklist_item=items.get(item_title),
                order=order * 10,
            )
            blank = None
            if name_en == "Signed undertaking":
                blank = SimpleUploadedFile("undertaking-form.pdf", demo_pdf("Undertaking (blank form)"))
            document_requirement_save(requirement=requirement, blank_form=blank)
        requirements.append(requirement)
    return requirements


def _at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def load_documents(*, log=print):
    first = Batch.objects.get(programme__short_name="GBA", direction=Batch.Direction.OUTBOUND, number=1)
    nxt = Batch.objects.get(programme__short_name="GBA", direction=Batch.Direction.OUTBOUND, number=2)
    coordinator = get_user_model().objects.get(username="coordinator")
    items = {item.title: item for item in ChecklistItem.objects.filter(batch=first)}
    requirements = _requirements(first, items)

    for placement in Placement.objects.for_batch(first).select_related("officer__user", "batch"):
        for requirement in requirements:
            if Document.objects.filter(placement=placement, requirement=requirement).exists():
                continue
            document = document_upload(
                placement=placement,
                requirement=requirement,
                upload=_file(requirement, placement),
                actor=placement.officer.user,
            )
            document_accept(document=document, actor=coordinator)
            # As if handed in and reviewed before departure, not today.
            Document.objects.filter(pk=document.pk).update(
                uploaded_at=_at(requirement.due_date - datetime.timedelta(days=3)),
                reviewed_at=_at(requirement.due_date - datetime.timedelta(days=1), 15),
            )

    if not nxt.document_requirements.exists():
        document_requirements_copy(source=first, target=nxt)
    by_name = {r.name_en: r for r in nxt.document_requirements.all()}
    permit, undertaking = by_name["Copy of the Mainland Travel Permit"], by_name["Signed undertaking"]
    placements = {
        p.officer.user.username: p
        # Officers with an account only: a nominations import (the load test's) or the selection demo
        # (demo/selection.py) may have added others.
        for p in Placement.objects.for_batch(nxt)
        .filter(officer__user__isnull=False)
        .select_related("officer__user", "batch")
    }
    # officer02: the undertaking awaits review, the permit copy was returned; the rest is missing.
    # officer06: the permit copy awaits review; the rest is missing.
    plan = [
        ("officer02", undertaking, None),
        (
            "officer02",
            permit,
            "The photo is cut off at the bottom: please hand in both sides, the whole permit in the picture.",
        ),
        ("officer06", permit, None),
    ]
    for account, requirement, returned_because in plan:
        placement = placements.get(account)
        if (
            placement is None
            or Document.objects.filter(placement=placement, requirement=requirement).exists()
        ):
            continue
        document = document_upload(
            placement=placement,
            requirement=requirement,
            upload=_file(requirement, placement),
            actor=placement.officer.user,
        )
        if returned_because:
            document_return(document=document, actor=coordinator, reason=returned_because, email=False)
    log("Documents demo: the first batch's accepted documents, the 2027 batch's mix.")

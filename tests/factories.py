"""Factories that build valid rows. Reference data from the migrations is in every test database, so
names here are sequenced to never collide with it."""

import datetime
import hashlib
import io

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from core.roles import COORDINATOR, CSB_STAFF, HOST_COORDINATOR, NOMINATING_OFFICER, PARTICIPANT
from participants.models import Department, DepartmentFormerName, Grade, Officer, Rank
from placements.documents import documents_storage
from placements.models import (
    Agreement,
    Batch,
    CalendarFeed,
    ChecklistCompletion,
    ChecklistItem,
    ContactSheetAccess,
    Document,
    DocumentRequirement,
    ExchangeReport,
    FocusArea,
    HostArea,
    HostOrganisation,
    Municipality,
    Notice,
    Placement,
    Programme,
    RosterExport,
)
from selection.models import (
    Call,
    CallHostPlaces,
    CallInvitation,
    HostCoordinator,
    NominatingOfficer,
    Nomination,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n:04d}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.hk")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("pw-for-tests")


def in_group(name):
    """A post-generation step that puts the new user in the role's group."""

    def add(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get(name=name))

    return factory.PostGeneration(add)


class CsbStaffFactory(UserFactory):
    is_staff = True
    role = in_group(CSB_STAFF)


class CoordinatorUserFactory(UserFactory):
    role = in_group(COORDINATOR)


class ParticipantUserFactory(UserFactory):
    role = in_group(PARTICIPANT)


class NominatorUserFactory(UserFactory):
    role = in_group(NOMINATING_OFFICER)


class HostCoordinatorUserFactory(UserFactory):
    role = in_group(HOST_COORDINATOR)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name_en = factory.Sequence(lambda n: f"Test Department {n}")
    name_zh = factory.Sequence(lambda n: f"測試部門{n}")
    abbreviation = factory.Sequence(lambda n: f"TD{n}")
    kind = Department.Kind.DEPARTMENT


class DepartmentFormerNameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DepartmentFormerName

    department = factory.SubFactory(DepartmentFactory)
    name_en = factory.Sequence(lambda n: f"Former Office {n}")
    name_zh = factory.Sequence(lambda n: f"前辦公室{n}")
    abbreviation = factory.Sequence(lambda n: f"FO{n}")
    renamed_on = datetime.date(2024, 7, 25)


class GradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grade

    name_en = factory.Sequence(lambda n: f"Test Grade {n}")
    name_zh = factory.Sequence(lambda n: f"測試職系{n}")
    abbreviation = factory.Sequence(lambda n: f"TG{n}")
    kind = Grade.Kind.GENERAL


class RankFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rank

    grade = factory.SubFactory(GradeFactory)
    name_en = factory.Sequence(lambda n: f"Test Rank {n}")
    name_zh = factory.Sequence(lambda n: f"測試職級{n}")
    seniority = 1


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    name_en = factory.Sequence(lambda n: f"CHAN Test-{n}")
    name_zh = factory.Sequence(lambda n: f"陳測試{n}")
    email = factory.Sequence(lambda n: f"officer{n}@test.gov.hk")
    post_title = "Senior Executive Officer (Test)"
    home_side = Officer.HomeSide.HONG_KONG
    home_department = factory.SubFactory(DepartmentFactory)
    rank = factory.SubFactory(RankFactory)
    phone = "+852 2810 2000"

    class Params:
        mainland = factory.Trait(
            home_side=Officer.HomeSide.MAINLAND,
            home_department=None,
            rank=None,
            mainland_body_en="Shenzhen Municipal Test Bureau",
            mainland_body_zh="深圳市測試局",
            phone="+86 138 0013 8000",
        )


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name_en = factory.Sequence(lambda n: f"Test City {n}")
    name_zh = factory.Sequence(lambda n: f"測試市{n}")
    region = Municipality.Region.GBA_MAINLAND


class HostAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostArea

    municipality = factory.SubFactory(MunicipalityFactory)
    name_en = factory.Sequence(lambda n: f"Test District {n}")
    name_zh = factory.Sequence(lambda n: f"測試區{n}")
    kind = HostArea.Kind.DISTRICT


class HostOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostOrganisation

    municipality = factory.SubFactory(MunicipalityFactory)
    name_en = factory.Sequence(lambda n: f"Test Host Bureau {n}")
    name_zh = factory.Sequence(lambda n: f"測試局{n}")


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    name_en = factory.Sequence(lambda n: f"Test focus {n}")
    name_zh = factory.Sequence(lambda n: f"測試範疇{n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name_en = factory.Sequence(lambda n: f"Test Exchange Programme {n}")
    name_zh = factory.Sequence(lambda n: f"測試交流計劃{n}")
    short_name = factory.Sequence(lambda n: f"TEP{n}")
    started_on = datetime.date(2023, 1, 1)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Test agreement {n}")
    parties = "Civil Service Bureau\nTest Municipal Government"
    signed_on = datetime.date(2023, 9, 12)


class BatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Batch
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Test batch {n}")
    direction = Batch.Direction.OUTBOUND
    host_municipality = factory.SubFactory(MunicipalityFactory)
    start_date = datetime.date(2025, 1, 6)
    end_date = datetime.date(2025, 4, 4)
    status = Batch.Status.PLANNED

    @factory.post_generation
    def host_areas(batch, create, extracted, **kwargs):
        if create and extracted:
            batch.host_areas.set(extracted)

    @factory.post_generation
    def focus_areas(batch, create, extracted, **kwargs):
        if create and extracted:
            batch.focus_areas.set(extracted)

    @factory.post_generation
    def coordinators(batch, create, extracted, **kwargs):
        if create and extracted:
            batch.coordinators.set(extracted)


class PlacementFactory(factory.django.DjangoModelFactory):
    """A placement in a batch, dated as the batch; pass host_area only if it is one of the batch's."""

    class Meta:
        model = Placement
        skip_postgeneration_save = True

    officer = factory.SubFactory(OfficerFactory)
    batch = factory.SubFactory(BatchFactory)
    home_department = factory.SelfAttribute("officer.home_department")
    host_organisation = factory.SubFactory(
        HostOrganisationFactory, municipality=factory.SelfAttribute("..batch.host_municipality")
    )
    role = "Attached officer"
    start_date = factory.SelfAttribute("batch.start_date")
    end_date = factory.SelfAttribute("batch.end_date")
    status = Placement.Status.CONFIRMED

    @factory.post_generation
    def focus_areas(placement, create, extracted, **kwargs):
        if create and extracted:
            placement.focus_areas.set(extracted)


class RosterExportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RosterExport

    batch = factory.SubFactory(BatchFactory)
    user = factory.SubFactory(CoordinatorUserFactory)
    format = "csv"
    row_count = 10


class ContactSheetAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactSheetAccess

    batch = factory.SubFactory(BatchFactory)
    user = factory.SubFactory(CoordinatorUserFactory)
    action = ContactSheetAccess.Action.VIEW
    row_count = 0


# --- The participant portal -----------------------------------------------------------------------------


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    batch = factory.SubFactory(BatchFactory)
    title = factory.Sequence(lambda n: f"Checklist task {n}")
    phase = ChecklistItem.Phase.PRE_DEPARTURE
    due_date = factory.LazyAttribute(lambda item: item.batch.start_date - datetime.timedelta(days=7))
    order = factory.Sequence(lambda n: n)


class ChecklistCompletionFactory(factory.django.DjangoModelFactory):
    """A tick; pass placement and item of the same batch."""

    class Meta:
        model = ChecklistCompletion

    placement = factory.SubFactory(PlacementFactory)
    item = factory.SubFactory(ChecklistItemFactory, batch=factory.SelfAttribute("..placement.batch"))
    completed_at = factory.LazyFunction(timezone.now)
    completed_by = factory.SelfAttribute("placement.officer.user")


class ExchangeReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeReport

    placement = factory.SubFactory(PlacementFactory)
    learning = "Their one-stop approval desks could work in Hong Kong."
    connections = "Met counterparts in three bureaux."
    goodwill = "Gave a talk on the Hong Kong civil service."
    status = ExchangeReport.Status.DRAFT

    class Params:
        submitted = factory.Trait(
            status=ExchangeReport.Status.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now)
        )


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notice

    placement = factory.SubFactory(PlacementFactory)
    officer = factory.SelfAttribute("placement.officer")
    message = factory.Sequence(lambda n: f"Your placement has changed ({n}).")


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarFeed

    user = factory.SubFactory(CoordinatorUserFactory)
    token = factory.Sequence(lambda n: f"test-calendar-token-{n:06d}")
    language = "en"


# --- Documents ---------------------------------------------------------------------------------------------


def pdf_bytes(*, javascript=False, launch=False, password=None):
    """A one-page PDF; optionally with a script, a launch action, or a password."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if javascript:
        # A document-level script in the /Names tree, as Acrobat writes it.
        script = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Action"),
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hello');"),
            }
        )
        names = ArrayObject([TextStringObject("hello"), writer._add_object(script)])
        tree = DictionaryObject({NameObject("/Names"): names})
        writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})
    if launch:
        action = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Action"),
                NameObject("/S"): NameObject("/Launch"),
                NameObject("/F"): TextStringObject("calc.exe"),
            }
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(format="JPEG", *, gps=False, size=(64, 48)):
    """A small image; with `gps`, EXIF carrying a camera model and a GPS position (Hong Kong)."""
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    options = {}
    if gps:
        exif = Image.Exif()
        exif[0x0110] = "Test camera"  # Model
        exif[0x8825] = {1: "N", 2: (22.0, 17.0, 0.0), 3: "E", 4: (114.0, 10.0, 0.0)}  # GPSInfo
        options["exif"] = exif
    image.save(out, format=format, **options)
    return out.getvalue()


class DocumentRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentRequirement

    batch = factory.SubFactory(BatchFactory)
    name_en = factory.Sequence(lambda n: f"Document {n}")
    name_zh = factory.Sequence(lambda n: f"文件{n}")
    required = True
    applies_to = DocumentRequirement.AppliesTo.ALL
    accepted_types = "pdf,jpeg,png"
    order = factory.Sequence(lambda n: n)


def _stored_pdf(document):
    content = pdf_bytes()
    name = documents_storage().save(f"documents/test/{document.original_name}", ContentFile(content))
    return name


class DocumentFactory(factory.django.DjangoModelFactory):
    """A document with a real stored PDF; pass placement and requirement of the same batch."""

    class Meta:
        model = Document

    placement = factory.SubFactory(PlacementFactory)
    requirement = factory.SubFactory(
        DocumentRequirementFactory, batch=factory.SelfAttribute("..placement.batch")
    )
    original_name = factory.Sequence(lambda n: f"scan-{n}.pdf")
    storage_name = factory.LazyAttribute(_stored_pdf)
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda d: documents_storage().size(d.storage_name))
    sha256 = factory.LazyAttribute(lambda d: hashlib.sha256(b"").hexdigest())
    status = Document.Status.AWAITING_REVIEW
    uploaded_at = factory.LazyFunction(timezone.now)


class NominatingOfficerFactory(factory.django.DjangoModelFactory):
    """A nominating officer with a login; pass departments=[...] to scope them (none by default)."""

    class Meta:
        model = NominatingOfficer
        skip_postgeneration_save = True

    user = factory.SubFactory(NominatorUserFactory)
    name = factory.Sequence(lambda n: f"NOMINATOR Number-{n}")
    post = "Departmental Secretary"
    email = factory.LazyAttribute(lambda n: n.user.email)

    @factory.post_generation
    def departments(nominator, create, extracted, **kwargs):
        if create and extracted:
            nominator.departments.set(extracted)


class HostCoordinatorFactory(factory.django.DjangoModelFactory):
    """A host coordinator with a login; pass host_organisations=[...] to scope them (none by default)."""

    class Meta:
        model = HostCoordinator
        skip_postgeneration_save = True

    user = factory.SubFactory(HostCoordinatorUserFactory)
    name = factory.Sequence(lambda n: f"HOST Coordinator-{n}")
    post = "Liaison officer"
    email = factory.LazyAttribute(lambda h: h.user.email)

    @factory.post_generation
    def host_organisations(coordinator, create, extracted, **kwargs):
        if create and extracted:
            coordinator.host_organisations.set(extracted)


class CallFactory(factory.django.DjangoModelFactory):
    """An open call for a batch; opens and closes around today unless told otherwise."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    batch = factory.SubFactory(BatchFactory)
    places = 10
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    status = Call.Status.OPEN
    opened_at = factory.LazyFunction(timezone.now)


class CallInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallInvitation

    call = factory.SubFactory(CallFactory)
    department = factory.SubFactory(DepartmentFactory)
    quota = 2


class CallHostPlacesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallHostPlaces

    call = factory.SubFactory(CallFactory)
    host_organisation = factory.SubFactory(
        HostOrganisationFactory, municipality=factory.SelfAttribute("..call.batch.host_municipality")
    )
    places = 2


class NominationFactory(factory.django.DjangoModelFactory):
    """A nomination of an officer by their own department; the department is invited if it was not."""

    class Meta:
        model = Nomination
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    officer = factory.SubFactory(OfficerFactory)
    department = factory.SelfAttribute("officer.home_department")
    statement = "Leads the department's cross-boundary projects."
    department_ranking = factory.Sequence(lambda n: n + 1)
    endorsed_by_name = "WONG Ka-ming"
    endorsed_by_post = "Departmental Secretary"
    endorsed_on = factory.LazyFunction(timezone.localdate)
    consent = Nomination.Consent.PENDING
    status = Nomination.Status.NOMINATED

    @factory.post_generation
    def invited(nomination, create, extracted, **kwargs):
        if create:
            CallInvitation.objects.get_or_create(
                call=nomination.call, department=nomination.department, defaults={"quota": 5}
            )

    @factory.post_generation
    def focus_areas(nomination, create, extracted, **kwargs):
        if create and extracted:
            nomination.focus_areas.set(extracted)


# --- 16C

from selection.models import HostChangeRequest  # noqa: E402  (16C's block, kept apart for merging)


def proposed_placement(*, host_organisation, call=None, nomination=None, **fields):
    """A placement made by a selection (its nomination selected), awaiting the host: status nominated at
    `host_organisation`, in the call's batch (the batch is hosted in the organisation's municipality)."""
    if call is None:
        call = CallFactory(batch__host_municipality=host_organisation.municipality)
    nomination = nomination or NominationFactory(
        call=call, consent=Nomination.Consent.GIVEN, status=Nomination.Status.SELECTED
    )
    fields = {"status": Placement.Status.NOMINATED, "role": "", **fields}
    placement = PlacementFactory(
        officer=nomination.officer, batch=call.batch, host_organisation=host_organisation, **fields
    )
    nomination.placement = placement
    nomination.proposed_host_organisation = host_organisation
    nomination.save(update_fields=["placement", "proposed_host_organisation"])
    return placement


class HostChangeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostChangeRequest

    placement = factory.SubFactory(PlacementFactory)
    requested_by = factory.SubFactory(HostCoordinatorUserFactory)
    reason = "The officer's focus areas do not match the bureau's work this spring."

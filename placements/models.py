from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import RemembersLoadedValues, TimeStampedModel
from participants.models import Department, Officer

from .managers import BatchQuerySet, PlacementQuerySet


class Municipality(TimeStampedModel):
    """A city: the nine Mainland GBA municipalities, the two SARs, and the older programme's partners."""

    class Region(models.TextChoices):
        GBA_MAINLAND = "gba_mainland", _("Greater Bay Area (Mainland)")
        SAR = "sar", _("Special Administrative Region")
        OTHER_MAINLAND = "other_mainland", _("Other Mainland")

    name_en = models.CharField(_("English name"), max_length=100, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=40, unique=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    province_en = models.CharField(_("province"), max_length=100, blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return f"{self.name_en} {self.name_zh}"


class HostArea(TimeStampedModel):
    """A host area within a municipality: a district, a functional area or a cooperation zone, or a
    district that is also a cooperation zone's area (Nansha: a district of Guangzhou whose government hosts
    officers, and the Nansha area of the Guangdong-Hong Kong-Macao cooperation zones)."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("District")
        FUNCTIONAL_AREA = "functional_area", _("Functional area")
        COOPERATION_ZONE = "cooperation_zone", _("Cooperation zone")
        DISTRICT_AND_ZONE = "district_and_zone", _("District, also a cooperation zone")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="areas", verbose_name=_("municipality")
    )
    name_en = models.CharField(_("English name"), max_length=150)
    name_zh = models.CharField(_("Chinese name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DISTRICT)
    full_name_en = models.CharField(
        _("full English name"), max_length=250, blank=True, help_text=_("For zones, the official long name.")
    )
    full_name_zh = models.CharField(_("full Chinese name"), max_length=100, blank=True)

    class Meta:
        ordering = ["municipality__name_en", "name_en"]
        verbose_name = _("host area")
        verbose_name_plural = _("host areas (districts and zones)")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name_en"], name="host_area_name_en_unique"),
            models.UniqueConstraint(fields=["municipality", "name_zh"], name="host_area_name_zh_unique"),
        ]

    def __str__(self):
        # The kind's label looked up directly: get_kind_display() hashes every choice's lazy label (each a
        # translation) on each call, and a batch page lists thirty areas.
        kind = HOST_AREA_KIND_LABELS.get(self.kind, self.kind)
        return f"{self.name_en} {self.name_zh} ({kind})"


HOST_AREA_KIND_LABELS = dict(HostArea.Kind.choices)


class HostOrganisation(TimeStampedModel):
    """A government body that hosts officers: a Mainland body, or a Hong Kong bureau for inbound officers."""

    name_en = models.CharField(_("English name"), max_length=250)
    name_zh = models.CharField(_("Chinese name"), max_length=120, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=30, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="host_organisations",
        verbose_name=_("municipality"),
    )
    area = models.ForeignKey(
        HostArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="host_organisations",
        verbose_name=_("host area"),
        help_text=_("Leave empty for a municipal body that is not tied to one district or zone."),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="host_organisations",
        verbose_name=_("Hong Kong bureau or department"),
        help_text=_("For Hong Kong hosts of inbound officers."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["municipality__name_en", "name_en"]
        verbose_name = _("host organisation")
        verbose_name_plural = _("host organisations")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name_en"], name="host_organisation_name_unique")
        ]

    def __str__(self):
        return f"{self.name_en} {self.name_zh}".strip()

    def clean(self):
        if self.area_id and self.municipality_id and self.area.municipality_id != self.municipality_id:
            raise ValidationError({"area": _("The host area must lie in the organisation's municipality.")})


class FocusArea(TimeStampedModel):
    name_en = models.CharField(_("English name"), max_length=120, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=40, unique=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")

    def __str__(self):
        return f"{self.name_en} {self.name_zh}"


class Programme(TimeStampedModel):
    name_en = models.CharField(_("English name"), max_length=250, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=120, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, unique=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    coordinated_by = models.CharField(_("coordinated by"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["started_on", "name_en"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return self.name_en


class Agreement(TimeStampedModel):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=300)
    parties = models.TextField(_("parties"), help_text=_("One party per line."))
    signed_on = models.DateField(_("signed on"))
    signed_at = models.CharField(_("signed at"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self):
        return f"{self.title} ({self.signed_on:%Y-%m-%d})"

    @property
    def party_list(self):
        return [line.strip() for line in self.parties.splitlines() if line.strip()]


class Batch(TimeStampedModel):
    """A cohort of officers sent to (outbound) or received from (inbound) a municipality together."""

    class Direction(models.TextChoices):
        OUTBOUND = "outbound", _("Outbound (Hong Kong officers to the Mainland)")
        INBOUND = "inbound", _("Inbound (Mainland officers to Hong Kong)")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        NOMINATING = "nominating", _("Nominating")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="batches", verbose_name=_("programme")
    )
    number = models.PositiveSmallIntegerField(_("batch number"))
    name = models.CharField(
        _("name"), max_length=200, unique=True, help_text=_("e.g. GBA first batch, Shenzhen 2023-24.")
    )
    name_zh = models.CharField(
        _("Chinese name"),
        max_length=100,
        blank=True,
        help_text=_("Optional, in Traditional Chinese (shown in Simplified to Simplified readers)."),
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    host_municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="batches", verbose_name=_("host municipality")
    )
    host_areas = models.ManyToManyField(
        HostArea, blank=True, related_name="batches", verbose_name=_("host areas")
    )
    focus_areas = models.ManyToManyField(
        FocusArea, blank=True, related_name="batches", verbose_name=_("focus areas")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    launch_date = models.DateField(_("launch date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_batches",
        verbose_name=_("coordinators"),
        help_text=_("CSB and host-side liaison officers who see this batch's pages and rosters."),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = BatchQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[host_areas, focus_areas, coordinators])

    class Meta:
        ordering = ["-start_date", "programme__short_name", "number"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        permissions = [("export_roster", _("Can export batch rosters"))]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "direction", "number"], name="batch_number_unique_in_programme"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")),
                name="batch_ends_after_start",
                violation_error_message=_("A batch must end after it starts."),
            ),
        ]

    def __str__(self):
        # No related object here: admin filters and choices list every batch by its name.
        return self.name

    def clean(self):
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("The end date must be after the start date.")})
        if self.launch_date and self.end_date and self.launch_date > self.end_date:
            raise ValidationError({"launch_date": _("The launch date cannot be after the batch ends.")})

    @property
    def duration_days(self):
        return (self.end_date - self.start_date).days + 1

    @property
    def is_completed(self):
        """A completed batch's checklists and reports are a record: read-only (services refuse writes)."""
        return self.status == self.Status.COMPLETED

    def get_absolute_url(self):
        return reverse("coordination:batch_detail", args=[self.pk])


class Placement(RemembersLoadedValues, TimeStampedModel):
    """One officer's attachment in one batch."""

    # The batch it was read in: a move to another batch makes both batches' cached pages stale.
    remembered_fields = ("batch_id",)

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        CONFIRMED = "confirmed", _("Confirmed")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="placements", verbose_name=_("officer")
    )
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, related_name="placements", verbose_name=_("batch")
    )
    home_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("home bureau or department"),
        help_text=_("Where the officer served when placed; filled from the officer when left empty."),
    )
    host_organisation = models.ForeignKey(
        HostOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("host organisation"),
    )
    host_area = models.ForeignKey(
        HostArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("host area"),
    )
    focus_areas = models.ManyToManyField(
        FocusArea, blank=True, related_name="placements", verbose_name=_("focus areas")
    )
    role = models.CharField(
        _("role at the host"),
        max_length=250,
        blank=True,
        help_text=_("e.g. Special assistant to a deputy district head."),
    )
    role_zh = models.CharField(
        _("role at the host (Chinese)"),
        max_length=120,
        blank=True,
        help_text=_("Optional, in Traditional Chinese (shown in Simplified to Simplified readers)."),
    )
    host_supervisor = models.CharField(_("host supervisor"), max_length=200, blank=True)
    start_date = models.DateField(
        _("start date"), blank=True, help_text=_("Defaults to the batch's start date.")
    )
    end_date = models.DateField(_("end date"), blank=True, help_text=_("Defaults to the batch's end date."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOMINATED)

    objects = PlacementQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[focus_areas])

    class Meta:
        ordering = ["batch", "officer__name_en"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "batch"],
                name="placement_once_per_batch",
                violation_error_message=_("This officer is already placed in this batch."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="placement_ends_after_start",
                violation_error_message=_("A placement cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["officer", "start_date", "end_date"], name="placement_officer_dates")]

    def __str__(self):
        return f"{self.officer.name_en} · {self.batch}"

    @property
    def is_active(self):
        return self.status != self.Status.WITHDRAWN

    @property
    def may_report(self):
        """Whether the officer is asked for an exchange report: the placement is confirmed (or under way,
        or done), not merely nominated or withdrawn."""
        return self.status not in (self.Status.NOMINATED, self.Status.WITHDRAWN)

    @classmethod
    def withdrawn_last(cls):
        """An ordering expression that puts withdrawn placements after the others."""
        return models.Case(
            models.When(status=cls.Status.WITHDRAWN, then=1), default=0, output_field=models.IntegerField()
        )

    def home_department_name(self):
        """The home department's name in force when the placement started (renames keep history)."""
        if not self.home_department_id:
            return None
        return self.home_department.name_on(self.start_date)

    def clean(self):
        # Defaults come from the batch; the cross-row rules live in services.placement_validate.
        # The batch may be one being added on the same admin page (set, not saved yet).
        batch = self.batch if self.batch_id or Placement.batch.is_cached(self) else None
        if batch is not None:
            self.start_date = self.start_date or batch.start_date
            self.end_date = self.end_date or batch.end_date
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


class ContactSheetAccess(models.Model):
    """A record of every view and download of a batch's contact sheet (its participants' phones,
    emergency contacts and needs): who, when, which batch, how, and whose details were shown."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed (or printed)")
        CSV = "csv", _("Downloaded (CSV)")

    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="contact_sheet_accesses", verbose_name=_("batch")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_sheet_accesses",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    officers = models.ManyToManyField(
        Officer, blank=True, related_name="contact_sheet_accesses", verbose_name=_("whose details")
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contact sheet access")
        verbose_name_plural = _("contact sheet accesses")

    def __str__(self):
        return f"{self.batch} · {self.action} · {self.created_at:%Y-%m-%d %H:%M}"


class RosterExport(models.Model):
    """A record of every roster download: who, when, which batch, which format, how many rows."""

    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="roster_exports", verbose_name=_("batch")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roster_exports",
        verbose_name=_("exported by"),
    )
    format = models.CharField(_("format"), max_length=10)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    via = models.CharField(_("via"), max_length=20, default="web", help_text=_("web, admin or command"))
    created_at = models.DateTimeField(_("exported at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("roster export")
        verbose_name_plural = _("roster exports")

    def __str__(self):
        return f"{self.batch} · {self.format} · {self.created_at:%Y-%m-%d %H:%M}"


# --- The participant portal: checklists, exchange reports and notices ------------------------------------


class ChecklistItem(RemembersLoadedValues, TimeStampedModel):
    """A task a batch's coordinator sets for every participant of the batch (e.g. briefing attended)."""

    remembered_fields = ("batch_id",)  # as Placement's

    class Phase(models.TextChoices):
        PRE_DEPARTURE = "pre_departure", _("Before departure")
        DURING = "during", _("During the exchange")
        AFTER = "after", _("After return")

    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="checklist_items", verbose_name=_("batch")
    )
    title = models.CharField(_("title"), max_length=200)
    title_zh = models.CharField(
        _("Chinese title"),
        max_length=100,
        blank=True,
        help_text=_("Optional, in Traditional Chinese (shown in Simplified to Simplified readers)."),
    )
    help_text = models.TextField(
        _("help text"), blank=True, help_text=_("What the participant needs to do, and where to find help.")
    )

    class Kind(models.TextChoices):
        MANUAL = "manual", _("Ticked by the participant")
        REPORT_SUBMITTED = "report_submitted", _("Ticked by the portal when the report is submitted")
        DETAILS_GIVEN = "details_given", _("Ticked by the portal when the emergency contact is given")

    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.PRE_DEPARTURE)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.MANUAL,
        help_text=_(
            "What the portal can check itself it ticks itself; such an item cannot be ticked by hand."
        ),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Items are listed by phase, then by this number.")
    )

    class Meta:
        ordering = ["batch", "order", "due_date", "pk"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(fields=["batch", "title"], name="checklist_item_title_unique_in_batch")
        ]

    def __str__(self):
        return self.title

    @property
    def is_automatic(self):
        return self.kind != self.Kind.MANUAL

    @classmethod
    def phase_order(cls):
        """An ordering expression that lists pre-departure items first, then during, then after."""
        return models.Case(
            models.When(phase=cls.Phase.PRE_DEPARTURE, then=0),
            models.When(phase=cls.Phase.DURING, then=1),
            default=2,
            output_field=models.IntegerField(),
        )


class ChecklistCompletion(RemembersLoadedValues, models.Model):
    """One participant's tick against one checklist item: who ticked it and when. No row: not done."""

    remembered_fields = ("placement_id",)  # a tick moved to another placement: both batches' pages

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="checklist_completions", verbose_name=_("placement")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.CASCADE, related_name="completions", verbose_name=_("checklist item")
    )
    completed_at = models.DateTimeField(_("done at"))
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ticked by"),
    )

    class Meta:
        ordering = ["placement", "item"]
        verbose_name = _("checklist completion")
        verbose_name_plural = _("checklist completions")
        constraints = [
            models.UniqueConstraint(fields=["placement", "item"], name="checklist_completion_once")
        ]

    def __str__(self):
        return f"{self.item} · {self.placement_id}"


class ExchangeReport(RemembersLoadedValues, TimeStampedModel):
    """The participant's report on a placement, following the three expectations the Secretary for the
    Civil Service set: apply what was learnt in Hong Kong, build connections, act as goodwill ambassadors."""

    remembered_fields = ("placement_id",)  # as ChecklistCompletion's

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    placement = models.OneToOneField(
        Placement, on_delete=models.CASCADE, related_name="report", verbose_name=_("placement")
    )
    learning = models.TextField(
        _("what I learnt and how it applies to my work in Hong Kong"),
        blank=True,
        help_text=_("Policies, practices and ideas from the host, and how you will use them at home."),
    )
    connections = models.TextField(
        _("connections made with counterparts"),
        blank=True,
        help_text=_("The people and teams you worked with, and how you will keep in touch."),
    )
    goodwill = models.TextField(
        _("goodwill-ambassador activities"),
        blank=True,
        help_text=_("How you presented Hong Kong: talks, visits, events, everyday exchanges."),
    )
    highlights = models.TextField(_("highlights"), blank=True)
    suggestions = models.TextField(_("suggestions for the programme"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    history = HistoricalRecords()

    # The three expectations: a report cannot be submitted without them.
    REQUIRED_FOR_SUBMISSION = ("learning", "connections", "goodwill")
    TEXT_FIELDS = ("learning", "connections", "goodwill", "highlights", "suggestions")

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("exchange report")
        verbose_name_plural = _("exchange reports")

    def __str__(self):
        return _("Exchange report: %(placement)s") % {"placement": self.placement}

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED


class Notice(models.Model):
    """A message to one officer on their placement page, e.g. that their placement was confirmed."""

    officer = models.ForeignKey(
        Officer, on_delete=models.CASCADE, related_name="notices", verbose_name=_("officer")
    )
    placement = models.ForeignKey(
        Placement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("placement"),
    )
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["officer", "read_at"], name="notice_officer_unread")]

    def __str__(self):
        return self.message[:80]

    @property
    def is_read(self):
        return self.read_at is not None


class CalendarFeed(models.Model):
    """A user's secret iCalendar address: the dates of their batches and placements, for their calendar
    app. Whoever has the address can read those dates, so the user can replace or revoke it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    token = models.CharField(_("secret token"), max_length=64, unique=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        default="en",
        help_text=_("The feed's language: the one the user read the portal in when creating it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)


class NominationImport(models.Model):
    """One uploaded nominations file, kept in the database between preview and confirm (app servers keep
    nothing on disk), and afterwards as the log of who imported what into which batch."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Being applied")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Failed at confirm")

    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="nomination_imports", verbose_name=_("batch")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nomination_imports",
        verbose_name=_("uploaded by"),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"), editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    new_officers = models.PositiveIntegerField(_("new officers"), default=0)
    changed_officers = models.PositiveIntegerField(_("changed officers"), default=0)
    new_placements = models.PositiveIntegerField(_("new placements"), default=0)
    changed_placements = models.PositiveIntegerField(_("changed placements"), default=0)
    unchanged_rows = models.PositiveIntegerField(_("unchanged rows"), default=0)
    message = models.TextField(_("message"), blank=True, help_text=_("Why the last confirm failed."))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # While queued or running: the fingerprint of the preview that was confirmed, and the worker (host and
    # process id) applying it, so that an import whose worker died is marked failed, not left running.
    confirmed_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    runner = models.CharField(_("worker"), max_length=120, blank=True, editable=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applied by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("nominations import")
        verbose_name_plural = _("nominations imports")

    def __str__(self):
        return f"{self.file_name} · {self.batch}"


# --- Documents: what each participant hands in, reviewed by the batch's coordinators ----------------------


class DocumentRequirement(TimeStampedModel):
    """A document the participants of a batch must (or may) hand in: a travel-document copy, a signed
    undertaking, a medical declaration… Accepting a participant's document ticks `checklist_item`."""

    class AppliesTo(models.TextChoices):
        ALL = "all", _("All participants")
        OUTBOUND = "outbound", _("Outbound participants only")
        INBOUND = "inbound", _("Inbound participants only")

    # The types a requirement may accept; content is judged by its bytes (placements/documents.py).
    FILE_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
    FILE_TYPE_CHOICES = [("pdf", "PDF"), ("jpeg", "JPEG"), ("png", "PNG")]

    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="document_requirements", verbose_name=_("batch")
    )
    name_en = models.CharField(_("English name"), max_length=200)
    name_zh = models.CharField(
        _("Chinese name"), max_length=100, blank=True, help_text=_("Traditional; Simplified is derived.")
    )
    description = models.TextField(_("what it is"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    applies_to = models.CharField(
        _("who must provide it"), max_length=10, choices=AppliesTo.choices, default=AppliesTo.ALL
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    accepted_types = models.CharField(
        _("file types accepted"), max_length=40, default="pdf,jpeg,png", help_text=_("pdf, jpeg, png")
    )
    blank_form = models.CharField(_("blank form (stored name)"), max_length=255, blank=True, editable=False)
    blank_form_filename = models.CharField(_("blank form"), max_length=255, blank=True, editable=False)
    checklist_item = models.ForeignKey(
        ChecklistItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="document_requirements",
        verbose_name=_("checklist item ticked when accepted"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["batch", "order", "pk"]
        verbose_name = _("document requirement")
        verbose_name_plural = _("document requirements")
        constraints = [
            models.UniqueConstraint(fields=["batch", "name_en"], name="document_requirement_name_unique")
        ]

    def __str__(self):
        return self.name_en

    @property
    def type_list(self):
        return [t for t in self.accepted_types.split(",") if t in self.FILE_TYPES]

    @property
    def type_labels(self):
        """ "PDF, JPEG, PNG": the accepted types as a reader sees them."""
        return ", ".join(t.upper() for t in self.type_list)

    def applies_to_direction(self, direction):
        return self.applies_to in (self.AppliesTo.ALL, direction)

    def clean(self):
        types = [t.strip() for t in self.accepted_types.split(",") if t.strip()]
        if not types or any(t not in self.FILE_TYPES for t in types):
            raise ValidationError({"accepted_types": _("Choose among PDF, JPEG and PNG.")})
        self.accepted_types = ",".join(types)
        if self.checklist_item_id and self.batch_id and self.checklist_item.batch_id != self.batch_id:
            raise ValidationError({"checklist_item": _("This checklist item belongs to another batch.")})


class Document(models.Model):
    """One participant's file for one requirement. The file lives in the "documents" storage under a
    generated name; the name the participant gave is kept only to label downloads."""

    class Status(models.TextChoices):
        AWAITING_REVIEW = "awaiting_review", _("Awaiting review")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="documents", verbose_name=_("placement")
    )
    requirement = models.ForeignKey(
        DocumentRequirement, on_delete=models.CASCADE, related_name="documents", verbose_name=_("requirement")
    )
    storage_name = models.CharField(_("stored as"), max_length=255, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_REVIEW
    )
    return_reason = models.TextField(_("reason returned"), blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    class Meta:
        ordering = ["placement", "requirement__order", "requirement"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(fields=["placement", "requirement"], name="document_once_per_requirement")
        ]

    def __str__(self):
        return f"{self.requirement} · {self.placement_id}"


class DocumentAccess(models.Model):
    """Who downloaded (opened) or deleted which document, and when. Kept when the document is deleted."""

    class Action(models.TextChoices):
        DOWNLOAD = "download", _("Downloaded")
        ZIP = "zip", _("Downloaded in a batch zip")
        PURGE = "purge", _("Deleted (retention or purge)")

    document = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accesses",
        verbose_name=_("document"),
    )
    description = models.CharField(_("what"), max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("document access")
        verbose_name_plural = _("document accesses")

    def __str__(self):
        return f"{self.get_action_display()} · {self.description}"


class OutgoingEmail(models.Model):
    """One e-mail the portal sends: written when the change that causes it commits, delivered by the task
    queue (placements.tasks.email_deliver), retried with backoff, and kept as the log of every send. CSB
    staff see the undelivered ones in the admin and can send them again."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RETRYING = "retrying", _("Waiting to retry")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        NOTICE = "notice", _("Notice")
        REMINDER_DUE = "reminder_due", _("Reminder: items due soon")
        REMINDER_OVERDUE = "reminder_overdue", _("Reminder: items overdue")
        DIGEST = "digest", _("Coordinator digest")
        SELECTION = "selection", _("Call, nomination or selection")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NOTICE)
    to_name = models.CharField(_("recipient's name"), max_length=200, blank=True)
    to_address = models.EmailField(_("recipient's address"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    officer = models.ForeignKey(
        Officer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("officer"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="email_status_next")]

    def __str__(self):
        return f"{self.subject} → {self.to_address}"


class ReminderSent(models.Model):
    """That one officer was reminded of one checklist item at one stage (due soon, overdue): the unique
    constraint makes the daily reminders idempotent, however often they run."""

    class Stage(models.TextChoices):
        DUE_SOON = "due_soon", _("Due in 7 days")
        OVERDUE = "overdue", _("Overdue")

    item = models.ForeignKey(
        ChecklistItem, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("checklist item")
    )
    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("placement")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    email = models.ForeignKey(
        OutgoingEmail,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("e-mail"),
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["item", "placement", "stage"], name="reminder_once_per_stage")
        ]

    def __str__(self):
        return f"{self.item} · {self.placement_id} · {self.stage}"

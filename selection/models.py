"""The selection before a placement exists: CSB's call for nominations for a batch, the departments'
nominations, CSB's decisions, and the host side's answer to each selected officer.

Who may act is scoped by two profiles: a nominating officer speaks for one or more departments, a host
coordinator for one or more host organisations. For an inbound batch the sides are mirrored: the host
organisations are Hong Kong bureaux (a host organisation with a department) and the Mainland side's
nominations are entered by CSB or imported."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import CleanTextModel, TimeStampedModel
from participants.models import Department, Grade, Officer, Rank
from placements.models import Batch, FocusArea, HostOrganisation, Placement

STATEMENT_MAX_LENGTH = 2000


class NominatingOfficer(TimeStampedModel):
    """A bureau's or department's liaison for nominations (often its departmental secretary or HR manager)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="nominating_officer",
        verbose_name=_("user account"),
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("Surname first, e.g. CHAN Tai-man."))
    post = models.CharField(
        _("post"), max_length=200, blank=True, help_text=_("e.g. Departmental Secretary.")
    )
    email = models.EmailField(_("e-mail"))
    departments = models.ManyToManyField(
        Department,
        related_name="nominating_officers",
        verbose_name=_("departments"),
        help_text=_("The bureaux and departments this officer nominates for."),
    )
    preferred_language = models.CharField(
        _("language for e-mails"), max_length=10, choices=settings.LANGUAGES, default="en"
    )

    history = HistoricalRecords(m2m_fields=[departments])

    class Meta:
        ordering = ["name"]
        verbose_name = _("nominating officer")
        verbose_name_plural = _("nominating officers")

    def __str__(self):
        return self.name


class HostCoordinator(TimeStampedModel):
    """The host side's liaison: accepts the officers proposed to their organisations."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="host_coordinator",
        verbose_name=_("user account"),
    )
    name = models.CharField(_("name"), max_length=200)
    post = models.CharField(_("post"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    host_organisations = models.ManyToManyField(
        HostOrganisation,
        related_name="host_coordinators",
        verbose_name=_("host organisations"),
        help_text=_("The organisations this coordinator answers for."),
    )
    preferred_language = models.CharField(
        _("language for e-mails"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )

    history = HistoricalRecords(m2m_fields=[host_organisations])

    class Meta:
        ordering = ["name"]
        verbose_name = _("host coordinator")
        verbose_name_plural = _("host coordinators")

    def __str__(self):
        return self.name


class Call(TimeStampedModel):
    """CSB's call for nominations for one batch."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Selection finished")

    batch = models.OneToOneField(
        Batch, on_delete=models.PROTECT, related_name="call", verbose_name=_("batch")
    )
    places = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1)], help_text=_("How many officers the batch can take.")
    )
    eligible_grades = models.ManyToManyField(
        Grade,
        blank=True,
        related_name="calls",
        verbose_name=_("eligible grades"),
        help_text=_("Leave empty for any grade."),
    )
    eligible_ranks = models.ManyToManyField(
        Rank,
        blank=True,
        related_name="calls",
        verbose_name=_("eligible ranks"),
        help_text=_("Leave empty for any rank of the eligible grades."),
    )
    eligibility_en = models.CharField(
        _("who is eligible"),
        max_length=250,
        blank=True,
        help_text=_("In words, for the nominators, e.g. Middle and senior officers."),
    )
    eligibility_zh = models.CharField(_("who is eligible (Chinese)"), max_length=120, blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(
        _("closes on"),
        help_text=_("The last day for nominations and withdrawals. Only CSB can reopen after it."),
    )
    notes_en = models.TextField(_("notes for nominators"), blank=True)
    notes_zh = models.TextField(_("notes for nominators (Chinese)"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[eligible_grades, eligible_ranks])

    class Meta:
        ordering = ["-opens_on"]
        verbose_name = _("call for nominations")
        verbose_name_plural = _("calls for nominations")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="call_closes_after_opening"
            ),
        ]

    def __str__(self):
        return str(self.batch)


class CallInvitation(models.Model):
    """A department invited to nominate, with how many nominees it may put forward."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("call")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="call_invitations", verbose_name=_("department")
    )
    quota = models.PositiveSmallIntegerField(
        _("quota"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("The most nominees it may put forward."),
    )

    class Meta:
        ordering = ["department__abbreviation"]
        verbose_name = _("invited department")
        verbose_name_plural = _("invited departments")
        constraints = [
            models.UniqueConstraint(fields=["call", "department"], name="call_invites_department_once")
        ]

    def __str__(self):
        return f"{self.department.abbreviation} ({self.quota})"


class CallHostPlaces(models.Model):
    """Optional: how many of the call's places one host organisation offers."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="host_places", verbose_name=_("call")
    )
    host_organisation = models.ForeignKey(
        HostOrganisation,
        on_delete=models.PROTECT,
        related_name="call_places",
        verbose_name=_("host organisation"),
    )
    places = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("places at a host organisation")
        verbose_name_plural = _("places at host organisations")
        constraints = [
            models.UniqueConstraint(fields=["call", "host_organisation"], name="call_host_places_once"),
        ]

    def __str__(self):
        return f"{self.host_organisation} ({self.places})"


class Nomination(TimeStampedModel):
    """A department's nomination of one of its officers to a call, and CSB's decision on it."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        RESERVE = "reserve", _("Reserve")
        SELECTED = "selected", _("Selected")
        DECLINED = "declined", _("Not selected")

    class Consent(models.TextChoices):
        PENDING = "pending", _("Awaiting the officer")
        GIVEN = "given", _("Given")
        REFUSED = "refused", _("Refused")

    class Source(models.TextChoices):
        PORTAL = "portal", _("Nominating officer")
        IMPORT = "import", _("Nominations import")
        ADMIN = "admin", _("CSB staff")

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("call")
    )
    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("officer")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("nominating department"),
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nominated by"),
    )
    source = models.CharField(_("entered by"), max_length=10, choices=Source.choices, default=Source.PORTAL)
    focus_areas = models.ManyToManyField(
        FocusArea, blank=True, related_name="nominations", verbose_name=_("preferred focus areas")
    )
    statement = models.TextField(
        _("why this officer"),
        blank=True,
        validators=[MaxLengthValidator(STATEMENT_MAX_LENGTH)],
        help_text=_("A short statement of why the department nominates this officer."),
    )
    department_ranking = models.PositiveSmallIntegerField(
        _("department's ranking"),
        validators=[MinValueValidator(1)],
        help_text=_("1 for the department's first choice among its nominees."),
    )
    endorsed_by_name = models.CharField(_("endorsed by"), max_length=200)
    endorsed_by_post = models.CharField(_("endorser's post"), max_length=200)
    endorsed_on = models.DateField(_("endorsed on"))
    consent = models.CharField(
        _("officer's consent"), max_length=10, choices=Consent.choices, default=Consent.PENDING
    )
    consent_at = models.DateTimeField(_("consent answered at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOMINATED)
    decision_reason = models.TextField(
        _("reason"),
        blank=True,
        validators=[MaxLengthValidator(STATEMENT_MAX_LENGTH)],
        help_text=_("Required to decline."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    proposed_host_organisation = models.ForeignKey(
        HostOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposed_nominations",
        verbose_name=_("proposed host organisation"),
    )
    placement = models.OneToOneField(
        Placement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nomination",
        verbose_name=_("placement"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[focus_areas])

    class Meta:
        ordering = ["call", "department__abbreviation", "department_ranking"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "officer"],
                condition=~Q(status="withdrawn"),
                name="nomination_officer_once_per_call",
            ),
            models.UniqueConstraint(
                fields=["call", "department", "department_ranking"],
                condition=~Q(status="withdrawn"),
                name="nomination_ranking_unique_in_department",
            ),
        ]

    def __str__(self):
        return f"{self.officer} → {self.call}"


class HostChangeRequest(CleanTextModel):
    """The host side's request to CSB to change a proposed placement, with its reason."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="host_change_requests", verbose_name=_("placement")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    reason = models.TextField(_("reason"), validators=[MaxLengthValidator(STATEMENT_MAX_LENGTH)])
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution = models.TextField(_("what CSB did"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("host's change request")
        verbose_name_plural = _("host's change requests")

    def __str__(self):
        return f"{self.placement}: {self.reason[:40]}"

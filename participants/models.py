from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.names import local_name, script_of

from .managers import DepartmentQuerySet
from .validators import validate_phone


class Department(TimeStampedModel):
    """A Hong Kong bureau or department. The fields hold its current name; older names live in
    DepartmentFormerName so that history keeps showing the name in force at the time."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("Policy bureau")
        DEPARTMENT = "department", _("Department")
        OFFICE = "office", _("Office")

    name_en = models.CharField(_("English name"), max_length=200, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick when a department is dissolved or merged away.")
    )

    objects = DepartmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("bureau or department")
        verbose_name_plural = _("bureaux and departments")

    def __str__(self):
        return f"{self.name_en} ({self.abbreviation})"

    def name_on(self, day):
        """The (English, Chinese, abbreviation) in force on `day`; current names when `day` is None.

        Uses `former_names.all()` so that a prefetch serves it without a query."""
        if day is not None:
            earlier = [n for n in self.former_names.all() if day < n.renamed_on]
            if earlier:
                name = min(earlier, key=lambda n: n.renamed_on)
                return DepartmentName(name.name_en, name.name_zh, name.abbreviation)
        return DepartmentName(self.name_en, self.name_zh, self.abbreviation)


class DepartmentName:
    """A department's name as it stood on some day."""

    __slots__ = ("name_en", "name_zh", "abbreviation")

    def __init__(self, name_en, name_zh, abbreviation):
        self.name_en, self.name_zh, self.abbreviation = name_en, name_zh, abbreviation

    def __str__(self):
        """In English the name and its abbreviation; in Chinese the Chinese name in the reader's script."""
        if script_of() == "en" or not self.name_zh:
            return f"{self.name_en} ({self.abbreviation})"
        return local_name(self)

    def __eq__(self, other):
        return isinstance(other, DepartmentName) and (self.name_en, self.name_zh, self.abbreviation) == (
            other.name_en,
            other.name_zh,
            other.abbreviation,
        )

    def __hash__(self):
        return hash((self.name_en, self.name_zh, self.abbreviation))


class DepartmentFormerName(models.Model):
    """A name a department carried until it was renamed (or merged) on `renamed_on`."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="former_names", verbose_name=_("department")
    )
    name_en = models.CharField(_("English name"), max_length=200)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    abbreviation = models.CharField(_("abbreviation"), max_length=20)
    renamed_on = models.DateField(
        _("renamed on"), help_text=_("The first day the next name was in force; this name applies before it.")
    )

    class Meta:
        ordering = ["department", "renamed_on"]
        verbose_name = _("former department name")
        verbose_name_plural = _("former department names")
        constraints = [
            models.UniqueConstraint(fields=["department", "renamed_on"], name="department_one_rename_per_day")
        ]

    def __str__(self):
        return _("%(name)s (until %(day)s)") % {"name": self.name_en, "day": self.renamed_on}


class Grade(TimeStampedModel):
    """A job category. General grades are posted across bureaux and departments; departmental
    grades belong to one department; common grades (e.g. Engineer) serve several departments."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("General grade")
        COMMON = "common", _("Common grade")
        DEPARTMENTAL = "departmental", _("Departmental grade")

    name_en = models.CharField(_("English name"), max_length=120, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=60, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENTAL)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grades",
        verbose_name=_("department"),
        help_text=_("Only for departmental grades: the department the grade belongs to."),
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="departmental", department__isnull=False)
                | (~models.Q(kind="departmental") & models.Q(department__isnull=True)),
                name="grade_department_only_for_departmental",
                violation_error_message=_("A departmental grade names its department; other grades do not."),
            )
        ]

    def __str__(self):
        return f"{self.name_en} ({self.abbreviation})" if self.abbreviation else self.name_en

    def clean(self):
        if self.kind == self.Kind.DEPARTMENTAL and not self.department_id:
            raise ValidationError({"department": _("A departmental grade must name its department.")})
        if self.kind != self.Kind.DEPARTMENTAL and self.department_id:
            raise ValidationError({"department": _("Only departmental grades belong to one department.")})


class Rank(TimeStampedModel):
    """A level within a grade, e.g. Senior Engineer within the Engineer grade."""

    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="ranks", verbose_name=_("grade"))
    name_en = models.CharField(_("English name"), max_length=120)
    name_zh = models.CharField(_("Chinese name"), max_length=60, blank=True)
    seniority = models.PositiveSmallIntegerField(
        _("seniority"), default=1, help_text=_("1 for the grade's entry rank, higher for more senior ranks.")
    )
    pay_scale = models.CharField(
        _("pay scale"), max_length=40, blank=True, help_text=_("e.g. MPS 45-49, or D2 for directorate ranks.")
    )

    class Meta:
        ordering = ["grade__name_en", "seniority"]
        verbose_name = _("rank")
        verbose_name_plural = _("ranks")
        constraints = [models.UniqueConstraint(fields=["grade", "name_en"], name="rank_name_unique_in_grade")]

    def __str__(self):
        return self.name_en


class Officer(TimeStampedModel):
    """A civil servant who takes part in an exchange: a Hong Kong officer or a Mainland officer."""

    class HomeSide(models.TextChoices):
        HONG_KONG = "hong_kong", _("Hong Kong")
        MAINLAND = "mainland", _("Mainland")

    name_en = models.CharField(
        _("name (English)"), max_length=200, help_text=_("As on the staff record, e.g. CHAN Tai-man.")
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=60, blank=True)
    email = models.EmailField(
        _("official e-mail"), help_text=_("The official address; it identifies the officer.")
    )
    phone = models.CharField(_("office phone"), max_length=30, blank=True, validators=[validate_phone])
    post_title = models.CharField(_("post title"), max_length=200, blank=True)
    home_side = models.CharField(
        _("home side"), max_length=20, choices=HomeSide.choices, default=HomeSide.HONG_KONG
    )
    home_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("home bureau or department"),
        help_text=_("For Hong Kong officers."),
    )
    rank = models.ForeignKey(
        Rank,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("rank"),
        help_text=_("For Hong Kong officers; the grade follows from the rank."),
    )
    mainland_body_en = models.CharField(
        _("Mainland home body (English)"),
        max_length=200,
        blank=True,
        help_text=_("For Mainland officers: the government body they come from."),
    )
    mainland_body_zh = models.CharField(_("Mainland home body (Chinese)"), max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="officer",
        verbose_name=_("login account"),
        help_text=_("The account the officer signs in with to see their own placements."),
    )
    # Details the officer keeps current themselves (see the participant portal).
    mobile_phone = models.CharField(_("mobile phone"), max_length=30, blank=True, validators=[validate_phone])
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=200, blank=True)
    emergency_contact_relationship = models.CharField(_("relationship"), max_length=60, blank=True)
    emergency_contact_phone = models.CharField(
        _("emergency contact phone"), max_length=30, blank=True, validators=[validate_phone]
    )
    dietary_access_needs = models.TextField(_("dietary or access needs"), blank=True)
    preferred_language = models.CharField(
        _("language for notices and e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("Notices about the placement and their e-mails are written in this language."),
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("Seen by CSB staff only."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="officer_email_unique_ci"),
        ]

    def __str__(self):
        return f"{self.name_en} {self.name_zh}".strip()

    def picker_label(self):
        """The officer as a picker lists them, told apart from namesakes by where they serve, their rank
        and their e-mail. Load home_department and rank with the officer."""
        where = self.home_department.abbreviation if self.home_department_id else self.mainland_body_en
        parts = [str(self), where, self.rank.name_en if self.rank_id else "", self.email]
        return " · ".join(part for part in parts if part)

    @property
    def grade(self):
        return self.rank.grade if self.rank_id else None

    def clean(self):
        self.email = (self.email or "").strip().lower()
        errors = {}
        if self.home_side == self.HomeSide.HONG_KONG:
            if not self.home_department_id:
                errors["home_department"] = _("A Hong Kong officer needs a home bureau or department.")
            if self.mainland_body_en:
                errors["mainland_body_en"] = _("Only Mainland officers have a Mainland home body.")
        else:
            if not self.mainland_body_en:
                errors["mainland_body_en"] = _("A Mainland officer needs the body they come from.")
            if self.home_department_id:
                errors["home_department"] = _("A Mainland officer has no Hong Kong home department.")
        if errors:
            raise ValidationError(errors)

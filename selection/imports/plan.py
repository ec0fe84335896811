"""Check every row of a nominations file against the database, without writing, and say what each row
will do: a new officer or an existing one (matched by e-mail, case-insensitively), a new, changed or
unchanged nomination to the batch's call for nominations. Every problem is collected, none stops the others.

The rules are the services' own: the officer's and the nomination's model validation and
selection.services.nominations.nomination_validate, given the call's state loaded up front (and each planned
row added to it, so that a file is checked against itself too) so that a file costs a fixed number of
queries."""

import datetime
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.models import Officer
from placements.models import Batch

from ..models import Call, Nomination
from ..services.calls import call_accepts_nominations
from ..services.nominations import (
    CallState,
    _not_accepting_message,
    focus_areas_validate,
    nomination_validate,
)
from .columns import BY_KEY, COLUMNS
from .references import References

EXAMPLE_EMAIL = "tmchan@example.gov.hk"

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"

# What a reference cell names, for its problems: translated when a problem is shown, not once per row.
WHAT = {
    "grade": gettext_lazy("grade"),
    "bureau or department": gettext_lazy("bureau or department"),
    "host organisation": gettext_lazy("host organisation"),
}

# The fields a row may set: the apply writes these (services.nomination_import_apply).
OFFICER_FIELDS = ("name_en", "name_zh", "post_title", "rank", "home_department")
NOMINATION_FIELDS = (
    "department_ranking",
    "proposed_host_organisation",
    "statement",
    "endorsed_by_name",
    "endorsed_by_post",
    "endorsed_on",
)

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# A Chinese name holds Chinese characters, with at most a middle dot or a space between them: no Latin
# letter, digit, emoji or symbol.
_NOT_CHINESE = re.compile(
    r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f\u00b7\u2027\u30fb ]"
)
_FOCUS_SEPARATORS = re.compile(r"[;,，；、\n]+")
_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%Y", "%d.%m.%Y"]

# Which column a model or service error belongs to.
FIELD_COLUMNS = {
    "name_en": "name_en",
    "name_zh": "name_zh",
    "email": "email",
    "post_title": "post_title",
    "rank": "rank",
    "home_department": "department",
    "mainland_body_en": "department",
    "department": "department",
    "proposed_host_organisation": "host_organisation",
    "department_ranking": "ranking",
    "focus_areas": "focus_areas",
    "statement": "statement",
    "endorsed_by_name": "endorsed_by_name",
    "endorsed_by_post": "endorsed_by_post",
    "endorsed_on": "endorsed_on",
    "officer": "email",
    "call": "",
    "__all__": "email",
}


@dataclass
class Problem:
    row: int | None
    column: str  # a column key, or "" for the file as a whole
    value: str
    message: str
    suggestion: str = ""

    @property
    def column_header(self):
        return BY_KEY[self.column].header if self.column in BY_KEY else ""


@dataclass
class RowPlan:
    number: int
    values: dict
    officer: Officer | None = None
    officer_action: str = ""
    officer_changes: list = field(default_factory=list)
    nomination: Nomination | None = None
    nomination_action: str = ""
    nomination_changes: list = field(default_factory=list)
    focus_areas: list | None = None
    problems: list = field(default_factory=list)

    @property
    def unchanged(self):
        return self.officer_action == UNCHANGED and self.nomination_action == UNCHANGED

    def display(self, key):
        value = self.values.get(key)
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m-%d")
        return value or ""


@dataclass
class Plan:
    batch: Batch
    rows: list
    problems: list
    notes: list
    call: Call | None = None
    today: datetime.date | None = None
    call_closed: bool = False  # a row was refused because the call takes no nominations now

    @property
    def ok(self):
        return not self.problems

    def count(self, what):
        """How many rows (of those without problems) would do `what`."""
        rows = [r for r in self.rows if not r.problems]
        if what == "new_officers":
            return sum(r.officer_action == NEW for r in rows)
        if what == "changed_officers":
            return sum(r.officer_action == CHANGED for r in rows)
        if what == "new_nominations":
            return sum(r.nomination_action == NEW for r in rows)
        if what == "changed_nominations":
            return sum(r.nomination_action == CHANGED for r in rows)
        if what == "unchanged_rows":
            return sum(r.unchanged for r in rows)
        raise ValueError(what)

    @property
    def summary(self):
        """The counts, by the NominationImport fields that keep them (the model's names predate the
        selection: its "placements" count nominations now)."""
        return {
            "row_count": len(self.rows),
            "problem_count": len(self.problems),
            "new_officers": self.count("new_officers"),
            "changed_officers": self.count("changed_officers"),
            "new_placements": self.count("new_nominations"),
            "changed_placements": self.count("changed_nominations"),
            "unchanged_rows": self.count("unchanged_rows"),
        }

    @property
    def fingerprint(self):
        """What the plan would do, as a digest: confirm refuses when it differs from the preview's."""
        actions = [
            [
                r.number,
                r.officer.pk if r.officer else None,
                r.officer_action,
                r.officer_changes,
                r.nomination.pk if r.nomination else None,
                r.nomination_action,
                r.nomination_changes,
            ]
            for r in self.rows
        ]
        data = json.dumps([self.batch.pk, actions, len(self.problems)], default=str)
        return hashlib.sha256(data.encode()).hexdigest()


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m-%d")
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def _suggestion(options):
    if not options:
        return ""
    return _("Did you mean %(options)s?") % {"options": _(" or ").join(options)}


def _parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = unicodedata.normalize("NFKC", value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _differs(obj, name, value):
    """Whether setting `name` to `value` changes `obj`; foreign keys are compared by id (no query)."""
    if hasattr(value, "pk"):
        return getattr(obj, f"{name}_id") != value.pk
    return getattr(obj, name) != value


class _RowChecker:
    def __init__(self, plan, refs, officers, nominations, state):
        self.plan, self.refs = plan, refs
        self.officers, self.nominations, self.state = officers, nominations, state

    def problem(self, row, key, message, suggestion=""):
        value = row.display(key) if key else ""
        row.problems.append(Problem(row.number, key, value, message, suggestion))

    def has_problem(self, row, key):
        return any(p.column == key for p in row.problems)

    def one(self, row, key, lookup, what, found=None):
        """The single reference object a cell names, or None with a problem recorded."""
        text = row.values.get(key)
        found = lookup.find(text) if found is None else found
        if len(found) == 1:
            return found[0]
        if not found:
            self.problem(
                row,
                key,
                _("“%(value)s” is not a %(what)s.") % {"value": text, "what": what},
                _suggestion(lookup.suggest(text)),
            )
        else:
            self.problem(
                row,
                key,
                _("“%(value)s” names several: %(names)s. Use the full English name.")
                % {"value": text, "names": "; ".join(lookup.describe(o) for o in found)},
            )
        return None

    def check(self, row, seen_emails, seen_rows):
        values = row.values
        batch = self.plan.batch
        for key, value in list(values.items()):
            if isinstance(value, str):
                if value.startswith("="):
                    self.problem(
                        row,
                        key,
                        _("The cell starts with “=”: formulas are not accepted. Type the value itself."),
                    )
                    values[key] = None
                else:
                    values[key] = _text(value) if key != "focus_areas" else value
        for column in COLUMNS:
            if column.required and not values.get(column.key) and not self.has_problem(row, column.key):
                self.problem(row, column.key, _("%(column)s is required.") % {"column": column.label})

        if values.get("name_en"):
            # Full-width letters (ＬＡＵ Ｋａ－ｆａｉ), as Chinese input methods type them, become plain ones.
            values["name_en"] = " ".join(unicodedata.normalize("NFKC", values["name_en"]).split())
        name_en, name_zh = values.get("name_en") or "", values.get("name_zh") or ""
        if name_en and _CJK.search(name_en):
            self.problem(
                row,
                "name_en",
                _("The English name contains Chinese characters."),
                _("Put the Chinese name in the column “Chinese name”."),
            )
        if name_zh and (_NOT_CHINESE.search(name_zh) or not _CJK.search(name_zh)):
            self.problem(
                row,
                "name_zh",
                _("The Chinese name must be written in Chinese characters only."),
                _("Put the English name in the column “English name”."),
            )

        email = ""
        if values.get("email") and not self.has_problem(row, "email"):
            email = unicodedata.normalize("NFKC", values["email"]).strip().lower()
            try:
                validate_email(email)
            except ValidationError:
                self.problem(
                    row, "email", _("“%(value)s” is not an e-mail address.") % {"value": values["email"]}
                )
                email = ""
        if email == EXAMPLE_EMAIL:
            self.problem(row, "email", _("This is the template's example row: delete it."))
            email = ""

        fingerprint = tuple(sorted((k, _text(v).casefold()) for k, v in values.items()))
        if fingerprint in seen_rows:
            self.problem(
                row,
                "email",
                _("This row repeats row %(row)s exactly: delete one of them.")
                % {"row": seen_rows[fingerprint]},
            )
            return
        seen_rows[fingerprint] = row.number
        if email:
            if email in seen_emails:
                self.problem(
                    row,
                    "email",
                    _("The same e-mail is on row %(row)s: an officer is nominated once per batch.")
                    % {"row": seen_emails[email]},
                )
                return
            seen_emails[email] = row.number

        refs = self.refs
        grade = rank = department = host = None
        if values.get("grade") and not self.has_problem(row, "grade"):
            grade = self.one(row, "grade", refs.grades, WHAT["grade"])
        if values.get("rank") and not self.has_problem(row, "rank"):
            text = values["rank"]
            if grade is not None:
                in_grade = refs.ranks_by_grade[grade.pk].find(text)
                if in_grade:
                    rank = in_grade[0]
                elif refs.ranks.find(text):
                    others = ", ".join(sorted({r.grade.name_en for r in refs.ranks.find(text)}))
                    self.problem(
                        row,
                        "rank",
                        _("“%(rank)s” is a rank of the %(others)s grade, not of %(grade)s.")
                        % {"rank": text, "others": others, "grade": grade.name_en},
                    )
                else:
                    self.problem(
                        row,
                        "rank",
                        _("“%(rank)s” is not a rank of the %(grade)s grade.")
                        % {"rank": text, "grade": grade.name_en},
                        _suggestion(refs.ranks_by_grade[grade.pk].suggest(text)),
                    )
            elif not refs.ranks.find(text):
                self.problem(
                    row,
                    "rank",
                    _("“%(value)s” is not a rank.") % {"value": text},
                    _suggestion(refs.ranks.suggest(text)),
                )
        if values.get("department") and not self.has_problem(row, "department"):
            department = self.one(row, "department", refs.departments, WHAT["bureau or department"])
            if department is not None and not department.is_active:
                self.problem(
                    row,
                    "department",
                    _("%(department)s no longer exists (merged or dissolved).") % {"department": department},
                )
                department = None
        if values.get("host_organisation") and not self.has_problem(row, "host_organisation"):
            found = refs.in_city_first(refs.hosts.find(values["host_organisation"]))
            host = self.one(row, "host_organisation", refs.hosts, WHAT["host organisation"], found=found)
        if host is not None and host.municipality_id != batch.host_municipality_id:
            self.problem(
                row,
                "host_organisation",
                _("%(host)s is not in %(city)s, the batch's city.")
                % {"host": host.name_en, "city": batch.host_municipality.name_en},
            )
            host = None
        focus_areas = None
        if values.get("focus_areas") and not self.has_problem(row, "focus_areas"):
            focus_areas = []
            names = [n.strip() for n in _FOCUS_SEPARATORS.split(values["focus_areas"]) if n.strip()]
            values["focus_areas"] = "; ".join(names)
            for name in names:
                found = refs.focus_areas.find(name)
                if len(found) == 1:
                    if found[0] not in focus_areas:
                        focus_areas.append(found[0])
                else:
                    self.problem(
                        row,
                        "focus_areas",
                        _("“%(value)s” is not a focus area.") % {"value": name},
                        _suggestion(refs.focus_areas.suggest(name)),
                    )
                    focus_areas = None
                    break
        endorsed_on = None
        value = values.get("endorsed_on")
        if value and not self.has_problem(row, "endorsed_on"):
            endorsed_on = _parse_date(value)
            if endorsed_on is None:
                self.problem(
                    row,
                    "endorsed_on",
                    _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": value},
                )
            else:
                values["endorsed_on"] = endorsed_on
        ranking = None
        value = values.get("ranking")
        if value not in (None, "") and not self.has_problem(row, "ranking"):
            text = unicodedata.normalize("NFKC", str(value)).strip()
            if isinstance(value, float) and value.is_integer():
                text = str(int(value))
            if text.isdigit() and int(text) >= 1:
                ranking = int(text)
            else:
                self.problem(
                    row,
                    "ranking",
                    _(
                        "“%(value)s” is not a ranking: write 1 for the department's first choice, 2 for "
                        "the next."
                    )
                    % {"value": value},
                )

        # Without a usable e-mail the officer cannot be matched; the row is still checked as a new
        # officer so that every other problem shows at once.
        self.plan_officer(row, email, name_en, name_zh, rank, department)
        self.plan_nomination(row, department, host, focus_areas, ranking, endorsed_on)

    def plan_officer(self, row, email, name_en, name_zh, rank, department):
        existing = self.officers.get(email) if email else None
        wanted = {
            "name_en": name_en or None,
            "name_zh": name_zh or None,
            "post_title": row.values.get("post_title") or None,
            "rank": rank,
            "home_department": department,
        }
        if existing is None:
            officer = Officer(email=email, home_side=Officer.HomeSide.HONG_KONG)
            row.officer_action = NEW
        else:
            officer = existing
            row.officer_action = UNCHANGED
        for name, value in wanted.items():
            if value is None:
                continue  # an empty or unusable cell never clears what is there
            if _differs(officer, name, value):
                setattr(officer, name, value)
                if existing is not None:
                    row.officer_changes.append(str(Officer._meta.get_field(name).verbose_name))
        if existing is not None and row.officer_changes:
            row.officer_action = CHANGED
        row.officer = officer
        try:
            officer.full_clean(
                exclude=["home_department", "rank", "user"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            self.add_errors(row, error)

    def plan_nomination(self, row, department, host, focus_areas, ranking, endorsed_on):
        """The officer's nomination to the call: a new one, or the one the officer already has (whose
        ranking, endorsement, statement, proposed host and focus areas the row may change)."""
        call = self.plan.call
        officer = row.officer
        existing = self.nominations.get(officer.pk) if officer.pk else None
        wanted = {
            "department_ranking": ranking,
            "proposed_host_organisation": host,
            "statement": row.values.get("statement") or None,
            "endorsed_by_name": row.values.get("endorsed_by_name") or None,
            "endorsed_by_post": row.values.get("endorsed_by_post") or None,
            "endorsed_on": endorsed_on,
        }
        if existing is None:
            key = ("row", row.number)
            nomination = Nomination(
                call=call,
                officer=officer,
                department=department or officer.home_department,
                source=Nomination.Source.IMPORT,
            )
            row.nomination_action = NEW
            if ranking is None and nomination.department_id:
                wanted["department_ranking"] = self.state.next_ranking(nomination.department_id)
        else:
            key = existing.pk
            nomination = existing
            nomination.call, nomination.officer = call, officer
            row.nomination_action = UNCHANGED
            if department is not None and department.pk != existing.department_id:
                self.problem(
                    row,
                    "department",
                    _("%(officer)s is nominated by %(department)s: withdraw that nomination first.")
                    % {"officer": officer.name_en, "department": existing.department.abbreviation},
                )
        for name, value in wanted.items():
            if value is None:
                continue  # an empty or unusable cell never clears what is there
            if _differs(nomination, name, value):
                setattr(nomination, name, value)
                if existing is not None:
                    row.nomination_changes.append(str(Nomination._meta.get_field(name).verbose_name))
        current = {f.pk for f in existing.focus_areas.all()} if existing is not None else None
        if focus_areas is not None and current != {f.pk for f in focus_areas}:
            row.focus_areas = focus_areas
            if existing is not None:
                row.nomination_changes.append(str(Nomination._meta.get_field("focus_areas").verbose_name))
        if existing is not None and row.nomination_changes:
            row.nomination_action = CHANGED
            if existing.status != Nomination.Status.NOMINATED:
                self.problem(
                    row,
                    "email",
                    _(
                        "The Civil Service Bureau has decided on this nomination (%(status)s): it can no "
                        "longer be changed."
                    )
                    % {"status": existing.get_status_display()},
                )
        row.nomination = nomination
        if nomination.department_id is None:
            return  # the department cell's problem says why
        try:
            nomination.full_clean(
                exclude=["call", "officer", "department", "proposed_host_organisation", "nominated_by"],
                validate_unique=False,
                validate_constraints=False,
            )
            if row.nomination_action != UNCHANGED:
                nomination_validate(nomination=nomination, state=self.state, key=key, today=self.plan.today)
            if row.focus_areas:
                focus_areas_validate(
                    focus_area_ids=[f.pk for f in row.focus_areas], allowed_ids=self.state.focus_area_ids
                )
        except ValidationError as error:
            self.add_errors(row, error)
        self.state.add(key, officer.pk, nomination.department_id, nomination.department_ranking)

    def add_errors(self, row, error):
        for name, messages in error.message_dict.items():
            if name == "call":
                self.plan.call_closed = True  # said once for the file, not on every row
                continue
            key = FIELD_COLUMNS.get(name, "")
            if key and self.has_problem(row, key):
                continue  # already explained by the cell's own problem
            for message in messages:
                self.problem(row, key, message)


def plan_build(*, batch, table, lock=False, progress=None, today=None):
    """A Plan for `table` (from reading.read_table) into `batch`'s call for nominations. Reads only:
    nothing is written. With `lock`, the officers the file names and the call's nominations are locked
    (SELECT … FOR UPDATE) until the transaction ends, as the nomination services lock the call.
    `progress(rows_checked)` is called every 100 rows."""
    plan = Plan(batch=batch, rows=[], problems=[], notes=list(table.notes), today=today)
    if batch.direction != Batch.Direction.OUTBOUND:
        plan.problems.append(
            Problem(
                None, "", "", _("Nominations are imported into outbound batches (Hong Kong officers) only.")
            )
        )
        return plan
    call = Call.objects.filter(batch=batch).select_related("batch").first()
    if call is None:
        plan.problems.append(
            Problem(
                None,
                "",
                "",
                _("%(batch)s has no call for nominations: the import feeds a call's nominations.")
                % {"batch": batch},
            )
        )
        return plan
    if lock:
        Call.objects.select_for_update().filter(pk=call.pk).first()
    call.batch = batch
    plan.call = call
    refs = References(batch=batch)
    emails = set()
    for _number, values in table.rows:
        if isinstance(values.get("email"), str):
            emails.add(unicodedata.normalize("NFKC", values["email"]).strip().lower())
    officers = {}
    if emails:
        matching = Officer.objects.annotate(email_key=Lower("email")).filter(email_key__in=emails)
        if lock:
            matching = matching.select_for_update(of=("self",))
        for officer in matching:
            officers[officer.email_key] = officer
    nominations = {}
    if officers:
        ids = [o.pk for o in officers.values()]
        of_officers = (
            Nomination.objects.filter(call=call, officer_id__in=ids)
            .exclude(status=Nomination.Status.WITHDRAWN)
            .select_related("department")
            .prefetch_related("focus_areas")
        )
        for nomination in of_officers:
            nominations[nomination.officer_id] = nomination
    state = CallState(call, lock=lock)
    checker = _RowChecker(plan, refs, officers, nominations, state)
    seen_emails, seen_rows = {}, {}
    for count, (number, values) in enumerate(table.rows, 1):
        row = RowPlan(number=number, values=dict(values))
        checker.check(row, seen_emails, seen_rows)
        plan.rows.append(row)
        plan.problems.extend(row.problems)
        if progress is not None and count % 100 == 0:
            progress(count)
    if plan.call_closed or (
        not call_accepts_nominations(call, today)
        and any(r.nomination_action in (NEW, CHANGED) for r in plan.rows)
    ):
        plan.problems.insert(0, Problem(None, "", "", _not_accepting_message(call, today)))
    return plan

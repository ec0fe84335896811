"""Admin fuzz test (issue 11): every registered admin, every add and change form, as CSB staff use them.

For each form: post the form as the browser would send it (valid data: it saves), then data that breaks
each rule: every field blanked or given odd values (hypothesis, a bounded number of examples), and the
rules that span rows, case by case. Whatever is posted, the answer is never a 500; a refusal comes back
on the form; and a refused post writes nothing (every row of every table, history included, is as it
was). Whatever is accepted leaves every placement valid by the services' rules."""

import datetime
import io
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core import serializers
from django.db.models import F
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participants.models import Officer
from placements.models import (
    Batch,
    ChecklistCompletion,
    DocumentAccess,
    OutgoingEmail,
    Placement,
    ReminderSent,
)
from placements.services import batch_validate, placement_validate
from tests.factories import (
    AgreementFactory,
    BatchFactory,
    CalendarFeedFactory,
    CallInvitationFactory,
    ChecklistCompletionFactory,
    ChecklistItemFactory,
    ContactSheetAccessFactory,
    CsbStaffFactory,
    DepartmentFactory,
    DocumentFactory,
    DocumentRequirementFactory,
    ExchangeReportFactory,
    FocusAreaFactory,
    GradeFactory,
    HostAreaFactory,
    HostChangeRequestFactory,
    HostCoordinatorFactory,
    HostOrganisationFactory,
    MunicipalityFactory,
    NominatingOfficerFactory,
    NominationFactory,
    NoticeFactory,
    OfficerFactory,
    PlacementFactory,
    ProgrammeFactory,
    RankFactory,
    RosterExportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def access_log():
    from axes.models import AccessLog

    return AccessLog.objects.create(
        username="someone", user_agent="Test agent", ip_address="10.0.0.9", http_accept="*/*", path_info="/"
    )


def access_attempt():
    from axes.models import AccessAttempt

    return AccessAttempt.objects.create(
        username="someone",
        user_agent="Test agent",
        ip_address="10.0.0.9",
        http_accept="*/*",
        path_info="/",
        get_data="",
        post_data="",
        failures_since_start=2,
    )


def access_failure():
    from axes.models import AccessFailureLog

    return AccessFailureLog.objects.create(
        username="someone", user_agent="Test agent", ip_address="10.0.0.9", http_accept="*/*", path_info="/"
    )


def placement_with_area():
    batch = BatchFactory()
    area = HostAreaFactory(municipality=batch.host_municipality)
    batch.host_areas.add(area)
    return PlacementFactory(batch=batch, host_area=area)


# Every registered admin: how to make one row of it. A new admin without an entry fails
# test_every_registered_admin_is_fuzzed.
ROWS = {
    "auth.group": lambda: Group.objects.create(name="Fuzz group"),
    "auth.user": UserFactory,
    "axes.accessattempt": access_attempt,
    "axes.accessfailurelog": access_failure,
    "axes.accesslog": access_log,
    "participants.department": DepartmentFactory,
    "participants.grade": GradeFactory,
    "participants.officer": OfficerFactory,
    "participants.rank": RankFactory,
    "placements.agreement": AgreementFactory,
    "placements.batch": lambda: placement_with_area().batch,
    "placements.calendarfeed": CalendarFeedFactory,
    "placements.checklistcompletion": ChecklistCompletionFactory,
    "placements.checklistitem": ChecklistItemFactory,
    "placements.contactsheetaccess": ContactSheetAccessFactory,
    "placements.exchangereport": ExchangeReportFactory,
    "placements.focusarea": FocusAreaFactory,
    "placements.hostarea": HostAreaFactory,
    "placements.hostorganisation": HostOrganisationFactory,
    "placements.municipality": MunicipalityFactory,
    "placements.nominationimport": None,  # no change form; its upload is fuzzed below
    "placements.notice": NoticeFactory,
    "placements.placement": placement_with_area,
    "placements.programme": ProgrammeFactory,
    "placements.rosterexport": RosterExportFactory,
    "placements.documentrequirement": DocumentRequirementFactory,
    "placements.document": DocumentFactory,
    "placements.documentaccess": lambda: DocumentAccess.objects.create(
        document=DocumentFactory(), description="Fuzz", action=DocumentAccess.Action.choices[0][0]
    ),
    "placements.outgoingemail": lambda: OutgoingEmail.objects.create(
        to_address="fuzz@example.org", subject="Fuzz", body="Fuzz."
    ),
    "placements.remindersent": lambda: ReminderSent.objects.create(
        item=ChecklistItemFactory(), placement=PlacementFactory(), stage=ReminderSent.Stage.choices[0][0]
    ),
    # Selection (16A): a call with an invited department; a nomination (read-only once made; CSB adds one
    # through nomination_create, see ADD_DATA).
    "selection.call": lambda: CallInvitationFactory().call,
    "selection.nomination": NominationFactory,
    # The task queue's results (django-tasks-db's own read-only admin): no change form of ours.
    "django_tasks_database.dbtaskresult": None,
    # 16C: the liaisons' profiles (scoped to at least one) and the host's change requests.
    "selection.hostcoordinator": lambda: HostCoordinatorFactory(
        host_organisations=[HostOrganisationFactory()]
    ),
    "selection.nominatingofficer": lambda: NominatingOfficerFactory(departments=[DepartmentFactory()]),
    "selection.hostchangerequest": HostChangeRequestFactory,
}

# Forms whose add page is not the change page's form: what a valid add posts.
ADD_DATA = {
    "auth.user": lambda: {
        "username": "fuzz-new-user",
        "password1": "a-long-Pass-1234",
        "password2": "a-long-Pass-1234",
    },
    "placements.checklistcompletion": lambda: _completion_add_data(),
    "placements.exchangereport": lambda: {
        "placement": PlacementFactory().pk,
        "learning": "Fuzz.",
        "goodwill": "",
    },
    "placements.notice": lambda: _notice_add_data(),
    "selection.nomination": lambda: _nomination_add_data(),
}


def _nomination_add_data():
    invitation = CallInvitationFactory()
    officer = OfficerFactory(home_department=invitation.department)
    return {
        "call": invitation.call_id,
        "officer": officer.pk,
        "department": invitation.department_id,
        "department_ranking": "1",
        "statement": "Fuzz.",
        "endorsed_by_name": "Fuzz",
        "endorsed_by_post": "Fuzz",
        "endorsed_on": "2025-01-06",
    }


def _completion_add_data():
    placement = PlacementFactory()
    return {"placement": placement.pk, "item": ChecklistItemFactory(batch=placement.batch).pk}


def _notice_add_data():
    placement = PlacementFactory()
    return {"officer": placement.officer_id, "placement": placement.pk, "message": "A fuzz notice."}


def label_of(model):
    return model._meta.label_lower


def urls(label, pk=None):
    app, model = label.split(".")
    if pk is None:
        return reverse(f"admin:{app}_{model}_add")
    return reverse(f"admin:{app}_{model}_change", args=[pk])


class FormReader(HTMLParser):
    """What a browser posts from the admin's change form (`<form id="…_form">`): inputs, checked boxes,
    selected options and text areas; not the empty inline template (`__prefix__`)."""

    def __init__(self):
        super().__init__()
        self.data, self.in_form, self.select, self.textarea = {}, False, None, None

    def add(self, name, value):
        if name and "__prefix__" not in name:
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("id") or "").endswith("_form"):
            self.in_form = True
        if not self.in_form:
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.add(attrs.get("name"), attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value", ""))
        elif tag == "textarea" and "__prefix__" not in (attrs.get("name") or "__prefix__"):
            self.textarea = attrs.get("name")
            self.add(self.textarea, "")

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            if self.textarea and self.data[self.textarea][-1].startswith("\n"):
                self.data[self.textarea][-1] = self.data[self.textarea][-1][1:]
            self.textarea = None


def posted_form(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    reader = FormReader()
    reader.feed(response.content.decode())
    return {name: values if len(values) > 1 else values[0] for name, values in reader.data.items()}


def snapshot():
    """Every row of the domain's tables (history tables included) and the users, as data."""
    models = [
        *apps.get_app_config("participants").get_models(),
        *apps.get_app_config("placements").get_models(),
        *apps.get_app_config("auth").get_models(),
    ]
    return {label_of(m): serializers.serialize("python", m.objects.order_by("pk")) for m in models}


def services_still_hold():
    """Whatever the admin accepted keeps every rule: each placement passes placement_validate, each
    batch's host areas lie in its municipality, every tick is for its placement's own batch."""
    for placement in Placement.objects.select_related("batch__host_municipality", "officer"):
        placement_validate(placement=placement)
    for batch in Batch.objects.prefetch_related("host_areas"):
        batch_validate(batch=batch, host_areas=list(batch.host_areas.all()))
    assert not ChecklistCompletion.objects.exclude(item__batch=F("placement__batch")).exists()


def post_and_check(client, url, data, *, must_refuse=False):
    """Post; never a 500. A refusal (form errors, or a 400 from the middleware that refuses a NUL character
    anywhere in a request) writes nothing; an acceptance keeps the rules."""
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code in (200, 302, 400, 403), (url, response.status_code)
    if response.status_code == 302:
        assert not must_refuse, (url, data)
        services_still_hold()
        return response
    after = snapshot()
    assert after == before, f"a refused post to {url} wrote rows"
    if response.status_code == 200:
        assert response.context["errors"], (url, data)
    return response


@pytest.fixture
def staff(client):
    client.force_login(CsbStaffFactory(username="fuzz-csb"))
    return client


def test_every_registered_admin_is_fuzzed():
    assert sorted(label_of(model) for model in admin.site._registry) == sorted(ROWS)


@pytest.mark.parametrize("label", sorted(label for label, make in ROWS.items() if make is not None))
def test_change_form_saves_valid_data_and_refuses_each_field_broken(staff, label):
    row = ROWS[label]()
    url = urls(label, row.pk)
    page = staff.get(url)
    assert page.status_code in (200, 403)
    if page.status_code == 403 or not page.context.get("has_change_permission", False):
        # Read-only here (sign-in logs, exports, calendar addresses, ticks, notices sent, groups for
        # CSB staff): a post writes nothing.
        post_and_check(staff, url, {"name": "x"}, must_refuse=True)
        return
    data = posted_form(staff, url)
    post_and_check(staff, url, data)  # valid: saved as it was
    for name in [key for key in data if not key.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "-id", "FORMS"))]:
        if name == "csrfmiddlewaretoken":
            continue
        for odd in ("", "-1", "2027-02-30", "x" * 300):
            post_and_check(staff, url, {**data, name: odd})


@pytest.mark.parametrize("label", sorted(label for label, make in ROWS.items() if make is not None))
def test_add_form_saves_valid_data_and_refuses_it_broken(staff, label):
    model_admin = admin.site._registry[apps.get_model(label)]
    url = urls(label)
    request = staff.get(url).wsgi_request
    if not model_admin.has_add_permission(request):
        post_and_check(staff, url, {"name": "x"}, must_refuse=True)
        return
    if label in ADD_DATA:
        data = ADD_DATA[label]()
    else:
        # A row's change form, posted to the add page once the row is gone: its unique values are free.
        row = ROWS[label]()
        data = posted_form(staff, urls(label, row.pk))
        for key in [k for k in data if "-" in k and not k.startswith("csrf")]:
            del data[key]
        for prefix in {
            key.split("-")[0] for key in posted_form(staff, urls(label, row.pk)) if "-TOTAL_FORMS" in key
        }:
            data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "0"
        Placement.objects.filter(batch__pk=row.pk if label == "placements.batch" else None).delete()
        row.delete()
    response = post_and_check(staff, url, data)
    assert response.status_code == 302, (label, response.context and response.context.get("errors"))
    # The same again: a duplicate where the model has unique fields, or a second row; never a 500.
    post_and_check(staff, url, data)
    for name in [key for key in data if not key.endswith("FORMS") and key != "csrfmiddlewaretoken"]:
        post_and_check(staff, url, {**data, name: ""})


ODD = st.one_of(
    st.sampled_from(["", "0", "-1", "99999999", "2027-02-30", "1900-01-01", "9999-12-31", "on", "<b>x</b>"]),
    st.text(max_size=30),
    st.integers(min_value=-5, max_value=10**12).map(str),
    st.dates().map(datetime.date.isoformat),
)


@pytest.mark.parametrize("label", ["placements.batch", "placements.placement", "participants.officer"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(st.integers(min_value=0, max_value=40), ODD, min_size=1, max_size=4))
def test_hypothesis_any_change_is_saved_valid_or_refused_whole(staff, label, changes):
    row = ROWS[label]()
    url = urls(label, row.pk)
    data = posted_form(staff, url)
    names = sorted(key for key in data if key != "csrfmiddlewaretoken" and not key.endswith("FORMS"))
    for index, value in changes.items():
        data[names[index % len(names)]] = value
    post_and_check(staff, url, data)


def test_rules_that_span_rows_are_refused_on_the_form(staff):
    """The rules the services enforce across rows, one post each: all refused, nothing written."""
    batch = BatchFactory()
    area = HostAreaFactory(municipality=batch.host_municipality)
    batch.host_areas.add(area)
    elsewhere_area = HostAreaFactory()
    placement = PlacementFactory(batch=batch, host_area=area)
    url = urls("placements.placement", placement.pk)
    data = posted_form(staff, url)
    mainland = OfficerFactory(mainland=True)
    for change in (
        {"end_date": (batch.end_date + datetime.timedelta(days=1)).isoformat()},
        {"start_date": (batch.start_date - datetime.timedelta(days=1)).isoformat()},
        {"host_area": str(elsewhere_area.pk)},
        {"officer": str(mainland.pk)},
    ):
        post_and_check(staff, url, {**data, **change}, must_refuse=True)
    # An officer on two placements at once.
    other = PlacementFactory(batch=BatchFactory(start_date=batch.start_date, end_date=batch.end_date))
    post_and_check(staff, url, {**data, "officer": str(other.officer_id)}, must_refuse=True)

    batch_url = urls("placements.batch", batch.pk)
    batch_data = posted_form(staff, batch_url)
    for change in (
        {"end_date": (batch.start_date - datetime.timedelta(days=1)).isoformat()},
        {"end_date": (batch.end_date - datetime.timedelta(days=1)).isoformat()},
        {"host_areas": [str(elsewhere_area.pk)]},
        {"host_areas": []},
        {"host_municipality": str(MunicipalityFactory().pk)},
        {"direction": Batch.Direction.INBOUND},
        {"placements-0-end_date": (batch.end_date + datetime.timedelta(days=3)).isoformat()},
        {"placements-0-host_organisation": str(HostOrganisationFactory().pk)},
    ):
        post_and_check(staff, batch_url, {**batch_data, **change}, must_refuse=True)

    organisation = HostOrganisationFactory()
    org_url = urls("placements.hostorganisation", organisation.pk)
    post_and_check(
        staff, org_url, {**posted_form(staff, org_url), "area": str(HostAreaFactory().pk)}, must_refuse=True
    )
    officer = OfficerFactory()
    officer_url = urls("participants.officer", officer.pk)
    post_and_check(
        staff,
        officer_url,
        {**posted_form(staff, officer_url), "email": placement.officer.email.upper()},
        must_refuse=True,
    )
    item = ChecklistItemFactory(batch=batch)
    item_url = urls("placements.checklistitem", item.pk)
    post_and_check(
        staff,
        item_url,
        {**posted_form(staff, item_url), "title": ChecklistItemFactory(batch=batch).title},
        must_refuse=True,
    )
    post_and_check(
        staff,
        urls("placements.checklistcompletion"),
        {"placement": placement.pk, "item": ChecklistItemFactory().pk},
        must_refuse=True,
    )
    post_and_check(
        staff,
        urls("placements.notice"),
        {"officer": mainland.pk, "placement": placement.pk, "message": "Not theirs."},
        must_refuse=True,
    )
    report = ExchangeReportFactory(submitted=True)
    post_and_check(staff, urls("placements.exchangereport", report.pk), {"learning": ""}, must_refuse=True)
    assert Officer.objects.filter(email__iexact=placement.officer.email).count() == 1


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=2000), name=st.sampled_from(["n.csv", "n.xlsx", "n.txt", "n.exe"]))
def test_nominations_upload_answers_any_file_without_a_500(staff, content, name):
    batch = BatchFactory()
    upload = io.BytesIO(content)
    upload.name = name
    response = staff.post(urls("placements.nominationimport"), {"batch": batch.pk, "file": upload})
    assert response.status_code in (200, 302)

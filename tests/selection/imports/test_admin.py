"""The import pages in the admin: who may use them, the buttons that lead there, the template and the
error report, and the preview's query count."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from selection.imports.columns import COLUMNS
from tests.factories import UserFactory

from .conftest import DATA, last_import, snapshot, text_of, upload

pytestmark = pytest.mark.django_db

ADD = "admin:placements_nominationimport_add"


def test_coordinators_and_participants_are_sent_to_sign_in(client, coordinator_user, officer_with_login):
    for user in (coordinator_user, officer_with_login.user):
        client.force_login(user)
        response = client.get(reverse(ADD))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_staff_without_the_csb_role_may_not_import(client, guangzhou_batch):
    client.force_login(UserFactory(is_staff=True))
    before = snapshot()
    assert client.get(reverse(ADD)).status_code == 403
    assert upload(client, guangzhou_batch, "guangzhou-2027.xlsx").status_code == 403
    assert client.get(reverse("admin:placements_nominationimport_template")).status_code == 403
    assert snapshot() == before


def test_a_viewer_may_see_a_preview_but_not_confirm_it(client, csb_client, guangzhou_batch):
    url = upload(csb_client, guangzhou_batch, "guangzhou-2027.xlsx")["Location"]
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_nominationimport"))
    client.force_login(viewer)
    before = snapshot()
    assert client.get(url).status_code == 200
    assert client.post(url, {"fingerprint": "x"}).status_code == 403
    assert snapshot() == before


def test_the_buttons_lead_to_the_upload_page(csb_client, guangzhou_batch):
    batch_page = csb_client.get(reverse("admin:placements_batch_change", args=[guangzhou_batch.pk]))
    assert f'{reverse(ADD)}?batch={guangzhou_batch.pk}"' in batch_page.content.decode()
    for changelist in ("admin:placements_placement_changelist", "admin:participants_officer_changelist"):
        assert reverse(ADD) in csb_client.get(reverse(changelist)).content.decode()
    page = csb_client.get(f"{reverse(ADD)}?batch={guangzhou_batch.pk}")
    assert page.status_code == 200
    assert page.context["form"]["batch"].value() == str(guangzhou_batch.pk)
    assert page.content.decode().count("<h1") == 1


def test_an_inbound_batch_cannot_be_chosen(csb_client, demo):
    from placements.models import Batch

    inbound = Batch.objects.inbound().first()
    response = upload(csb_client, inbound, "guangzhou-2027.xlsx")
    assert response.status_code == 200
    assert "Select a valid choice" in text_of(response)


def test_the_template_has_the_headers_and_an_example_row(csb_client, guangzhou_batch):
    response = csb_client.get(
        reverse("admin:placements_nominationimport_template") + f"?batch={guangzhou_batch.pk}"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="nominations-template.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == [c.header for c in COLUMNS]
    example = dict(zip(rows[0], rows[1], strict=True))
    assert example["Host organisation"] == "Nansha District People's Government"
    assert example["Endorsed on"].date() <= datetime.date.today()


def test_the_template_uploaded_as_it_is_names_its_example_row(csb_client, guangzhou_batch):
    template = csb_client.get(
        reverse("admin:placements_nominationimport_template") + f"?batch={guangzhou_batch.pk}"
    )
    response = upload(csb_client, guangzhou_batch, "template.xlsx", template.content)
    page = text_of(csb_client.get(response["Location"]))
    assert "This is the template's example row: delete it." in page
    assert (
        "The workbook has 3 sheets; “Nominations” was read: it is the first visible sheet with the "
        "template's headers." in page
    )


def test_the_error_report_lists_every_problem_with_row_column_value_and_suggestion(
    csb_client, guangzhou_batch
):
    upload(csb_client, guangzhou_batch, "unknown-department.csv")
    response = csb_client.get(reverse("admin:placements_nominationimport_problems", args=[last_import().pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="unknown-department-problems.csv"'
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == [
        "Row,Column,Value,Problem,Suggestion",
        "2,Home department,Highway Department,“Highway Department” is not a bureau or department.,"
        "Did you mean Highways Department (HyD)?",
    ]


def test_the_error_report_defuses_formulas(csb_client, guangzhou_batch):
    upload(csb_client, guangzhou_batch, "formula.csv")
    response = csb_client.get(reverse("admin:placements_nominationimport_problems", args=[last_import().pk]))
    value = response.content.decode("utf-8-sig").splitlines()[1]
    assert "'=HYPERLINK" in value


def test_the_log_lists_imports(csb_client, guangzhou_batch, django_assert_num_queries):
    for name in ("guangzhou-2027.xlsx", "unknown-grade.csv", "utf-8.csv"):
        upload(csb_client, guangzhou_batch, name)
    # session, the batch filter's choices, a count, the rows with batch and uploader, the date hierarchy's
    # range and its days. 10 before issue 18: the permissions and the user (cached since the uploads:
    # participants.backends) and a second count for "(N total)" (core.admin.QuickChangelistMixin).
    with django_assert_num_queries(6):
        response = csb_client.get(reverse("admin:placements_nominationimport_changelist"))
    assert response.status_code == 200
    assert "unknown-grade.csv" in text_of(response)


# session, the import with its batch, the batch with its city (the plan's own read), the batch's call;
# the references: departments, their former names, grades, ranks, hosts, areas, focus areas, the batch's
# areas; the officers by e-mail; the call's state: invitations, eligible grades, eligible ranks, the
# batch's focus areas, its nominations; an earlier import of the same file = 19. When some officers
# exist: their nominations to the call = 20 (+1 for their focus areas when they have some). A batch
# without a call stops at the call = 5. (The user's and the group's permissions, and the user, are
# cached since the upload: participants.backends, issue 18.)
@pytest.mark.parametrize(
    ("batch_fixture", "name", "queries"),
    [
        ("guangzhou_batch", "guangzhou-2027.xlsx", 19),
        ("guangzhou_batch", "too-many-rows.csv", 19),
        ("guangzhou_batch", "first-batch.xlsx", 20),
        ("first_batch", "first-batch.xlsx", 5),
    ],
)
def test_the_preview_takes_a_fixed_number_of_queries(
    request, csb_client, django_assert_num_queries, batch_fixture, name, queries
):
    batch = request.getfixturevalue(batch_fixture)
    content = (DATA / name).read_bytes()
    if name == "too-many-rows.csv":  # cut to the limit: 5,000 rows
        content = b"\r\n".join(content.split(b"\r\n")[:5001]) + b"\r\n"
    url = upload(csb_client, batch, name, content)["Location"]
    with django_assert_num_queries(queries):
        response = csb_client.get(url)
    assert response.status_code == 200
    assert last_import().row_count in (0, 3, 5000, 10)  # 0: no call, no row is read

"""The whole selection in one run, each role in the browser doing its part (issue 16): CSB writes and opens
the call in the admin; the department's nominating officer nominates an officer with the endorsement; the
officer consents on their own page; CSB selects on the call's selection page, proposing a host
organisation; the host coordinator accepts with a role and a supervisor, and the placement is confirmed.
Along the way each of them is e-mailed in their own language."""

import datetime

from django.utils import timezone

from placements.models import OutgoingEmail, Placement
from selection.models import Call, Nomination
from tests.factories import (
    BatchFactory,
    CsbStaffFactory,
    DepartmentFactory,
    FocusAreaFactory,
    HostCoordinatorFactory,
    HostOrganisationFactory,
    MunicipalityFactory,
    NominatingOfficerFactory,
    OfficerFactory,
    ParticipantUserFactory,
)

from .test_admin_batch import pick


def sign_out(page, live_server):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")


def test_a_call_runs_from_nominations_to_the_hosts_confirmation(sign_in, live_server):
    today = timezone.localdate()
    municipality = MunicipalityFactory(name_en="Pipeline City", name_zh="流程市")
    batch = BatchFactory(
        name="Pipeline City 2027",
        host_municipality=municipality,
        start_date=today + datetime.timedelta(days=120),
        end_date=today + datetime.timedelta(days=210),
        focus_areas=[FocusAreaFactory(name_en="Pipeline innovation", name_zh="流程創新")],
    )
    host = HostOrganisationFactory(name_en="Pipeline City Science Bureau", municipality=municipality)
    department = DepartmentFactory(name_en="Pipeline Department", abbreviation="PIPE")
    officer = OfficerFactory(
        name_en="CHEUNG Pipe-line",
        home_department=department,
        user=ParticipantUserFactory(username="pipe-officer"),
        preferred_language="zh-hant",
    )
    CsbStaffFactory(username="pipe-csb")
    NominatingOfficerFactory(
        user__username="pipe-nominator",
        name="LAM Nominate",
        departments=[department],
        preferred_language="en",
    )
    HostCoordinatorFactory(
        user__username="pipe-host", name="ZHOU Host", host_organisations=[host], preferred_language="zh-hans"
    )

    # CSB writes the call in the admin, inviting the department, and opens it.
    page = sign_in("pipe-csb")
    page.goto(f"{live_server.url}/admin/selection/call/add/")
    pick(page, "id_batch", "Pipeline City 2027")
    page.fill("#id_places", "2")
    page.fill("#id_opens_on", today.isoformat())
    page.fill("#id_closes_on", (today + datetime.timedelta(days=14)).isoformat())
    page.fill("#id_eligibility_en", "Middle and senior officers")
    pick(page, "id_invitations-0-department", "Pipeline Department")
    page.fill("#id_invitations-0-quota", "2")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    assert "was added successfully" in page.locator(".messagelist").inner_text()
    call = Call.objects.get(batch=batch)
    assert call.status == Call.Status.DRAFT
    page.get_by_role("link", name="Open the call").click()
    page.locator("input[type=submit].default").click()
    page.wait_for_load_state()
    call.refresh_from_db()
    assert call.status == Call.Status.OPEN
    assert OutgoingEmail.objects.filter(to_address__startswith="pipe-nominator").exists()

    # The department's nominating officer nominates the officer, with the endorsement.
    sign_out(page, live_server)
    page = sign_in("pipe-nominator")
    assert page.url.rstrip("/").endswith("/nominations")
    page.get_by_role("link", name="Pipeline City 2027").first.click()
    page.get_by_role("link", name="Nominate an officer").first.click()
    page.select_option("#id_officer", label=officer.picker_label())
    page.get_by_label("Pipeline innovation").check()
    page.fill("#id_statement", "Leads the department's cross-boundary data projects.")
    page.fill("#id_department_ranking", "1")
    page.fill("#id_endorsed_by_name", "WONG Endorse")
    page.fill("#id_endorsed_by_post", "Head of Department")
    page.get_by_role("button", name="Nominate").click()
    page.wait_for_load_state()
    nomination = Nomination.objects.get(call=call, officer=officer)
    assert nomination.consent == Nomination.Consent.PENDING
    assert "CHEUNG Pipe-line" in page.content()

    # The officer consents on their own page (in Chinese, their language).
    sign_out(page, live_server)
    page = sign_in("pipe-officer")
    page.goto(f"{live_server.url}/my/nominations/{nomination.pk}/consent/")
    page.locator("button[name=given][value=yes]").click()
    page.wait_for_load_state()
    nomination.refresh_from_db()
    assert nomination.consent == Nomination.Consent.GIVEN
    consent_request = OutgoingEmail.objects.filter(officer=officer, kind=OutgoingEmail.Kind.SELECTION).first()
    assert consent_request.language == "zh-hant"

    # CSB selects on the call's selection page, proposing the host organisation.
    sign_out(page, live_server)
    page = sign_in("pipe-csb")
    page.goto(f"{live_server.url}/admin/selection/call/{call.pk}/selection/")
    assert "CHEUNG Pipe-line" in page.locator("#result_list").inner_text()
    page.check(f"#nomination-{nomination.pk}")
    page.locator("input[name=decision][value=selected]").check()
    page.select_option("select[name=host_organisation]", label=host_label(page, host))
    page.locator(".selection-decide").locator("xpath=..").locator("input[type=submit].default").click()
    page.wait_for_load_state()
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SELECTED
    placement = nomination.placement
    assert placement.status == Placement.Status.NOMINATED
    assert placement.host_organisation == host

    # The host coordinator accepts the officer with a role and a supervisor: the placement is confirmed.
    sign_out(page, live_server)
    page = sign_in("pipe-host")
    assert page.url.rstrip("/").endswith("/host")
    page.get_by_role("link", name="CHEUNG Pipe-line").first.click()
    assert officer.email not in page.content()  # only what the placement needs
    page.locator("#id_accept-role").fill("Special assistant to the bureau's deputy director")
    page.locator("#id_accept-host_supervisor").fill("LI Ming, Deputy Director")
    page.get_by_role("button", name="Accept and confirm").click()
    page.wait_for_load_state()
    placement.refresh_from_db()
    assert placement.status == Placement.Status.CONFIRMED
    assert placement.role == "Special assistant to the bureau's deputy director"
    assert placement.host_supervisor == "LI Ming, Deputy Director"

    # Every step was e-mailed, each reader in their language.
    languages = dict(
        OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.SELECTION).values_list("to_address", "language")
    )
    assert languages[officer.email] == "zh-hant"
    nominator_languages = {
        language for address, language in languages.items() if address.startswith("pipe-nom")
    }
    assert nominator_languages == {"en"}


def host_label(page, host):
    """The host organisation's option as the select shows it (its local name)."""
    options = page.locator("select[name=host_organisation] option").all_inner_texts()
    return next(text for text in options if "Pipeline City Science Bureau" in text)

"""The Content-Security-Policy (no inline script or style) breaks nothing in the portal or the admin."""

from tests.factories import CsbStaffFactory, OfficerFactory


def collect_csp_violations(page):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def test_the_admin_works_under_the_policy(sign_in, live_server):
    CsbStaffFactory(username="csb-e2e")
    officer = OfficerFactory(name_en="CSP Test-officer")
    page = sign_in("csb-e2e")
    violations = collect_csp_violations(page)
    for path in (
        "/admin/",
        "/admin/participants/officer/",
        f"/admin/participants/officer/{officer.pk}/change/",
        "/admin/participants/officer/add/",
        "/admin/axes/accesslog/",
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
    # The admin's own scripts run: the change form's autocomplete and the changelist's actions.
    page.goto(f"{live_server.url}/admin/participants/officer/")
    page.get_by_role("checkbox", name="Select all objects on this page for an action").check()
    assert page.get_by_text("1 of 1 selected").is_visible()
    assert violations == []


def test_the_portal_pages_load_their_styles_under_the_policy(sign_in, live_server):
    CsbStaffFactory(username="csb-e2e")
    page = sign_in("csb-e2e")
    violations = collect_csp_violations(page)
    page.goto(f"{live_server.url}/no-such-page/")
    heading = page.get_by_role("heading", name="Page not found")
    assert heading.is_visible()
    # Bootstrap's stylesheet applied: the navbar is laid out as a flex container.
    assert page.locator("nav.navbar").evaluate("e => getComputedStyle(e).display") == "flex"
    assert violations == []

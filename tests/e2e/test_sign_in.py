from tests.factories import CsbStaffFactory


def test_csb_staff_sign_in_and_land_in_the_admin(sign_in, live_server):
    CsbStaffFactory(username="csb-e2e")
    page = sign_in("csb-e2e")
    assert page.url == f"{live_server.url}/admin/"
    assert page.get_by_role("heading", name="Staff exchange programmes with the Mainland").is_visible()


def test_a_wrong_password_is_refused_with_a_message(sign_in):
    CsbStaffFactory(username="csb-e2e")
    page = sign_in("csb-e2e", "not-the-password")
    assert "/accounts/login/" in page.url
    assert page.get_by_text("Please enter a correct username and password").is_visible()

import datetime

from placements.models import Batch, FocusArea
from tests.factories import BatchFactory, CsbStaffFactory, HostAreaFactory, PlacementFactory


def test_the_language_switch_works_without_javascript_and_is_remembered(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.get_by_role("heading", name="Sign in").is_visible()
    page.get_by_role("button", name="繁體中文").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="登入").is_visible()
    page.goto(f"{live_server.url}/accounts/login/")  # the cookie keeps the choice
    assert page.locator("html").get_attribute("lang") == "zh-hant"
    page.get_by_role("button", name="简体中文").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="登录").is_visible()
    context.close()


def test_the_dashboard_draws_its_charts_in_the_browser_language(browser, live_server):
    CsbStaffFactory(username="csb-e2e")
    area = HostAreaFactory()
    batch = BatchFactory(
        host_municipality=area.municipality,
        host_areas=[area],
        start_date=datetime.date(2026, 10, 12),
        end_date=datetime.date(2027, 1, 8),
        status=Batch.Status.IN_PROGRESS,
    )
    PlacementFactory.create_batch(3, batch=batch, host_area=area, focus_areas=[FocusArea.objects.first()])
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "csb-e2e")
    page.fill("input[name=password]", "pw-for-tests")
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/dashboard/")
    assert page.get_by_role("heading", name="交流项目概览").is_visible()
    assert page.locator("svg.chart").count() == 8  # with completion
    assert page.locator("svg.chart").first.bounding_box()["width"] > 300
    page.get_by_text("以表格显示数据").first.click()
    assert page.get_by_role("cell", name="3").first.is_visible()
    context.close()

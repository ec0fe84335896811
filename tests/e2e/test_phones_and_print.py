"""Every participant and coordinator page on a 375 px phone in English, 繁體 and 简体: no text past the
right edge of the screen (whether the page or a table scrolls sideways), no table cell holding Chinese
squeezed narrower than two characters. And the roster's print view printed to PDF in each language: it
fits A4 landscape, every name, status and municipality is whole, and every page carries the batch heading
and its page number."""

import datetime
import shutil
import subprocess

import pytest
from django.utils import translation

from core.names import local_name
from placements.models import Placement
from tests.factories import (
    BatchFactory,
    ChecklistCompletionFactory,
    ChecklistItemFactory,
    CoordinatorUserFactory,
    ExchangeReportFactory,
    ParticipantUserFactory,
    PlacementFactory,
)
from tests.placements.roster_data import roster_batch

LANGUAGES = ("en", "zh-hant", "zh-hans")
PHONE = {"width": 375, "height": 812}
# A4 landscape (297 mm) less the print view's 10 mm side margins, in CSS pixels (96 per inch).
A4_LANDSCAPE_CONTENT_PX = round((297 - 20) / 25.4 * 96)

# The same measure as /work/shared/tools/phone-check: texts whose box ends past the viewport, and table
# cells with Chinese narrower than two characters of their font.
MEASURE = """() => {
  const W = window.innerWidth, off = [], squeezed = [];
  for (const el of document.querySelectorAll('body *')) {
    if (!el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;
    const own = [...el.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim())
      .map(n => n.textContent.trim()).join(' ');
    if (!own) continue;
    const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || cs.visibility === 'hidden') continue;
    if (cs.position === 'absolute' && r.width <= 1) continue;
    if (r.right > W + 1) off.push(own.slice(0, 30));
    if (el.closest('td,th') && /[\\u4e00-\\u9fff]{2,}/.test(own) && r.width < 1.9 * parseFloat(cs.fontSize))
      squeezed.push(own.slice(0, 12));
  }
  return {scroll: document.documentElement.scrollWidth - W, off, squeezed};
}"""

ITEMS = [
    ("Attend the pre-departure briefing", "出席出發前簡介會"),
    ("Check your travel documents", "檢查旅行證件"),
    ("Make first contact with your host supervisor", "與接待單位的督導人員首次聯絡"),
    ("Give an emergency contact in My details", "在「我的資料」填寫緊急聯絡人"),
    ("Attend the launch ceremony in Shenzhen", "出席深圳啟動儀式"),
    ("Mid-term check-in with your coordinator", "與統籌人員進行中期檢視"),
    ("Submit your exchange report", "提交交流報告"),
    ("Speak at the return sharing session", "在回港分享會上發言"),
]


def phone_world():
    """A coordinator's Shenzhen batch (Chinese names, a withdrawn participant, eight checklist items, a
    submitted report) and a participant with two placements, so /my/ lists them all."""
    coordinator = CoordinatorUserFactory(username="coord-phone", first_name="Mei-ling", last_name="Ho")
    batch = roster_batch(coordinator)
    batch.name_zh = "大灣區測試批次 · 深圳 2023-24"
    batch.save()
    items = [
        ChecklistItemFactory(
            batch=batch, title=title, title_zh=title_zh, order=n, due_date=datetime.date(2023, 12, n + 1)
        )
        for n, (title, title_zh) in enumerate(ITEMS, start=1)
    ]
    mine = batch.placements.get(officer__name_en="CHAN Ka-ming")
    mine.role_zh = "副區長特別助理"
    mine.save()
    mine.officer.user = ParticipantUserFactory(username="part-phone", first_name="Ka-ming", last_name="Chan")
    mine.officer.save()
    for item in items[:5]:
        ChecklistCompletionFactory(item=item, placement=mine)
    ExchangeReportFactory(placement=mine, submitted=True)
    earlier = BatchFactory(
        name="CSSEP outbound 2019 · Shanghai",
        name_zh="公務員交流計劃外派 2019 · 上海",
        start_date=datetime.date(2019, 4, 1),
        end_date=datetime.date(2019, 5, 31),
        coordinators=[coordinator],
    )
    PlacementFactory(batch=earlier, officer=mine.officer, status=Placement.Status.COMPLETED)
    return batch, items, mine


def walk(page, live_server, paths):
    """{(language, path): problems} for every page that falls short at 375 px."""
    failures = {}
    for language in LANGUAGES:
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for path in paths:
            response = page.goto(live_server.url + path)
            measured = page.evaluate(MEASURE)
            assert page.locator("html").get_attribute("lang") == language
            if response.status != 200 or measured["scroll"] > 1 or measured["off"] or measured["squeezed"]:
                failures[language, path] = (response.status, measured)
    return failures


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def sign_in_on(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests")
    page.locator("form [type=submit]").first.click()
    page.wait_for_load_state()


def test_every_coordinator_page_fits_a_phone_in_each_language(phone, live_server):
    batch, items, mine = phone_world()
    sign_in_on(phone, live_server, "coord-phone")
    paths = [
        "/batches/",
        f"/batches/{batch.pk}/",
        f"/batches/{batch.pk}/checklist/",
        f"/batches/{batch.pk}/checklist/{items[0].pk}/",
        f"/batches/{batch.pk}/checklist/{items[0].pk}/delete/",
        f"/batches/{batch.pk}/reports/",
        "/dashboard/",
        "/calendar/",
        f"/placements/{mine.pk}/",
        f"/placements/{mine.pk}/checklist/",
        f"/placements/{mine.pk}/report/",
        "/accounts/password_change/",
    ]
    assert walk(phone, live_server, paths) == {}


def test_every_participant_page_fits_a_phone_in_each_language(phone, live_server):
    _, _, mine = phone_world()
    sign_in_on(phone, live_server, "part-phone")
    paths = [
        "/my/",
        "/my/details/",
        f"/placements/{mine.pk}/",
        f"/placements/{mine.pk}/checklist/",
        f"/placements/{mine.pk}/report/",
        "/calendar/",
        "/accounts/password_change/",
    ]
    assert walk(phone, live_server, paths) == {}


def test_the_batch_page_on_a_phone_is_cards_in_the_readers_script(phone, live_server):
    batch, _, _ = phone_world()
    sign_in_on(phone, live_server, "coord-phone")
    phone.context.add_cookies([{"name": "django_language", "value": "zh-hant", "url": live_server.url}])
    phone.goto(f"{live_server.url}/batches/{batch.pk}/")
    assert phone.locator("h1").inner_text() == "大灣區測試批次 · 深圳 2023-24"
    assert "2023年12月18日 – 2024年3月8日" in phone.locator(".batch-facts").inner_text()
    assert "福田（區）" in phone.locator(".batch-facts").inner_text()
    card = phone.locator("table.table-stack tr", has_text="CHAN Ka-ming").first
    text = card.inner_text()
    # The role's Chinese form; focus areas joined with the enumeration comma.
    assert "副區長特別助理" in text and "、" in text and "; " not in text
    # The table's column titles are hidden; each cell carries its own, so nothing scrolls sideways.
    assert not phone.locator("table.table-stack thead").first.is_visible()


def test_the_navbar_names_the_user_surname_first(page, live_server):
    phone_world()
    sign_in_on(page, live_server, "coord-phone")
    assert page.locator(".navbar-text").inner_text() == "HO Mei-ling"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_printed_roster_fits_a4_landscape_with_every_word_whole(page, live_server, tmp_path, language):
    coordinator = CoordinatorUserFactory(username="coord-print")
    batch = roster_batch(coordinator, extra=40)  # enough rows for several pages
    batch.name_zh = "大灣區測試批次 2023-24"
    batch.save()
    sign_in_on(page, live_server, "coord-print")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/batches/{batch.pk}/roster/print/")
    title = {"en": "Roster: GBA test batch 2023-24", "zh-hant": "大灣區測試批次 2023-24 名冊"}
    title["zh-hans"] = "大湾区测试批次 2023-24 名册"
    assert page.locator("h1").inner_text() == title[language]

    # As printed: the table fits the width of an A4 landscape page.
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_LANDSCAPE_CONTENT_PX, "height": 700})
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_LANDSCAPE_CONTENT_PX

    pdf = tmp_path / f"roster-{language}.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    pages = int(
        next(
            line.split()[-1]
            for line in subprocess.run(
                ["pdfinfo", str(pdf)], capture_output=True, text=True
            ).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    assert pages >= 2
    with translation.override(language):
        statuses = {
            str(Placement.Status(status).label)
            for status in batch.placements.values_list("status", flat=True)
        }
        municipality = local_name(batch.host_municipality)
    for number in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        flat = " ".join(text.split())
        # The batch heading and the page number are on every page.
        assert title[language] in flat
        assert f"{number}/{pages}" in flat.replace(" ", "")
        # Every row's status and municipality is whole on its line, never split over two.
        lines = [line for line in text.splitlines() if "Extra" in line or "CHAN Ka-ming" in line]
        assert lines
        for line in lines:
            assert any(status in line for status in statuses), line
            assert municipality in line, line
    everything = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    for name in ("CHAN Ka-ming", "NG Pui-shan", "WONG Siu-fan", "AU Yan"):
        assert name in everything
    chinese = {"zh-hans": ("陈家明", "吴佩珊", "黄小芬")}.get(language, ("陳家明", "吳佩珊", "黃小芬"))
    for name in chinese:
        assert name in everything

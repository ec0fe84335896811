"""Every string in the code is translated into both Chinese scripts, and pages are served in the language
the reader chose (cookie) or their browser asks for (Accept-Language)."""

import re

import pytest
from django.urls import reverse

from core.translations import CATALOGUE_LOCALES, extract_messages, read_catalogue, untranslated


@pytest.fixture(scope="module")
def messages():
    return extract_messages()


def test_the_extractor_finds_strings_of_every_kind(messages):
    # So that the coverage test below cannot pass on an empty extraction: one of each source.
    ids = {m.id for m in messages}
    assert "Sign in" in ids  # {% translate %} in a template
    assert "Your account is not yet linked to an officer record or a batch." in ids  # {% blocktranslate %}
    assert (
        "Participants from %(first)s to %(last)s; withdrawn placements are not counted." in ids
    )  # with vars
    assert "bureaux and departments" in ids  # a model's verbose_name_plural (gettext_lazy)
    assert "Untick when a department is dissolved or merged away." in ids  # a help text
    assert "Outbound (Hong Kong officers to the Mainland)" in ids  # a choice label
    assert any(str(m.id).startswith("“%(value)s” is not a Hong Kong") for m in messages)  # a validator
    assert (
        "%(names)s and %(more)s more" in ids  # a service's refusal (placements.services)
    )
    assert len(ids) > 250


@pytest.mark.parametrize("locale", CATALOGUE_LOCALES)
def test_every_string_in_the_code_is_translated(messages, locale):
    missing = untranslated(read_catalogue(locale), messages)
    assert missing == [], f"{locale} lacks {len(missing)}: run `manage.py update_translations` and translate"


@pytest.mark.parametrize("locale", CATALOGUE_LOCALES)
def test_translations_keep_their_placeholders(locale):
    placeholder = re.compile(r"%\(\w+\)s")
    for message in read_catalogue(locale):
        if message.id:
            # A plural entry: every form keeps the plural msgid's placeholders (Chinese has one form).
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for string in strings:
                assert sorted(placeholder.findall(ids[-1])) == sorted(placeholder.findall(string)), ids[0]


def test_simplified_catalogue_is_in_simplified_script():
    from core.names import to_simplified

    for message in read_catalogue("zh_Hans"):
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for string in strings:
                assert to_simplified(string) == string, message.id


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("en", "Sign in"), ("zh-HK,zh;q=0.9", "登入"), ("zh-TW", "登入"), ("zh-CN,zh;q=0.9", "登录")],
)
def test_the_browser_language_is_the_default(client, db, accept, expected):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept)
    assert f'<h1 class="h3 mb-3">{expected}</h1>' in response.content.decode()


def test_the_language_switch_is_on_the_page_and_its_choice_is_remembered(client, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'action="{reverse("set_language")}"' in page
    for code in ["en", "zh-hant", "zh-hans"]:
        assert f'name="language" value="{code}"' in page
    assert "简体中文" in page and "繁體中文" in page

    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("login")})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    # The cookie now wins over the browser's own language.
    again = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="zh-hans">' in again and "登录" in again


@pytest.mark.parametrize(
    ("language", "title", "label"),
    [
        ("en", "Programme dashboard", "Outbound"),
        ("zh-hant", "交流計劃概覽", "外派"),
        ("zh-hans", "交流项目概览", "外派"),
    ],
)
def test_pages_render_in_each_language(csb_client, settings, language, title, label):
    csb_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = csb_client.get(reverse("coordination:dashboard")).content.decode()
    assert title in page and label in page
    calendar = csb_client.get(reverse("calendar:settings")).content.decode()
    assert {"en": "Your calendar", "zh-hant": "你的日曆", "zh-hans": "你的日历"}[language] in calendar
    admin = csb_client.get(reverse("admin:index")).content.decode()
    assert {"en": "Programmes and placements", "zh-hant": "交流計劃及派駐", "zh-hans": "交流项目及派驻"}[
        language
    ] in admin


def test_dates_follow_the_language(csb_client, settings):
    from tests.factories import BatchFactory

    BatchFactory(status="in_progress", start_date="2026-10-12", end_date="2027-01-08")
    shown = {}
    for language in ["en", "zh-hant", "zh-hans"]:
        csb_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        shown[language] = csb_client.get(reverse("coordination:dashboard")).content.decode()
    assert "12 Oct 2026" in shown["en"] and "Oct. 12, 2026" not in shown["en"]
    assert "2026年10月12日" in shown["zh-hant"] and "2026年10月12日" in shown["zh-hans"]

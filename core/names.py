"""Names in the reader's language.

Reference rows and people carry an English name (`name_en`) and a Chinese name in Traditional script
(`name_zh`, as Hong Kong writes it). English readers get the English name; Traditional Chinese readers
the Chinese name as entered; Simplified Chinese readers the Chinese name converted with OpenCC's
Hong Kong Traditional to Simplified table (hk2s), so 環境保護署 reads 环境保护署. Where no Chinese name was
entered, every reader gets the English one."""

import re
from functools import lru_cache

import opencc
from django.utils.translation import get_language

SIMPLIFIED = "zh-hans"
TRADITIONAL = "zh-hant"


@lru_cache(maxsize=1)
def _converter():
    return opencc.OpenCC("hk2s")


@lru_cache(maxsize=4096)
def to_simplified(text):
    """`text` (Hong Kong Traditional Chinese) in Simplified script; conversions are cached."""
    if not text:
        return text or ""
    return _converter().convert(text)


def script_of(language=None):
    """'en', 'zh-hant' or 'zh-hans' for a Django language code (the active language when None)."""
    language = (language or get_language() or "en").lower()
    if language.startswith("zh"):
        if language in ("zh-hans", "zh-cn", "zh-sg", "zh-my") or language.startswith("zh-hans"):
            return SIMPLIFIED
        return TRADITIONAL
    return "en"


def local_text(english, chinese, language=None):
    """Of an English and a (Traditional) Chinese form of one name, the one the reader reads."""
    script = script_of(language)
    if script == "en" or not chinese:
        return english or chinese or ""
    return to_simplified(chinese) if script == SIMPLIFIED else chinese


def local_name(obj, field="name", language=None):
    """`obj.<field>_en` or `obj.<field>_zh` (converted to Simplified when so read).

    Works for any object with the two attributes: departments (and their former names), grades, ranks,
    officers, municipalities, host areas (`field="full_name"` for a zone's long name), host
    organisations, focus areas, programmes, and a Mainland officer's home body (`field="mainland_body"`)."""
    if obj is None:
        return ""
    return local_text(getattr(obj, f"{field}_en", ""), getattr(obj, f"{field}_zh", ""), language)


def person_name(person, language=None):
    """A person's English and Chinese names together ("CHAN Tai-man 陳大文"), the Chinese one in the
    reader's script (Simplified for zh-hans readers); English readers see both as entered."""
    if person is None:
        return ""
    chinese = person.name_zh or ""
    if chinese and script_of(language) == SIMPLIFIED:
        chinese = to_simplified(chinese)
    return " ".join(part for part in (person.name_en, chinese) if part)


def local_field(obj, field, language=None):
    """`obj.<field>` (English) or its optional Chinese form `obj.<field>_zh`, as the reader reads it: for
    fields written in English with a Chinese version beside them (a batch's name, a checklist item's
    title, a role at the host)."""
    if obj is None:
        return ""
    return local_text(getattr(obj, field, ""), getattr(obj, f"{field}_zh", ""), language)


def list_separator(language=None):
    """How a list of names is joined: "; " in English, the enumeration comma 、 in Chinese."""
    return "; " if script_of(language) == "en" else "、"


def join_local(names, language=None):
    """Names joined with the reader's list separator."""
    return list_separator(language).join(name for name in names if name)


def bracketed(text, language=None):
    """`text` in brackets to follow a word: " (…)" in English, full-width "（…）" in Chinese, which needs
    no space before it."""
    if not text:
        return ""
    return f" ({text})" if script_of(language) == "en" else f"（{text}）"


def user_name(user):
    """A user's name in the Hong Kong civil-service form, surname first in capitals ("CHAN Ka-ming", as
    officers' names are written), else the username. Reads the account only: no query."""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if last:
        return f"{last.upper()} {first}".strip()
    return first or user.get_username()


# A Han character next to a Latin letter or digit, in either order.
_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_LATIN = r"[A-Za-z0-9]"
_HAN_LATIN = re.compile(rf"(?<={_HAN})(?={_LATIN})|(?<={_LATIN})(?={_HAN})")


def spaced(text):
    """Chinese text with a space between Han characters and Latin letters or digits, as Chinese titles are
    typeset: 「深圳 2023-24 名冊」, not 「深圳2023-24名冊」."""
    if not text:
        return text or ""
    return _HAN_LATIN.sub(" ", text)

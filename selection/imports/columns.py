"""The columns of a nominations file, and how a header cell is recognised."""

import difflib
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the header the template writes
    label: object  # translated, for messages
    required: bool  # the header must be there and the cell filled
    aliases: tuple = ()
    help: object = ""


COLUMNS = [
    Column(
        "name_en",
        "English name",
        _("English name"),
        True,
        ("name (english)", "name", "英文姓名"),
        _("As on the staff record, e.g. CHAN Tai-man."),
    ),
    Column(
        "name_zh",
        "Chinese name",
        _("Chinese name"),
        False,
        ("name (chinese)", "中文姓名"),
        _("In Chinese characters; may be left empty."),
    ),
    Column(
        "email",
        "Official e-mail",
        _("Official e-mail"),
        True,
        ("email", "e-mail", "official email", "email address", "電郵", "電郵地址"),
        _("Identifies the officer: an existing officer with this address is updated, not duplicated."),
    ),
    Column(
        "post_title",
        "Post title",
        _("Post title"),
        True,
        ("post", "職位"),
        _("e.g. Senior Engineer (Roads) 2."),
    ),
    Column("rank", "Rank", _("Rank"), True, ("職級",), _("A rank of the grade, e.g. Senior Engineer.")),
    Column(
        "grade",
        "Grade",
        _("Grade"),
        True,
        ("職系",),
        _("English or Chinese name or abbreviation, e.g. Engineer, 工程師 or Engr."),
    ),
    Column(
        "department",
        "Home department",
        _("Home department"),
        True,
        ("home bureau or department", "department", "bureau or department", "所屬部門", "部門"),
        _("English or Chinese name or abbreviation, e.g. Highways Department, 路政署 or HyD."),
    ),
    Column(
        "host_organisation",
        "Host organisation",
        _("Host organisation"),
        False,
        ("host organization", "host", "接待單位"),
        _("Optional: a host organisation in the batch's city."),
    ),
    Column(
        "host_area",
        "Host area",
        _("Host area"),
        False,
        ("district or zone", "area", "接待地區"),
        _("Optional: one of the batch's districts or zones, e.g. Futian or 前海."),
    ),
    Column(
        "role",
        "Role at the host",
        _("Role at the host"),
        False,
        ("role", "崗位"),
        _("Optional, e.g. Special assistant to a deputy district head."),
    ),
    Column(
        "focus_areas",
        "Focus areas",
        _("Focus areas"),
        False,
        ("focus area", "交流範疇"),
        _("Optional: one or more, separated by ; or , e.g. Town planning; Transportation."),
    ),
    Column(
        "start_date",
        "Start date",
        _("Start date"),
        False,
        ("start", "開始日期"),
        _("Optional: YYYY-MM-DD or DD/MM/YYYY; the batch's start date when empty."),
    ),
    Column(
        "end_date",
        "End date",
        _("End date"),
        False,
        ("end", "結束日期"),
        _("Optional: YYYY-MM-DD or DD/MM/YYYY; the batch's end date when empty."),
    ),
]
BY_KEY = {c.key: c for c in COLUMNS}


def header_key(text):
    """How a header cell is compared: width-folded, case-folded, spaces and a trailing '*' ignored."""
    text = unicodedata.normalize("NFKC", str(text or "")).casefold().rstrip("*")
    return " ".join(text.split())


_HEADER_INDEX = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        _HEADER_INDEX[header_key(_name)] = _column


def column_for_header(text):
    return _HEADER_INDEX.get(header_key(text))


def suggest_header(text):
    """The template header closest to `text`, or None."""
    match = difflib.get_close_matches(header_key(text), list(_HEADER_INDEX), n=1, cutoff=0.6)
    return _HEADER_INDEX[match[0]].header if match else None

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
        "ranking",
        "Ranking",
        _("Ranking"),
        False,
        ("department's ranking", "department ranking", "rank order", "排名"),
        _(
            "Optional: the department's ranking among its nominees, 1 for its first choice; the next "
            "free one when empty."
        ),
    ),
    Column(
        "focus_areas",
        "Focus areas",
        _("Focus areas"),
        False,
        ("focus area", "preferred focus areas", "交流範疇", "重點範疇"),
        _(
            "Optional: the officer's preferred ones among the batch's, separated by ; or , e.g. Town "
            "planning; Transportation."
        ),
    ),
    Column(
        "host_organisation",
        "Host organisation",
        _("Host organisation"),
        False,
        ("host organization", "host", "proposed host organisation", "接待單位"),
        _("Optional: a host organisation in the batch's city the department proposes."),
    ),
    Column(
        "statement",
        "Why this officer",
        _("Why this officer"),
        False,
        ("statement", "why", "提名理由"),
        _("Optional: a short statement of why the department nominates this officer."),
    ),
    Column(
        "endorsed_by_name",
        "Endorsed by",
        _("Endorsed by"),
        True,
        ("endorser", "核准人"),
        _("Who endorsed the nomination, e.g. WONG Ka-ming."),
    ),
    Column(
        "endorsed_by_post",
        "Endorser's post",
        _("Endorser's post"),
        True,
        ("endorser post", "post of endorser", "核准人職位"),
        _("e.g. Director of Highways."),
    ),
    Column(
        "endorsed_on",
        "Endorsed on",
        _("Endorsed on"),
        True,
        ("endorsement date", "date endorsed", "核准日期"),
        _("YYYY-MM-DD or DD/MM/YYYY, not in the future."),
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

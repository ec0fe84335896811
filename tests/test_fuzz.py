"""No input answers 500 (issue 12): every URL pattern of the project, requested as every role, with
generated path ids, query strings (numbers at the edges, NUL, very long values, unknown keys) and form
posts. A 500 is an unhandled exception, which the test client raises, so the failing example shows the
traceback.

Two tests: a sweep that requests every pattern as every role once (so no pattern is skipped by chance),
and a hypothesis property over patterns, roles, ids, query strings and posts. The normal suite runs a
bounded number of examples (FUZZ_EXAMPLES, default 60); `make fuzz` runs many more."""

import os
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    BatchFactory,
    CalendarFeedFactory,
    ChecklistItemFactory,
    CoordinatorUserFactory,
    CsbStaffFactory,
    ExchangeReportFactory,
    NoticeFactory,
    OfficerFactory,
    ParticipantUserFactory,
    PlacementFactory,
    RosterExportFactory,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
ROLES = ["anonymous", "participant", "coordinator", "csb"]
# Requests that would end the session or change what the next examples can reach are left out: the
# sweep and the property would otherwise test the sign-in page only, after the first generated logout.
SKIPPED = {"accounts/logout/"}
_PLACEHOLDER = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _patterns(resolvers, prefix=""):
    """Every URL pattern as a route with {name} slots, and the kind of each slot (int, str, path...)."""
    for entry in resolvers:
        route = str(entry.pattern).lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            full = prefix + route
            kinds = {}

            def slot(match, kinds=kinds):
                if match.group(3):  # a regex group
                    kinds[match.group(3)] = "str"
                    return "{" + match.group(3) + "}"
                kinds[match.group(2)] = match.group(1) or "str"
                return "{" + match.group(2) + "}"

            template = _PLACEHOLDER.sub(slot, full)
            if full not in SKIPPED and "(?" not in template:
                yield template, kinds


PATTERNS = sorted({(t, tuple(sorted(k.items()))) for t, k in _patterns(get_resolver().url_patterns)})

EDGE_NUMBERS = [0, 1, -1, 2, 9999, 10000, 2**31 - 1, 2**31, 2**63 - 1, 2**63, 10**20, 99999999999]
NASTY_TEXT = [
    "\x00",
    "a\x00b",
    "%00",
    "x" * 5000,
    "1e400",
    "NaN",
    "-0",
    "٣",
    "１２",
    "'; DROP TABLE x; --",
    "<script>",
    "../../etc/passwd",
    "\r\nSet-Cookie: a=b",
    "😀",
    "",
    " ",
]
KNOWN_KEYS = [
    "year",
    "page",
    "status",
    "q",
    "o",
    "p",
    "e",
    "batch",
    "programme",
    "direction",
    "host_municipality",
    "format",
    "language",
    "next",
    "action",
    "fingerprint",
    "created_at__year",
    "created_at__month",
    "start_date__year",
    "status__exact",
    "batch__id__exact",
    "_changelist_filters",
    "all",
]

numbers = st.sampled_from(EDGE_NUMBERS) | st.integers(min_value=-(2**70), max_value=2**70)
texts = st.sampled_from(NASTY_TEXT) | st.text(max_size=40)
values = numbers.map(str) | texts
params = st.dictionaries(st.sampled_from(KNOWN_KEYS) | st.text(min_size=1, max_size=12), values, max_size=4)


@pytest.fixture
def world(db):
    """One of everything, and a client per role."""
    coordinator = CoordinatorUserFactory(username="fuzz-coordinator")
    batch = BatchFactory(coordinators=[coordinator])
    participant = ParticipantUserFactory(username="fuzz-participant")
    placement = PlacementFactory(batch=batch, officer=OfficerFactory(user=participant))
    ChecklistItemFactory(batch=batch)
    NoticeFactory(placement=placement)
    ExchangeReportFactory(placement=placement)
    RosterExportFactory(batch=batch)
    CalendarFeedFactory(user=participant)
    users = {
        "anonymous": None,
        "participant": participant,
        "coordinator": coordinator,
        "csb": CsbStaffFactory(username="fuzz-csb"),
    }
    return {"ids": sorted({batch.pk, placement.pk, placement.officer_id}), "users": users}


def _client(world, role):
    client = Client()
    if world["users"][role] is not None:
        client.force_login(world["users"][role])
    return client


def _path(template, kinds, chosen):
    return "/" + template.format(**{name: chosen[name] for name, _kind in kinds})


def _assert_no_500(client, method, path, data):
    response = getattr(client, method)(path, data)
    assert response.status_code < 500, f"{method.upper()} {path} {data!r} answered {response.status_code}"


@pytest.mark.django_db
def test_every_pattern_as_every_role_answers_without_a_500(world):
    for role in ROLES:
        client = _client(world, role)
        for template, kinds in PATTERNS:
            chosen = {name: str(world["ids"][0]) if kind in ("int", "path") else "1" for name, kind in kinds}
            _assert_no_500(client, "get", _path(template, kinds, chosen), {"page": "99999999999"})


@pytest.mark.django_db
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 60,  # the normal suite: the same examples every run
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_generated_requests_never_answer_500(world, data):
    template, kinds = data.draw(st.sampled_from(PATTERNS), label="pattern")
    role = data.draw(st.sampled_from(ROLES), label="role")
    chosen = {}
    for name, kind in kinds:
        if kind == "int":
            chosen[name] = str(data.draw(st.sampled_from(world["ids"]) | numbers.filter(lambda n: n >= 0)))
        else:
            chosen[name] = data.draw(
                texts.filter(lambda t: t and "/" not in t and "?" not in t and "#" not in t)
            )
    method = data.draw(st.sampled_from(["get", "post", "head"]), label="method")
    _assert_no_500(
        _client(world, role), method, _path(template, kinds, chosen), data.draw(params, label="data")
    )

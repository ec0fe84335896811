"""Sign-in lockout (django-axes), sign-in logs in the admin, idle sessions, no-store and CSP headers."""

import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from exchange_portal.middleware import SESSION_TOUCH_INTERVAL
from tests.factories import CsbStaffFactory, ParticipantUserFactory

LOGIN = "/accounts/login/"


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.fixture
def participant(db):
    user = ParticipantUserFactory(username="participant-x")
    user.set_password("the-right-password")
    user.save()
    return user


def test_repeated_failed_sign_ins_lock_the_account(client, participant, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "participant-x", "wrong").status_code == 200
    locked = sign_in(client, "participant-x", "wrong")
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.content.decode()
    # Even the right password is refused while locked.
    assert sign_in(client, "participant-x", "the-right-password").status_code == 429
    assert "_auth_user_id" not in client.session


def test_fewer_failures_than_the_limit_do_not_lock(client, participant, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "participant-x", "wrong")
    assert sign_in(client, "participant-x", "the-right-password").status_code == 302
    # A successful sign-in forgets the earlier failures.
    assert not AccessAttempt.objects.filter(username="participant-x").exists()


def test_the_admin_sign_in_is_protected_too(db, client, settings):
    CsbStaffFactory(username="staff-x")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "staff-x", "password": "wrong"})
    assert client.post("/admin/login/", {"username": "staff-x", "password": "wrong"}).status_code == 429


def test_sign_ins_and_failures_are_logged(client, participant):
    sign_in(client, "participant-x", "wrong")
    sign_in(client, "participant-x", "the-right-password")
    assert AccessFailureLog.objects.filter(username="participant-x").count() == 1
    assert AccessLog.objects.filter(username="participant-x").count() == 1


def test_csb_staff_see_lockouts_and_sign_ins_in_the_admin(csb_client, participant, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "participant-x", "wrong")
    for path in ("/admin/axes/accessattempt/", "/admin/axes/accessfailurelog/", "/admin/axes/accesslog/"):
        response = csb_client.get(path)
        assert response.status_code == 200, path
    assert "Locked out" in csb_client.get("/admin/axes/accessattempt/").content.decode()


def test_csb_staff_reset_a_lockout_by_deleting_the_attempt(csb_client, participant, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "participant-x", "wrong")
    attempt = AccessAttempt.objects.get(username="participant-x")
    response = csb_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert sign_in(client, "participant-x", "the-right-password").status_code == 302


def test_coordinators_and_participants_cannot_see_sign_in_logs(coordinator_client):
    assert coordinator_client.get("/admin/axes/accesslog/").status_code == 302  # to the admin sign-in


def test_sign_in_log_changelists_query_count(csb_client, participant, django_assert_num_queries):
    visitor = Client()
    for n in range(4):
        sign_in(visitor, f"someone-{n}", "wrong")
        sign_in(visitor, "participant-x", "the-right-password")
        visitor.post("/accounts/logout/")
    # session, user, user permissions, group permissions (a first view: then cached), count, rows, the
    # date hierarchy's first/last and days (exchange_portal/admin.py). 9 before issue 18, with a second
    # count for "(N total)" (core.admin.QuickChangelistMixin).
    with django_assert_num_queries(8):
        assert csb_client.get("/admin/axes/accesslog/").status_code == 200
    # the same less the permissions, now cached (its locked-out filter is a yes/no that needs no query),
    # and for the lockouts
    for path in ("/admin/axes/accessfailurelog/", "/admin/axes/accessattempt/"):
        # ... and the user with their profiles, cached since the first request (participants.backends)
        with django_assert_num_queries(5):
            assert csb_client.get(path).status_code == 200


def test_signed_in_pages_are_not_stored(csb_client):
    for path in ("/robots.txt", "/admin/", "/admin/participants/officer/"):
        cache_control = csb_client.get(path)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, path


def test_anonymous_public_pages_may_be_cached(client):
    assert "Cache-Control" not in client.get("/robots.txt")


def test_the_session_ends_after_inactivity(client, participant, settings):
    sign_in(client, "participant-x", "the-right-password")
    session = Session.objects.get()
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs(session.expire_date - expected) < timedelta(seconds=30)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/admin/participants/officer/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_activity_moves_the_expiry_forward_at_most_once_a_minute(client, participant):
    sign_in(client, "participant-x", "the-right-password")
    soon = timezone.now() + timedelta(minutes=2)
    Session.objects.update(expire_date=soon)
    client.get("/robots.txt")  # touched at sign-in less than a minute ago: no write
    assert Session.objects.get().expire_date == soon
    session = client.session
    session["_last_activity"] = int(time.time()) - SESSION_TOUCH_INTERVAL
    session.save()
    client.get("/robots.txt")
    assert Session.objects.get().expire_date > soon + timedelta(minutes=10)


def test_the_content_security_policy_forbids_inline_script_and_style(client):
    policy = client.get(LOGIN)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in policy


TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE)


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_templates_have_no_inline_script_or_style(template):
    assert not INLINE.findall(template.read_text()), "the Content-Security-Policy would block it"

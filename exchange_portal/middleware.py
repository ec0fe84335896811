"""Small middleware for the hardened deployment (docs/deployment.md)."""

import time

from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils.cache import patch_cache_control
from django.views.defaults import bad_request

# How often an active session's expiry is moved forward. Each move is one database write, so doing it
# on every request (SESSION_SAVE_EVERY_REQUEST) would add a write to every page view.
SESSION_TOUCH_INTERVAL = 60
_LAST_ACTIVITY = "_last_activity"


def _is_authenticated(request):
    # `request.user` is lazy; it is already loaded whenever a view or template looked at it.
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


class NoStoreForAuthenticatedMiddleware:
    """Pages for a signed-in user hold personal data: tell browsers and proxies never to store them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _is_authenticated(request):
            patch_cache_control(response, no_store=True, private=True)
        return response


def start_idle_timer(sender, request, user, **kwargs):
    """On sign-in (the user_logged_in signal): the session is being saved anyway, so record the activity
    now and spare the next request a session write."""
    if request is not None and hasattr(request, "session"):
        request.session[_LAST_ACTIVITY] = int(time.time())


class SessionIdleTimeoutMiddleware:
    """Sessions end SESSION_COOKIE_AGE seconds after the last request rather than after sign-in: while
    the user is active, the session is saved again (moving its expiry forward) at most once a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and _is_authenticated(request):
            now = int(time.time())
            if now - session.get(_LAST_ACTIVITY, 0) >= SESSION_TOUCH_INTERVAL:
                session[_LAST_ACTIVITY] = now
        return response


def client_ip(request):
    """The client's address for sign-in logs and lockouts: the header the reverse proxy sets
    (CLIENT_IP_HEADER, e.g. HTTP_X_REAL_IP) when one is configured, else the connection's address."""
    if settings.CLIENT_IP_HEADER and (address := request.META.get(settings.CLIENT_IP_HEADER, "").strip()):
        return address
    return request.META.get("REMOTE_ADDR", "")


class SecurityHeadersMiddleware:
    """Outermost, so that every answer carries it, the 400 for a bad Host header included: the
    Permissions-Policy header (settings.PERMISSIONS_POLICY), and no header naming the server software."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.pop("Server", None)
        return response


def _has_nul(text):
    return "\x00" in text


class RefuseNulMiddleware:
    """A NUL byte is never input: in the path, the query string or a posted form's names and values, it
    answers 400 before any view, database or log sees it. Django already drops control characters from
    uploaded file names; the contents of uploaded files are judged by whoever reads them (the nominations
    import refuses control characters with a message)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            return bad_request(request, BadRequest("NUL byte in the request"))
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request):
        if _has_nul(request.path_info) or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        for key, values in request.GET.lists():
            if _has_nul(key) or any(_has_nul(v) for v in values):
                return True
        if request.method in ("POST", "PUT", "PATCH") and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            for key, values in request.POST.lists():
                if _has_nul(key) or any(_has_nul(v) for v in values):
                    return True
        return False

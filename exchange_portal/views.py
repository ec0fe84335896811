import logging
import sys

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from selection.glossary import CONSENT, GLOSSARY, KIND_TITLES, NOMINATION, PLACEMENT

logger = logging.getLogger(__name__)


@login_required
def home_view(request):
    """Send each user to where their work is: participants to their placement, coordinators to their
    batches, departments' nominating officers to their calls for nominations, host coordinators to the
    officers proposed to them, CSB staff to the admin."""
    user = request.user
    if hasattr(user, "officer"):
        return redirect("portal:my_placement")
    if hasattr(user, "nominating_officer"):
        return redirect("nominating:call_list")
    if user.coordinated_batches.exists():
        return redirect("coordination:batch_list")
    if user.is_staff:
        return redirect("admin:index")
    if hasattr(user, "host_coordinator"):
        return redirect("hosting:placement_list")
    return render(request, "home.html")


@login_required
def statuses_view(request):
    """The glossary of the selection's statuses (nominations, the officer's consent, placements) that
    every status badge links to; the same for every role."""
    sections = [
        (kind, KIND_TITLES[kind], [(value, label, text) for value, (label, text) in GLOSSARY[kind].items()])
        for kind in (NOMINATION, CONSENT, PLACEMENT)
    ]
    return render(request, "statuses.html", {"sections": sections})


@never_cache
@require_safe
def healthz_view(request):
    """For load balancers and monitoring: 200 when the database answers, 503 when it does not. It reads
    no session and no user, so it costs one `SELECT 1`. HEAD is answered too (the same status, no body),
    as some load balancers probe with it."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: the database is unreachable.", exc_info=True)
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
def robots_txt_view(request):
    """Keep the portal out of search engines. Being the cheapest page of all (no database, no template),
    it is also the load test's measure of the stack's ceiling."""
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")


def server_error_view(request):
    """The 500 handler. A database that is down or restarting is a temporary outage, not a bug: answer
    503 with a page that asks to try again shortly. Neither page uses the request or the database."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "10"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())

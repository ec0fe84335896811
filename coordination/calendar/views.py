from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from placements.models import CalendarFeed
from placements.services import calendar_feed_renew, calendar_feed_revoke

from .ical import calendar_ical
from .selectors import calendar_events, calendar_feed_get


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings_view(request):
    """The user's feed address: create it, replace it (the old one stops working) or revoke it."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "renew":
            calendar_feed_renew(user=request.user, language=translation.get_language())
            messages.success(
                request, _("Your calendar address is ready. Any earlier address no longer works.")
            )
        elif action == "revoke" and calendar_feed_revoke(user=request.user):
            messages.success(request, _("Your calendar address is revoked: calendars using it get nothing."))
        return redirect("calendar:settings")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = request.build_absolute_uri(reverse("calendar:feed", args=[feed.token])) if feed else None
    return render(request, "coordination/calendar_feed.html", {"feed": feed, "feed_url": feed_url})


@require_GET
def calendar_feed_view(request, token):
    """The iCalendar file behind a secret address; no sign-in (calendar apps cannot), unknown: 404."""
    try:
        feed = calendar_feed_get(token=token)
    except CalendarFeed.DoesNotExist:
        raise Http404 from None
    if not feed.user.is_active:
        raise Http404
    with translation.override(feed.language):
        body = calendar_ical(
            prodid="-//Civil Service Bureau//Exchange Portal//EN",
            name=_("Exchange Portal"),
            events=calendar_events(user=feed.user),
            now=timezone.now(),
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="exchange-portal.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response

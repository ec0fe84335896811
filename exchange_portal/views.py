from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse


def _first_url(*names):
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


@login_required
def home(request):
    """Send each user to where their work is: participants to their placement, coordinators to their
    batches, CSB staff to the admin."""
    user = request.user
    if hasattr(user, "officer") and (url := _first_url("placements:my_placement")):
        return redirect(url)
    if user.coordinated_batches.exists() and (url := _first_url("placements:batch_list")):
        return redirect(url)
    if user.is_staff:
        return redirect("admin:index")
    return render(request, "home.html")

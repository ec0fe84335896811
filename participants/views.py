from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .forms import MyDetailsForm
from .selectors import officer_for_user, officer_recent_changes
from .services import OFFICER_DETAILS_FIELDS, officer_update_details


@login_required
def my_details(request):
    """The participant's own details: mobile, emergency contact, dietary or access needs."""
    officer = get_object_or_404(officer_for_user(user=request.user))
    form = MyDetailsForm(request.POST or None, instance=officer)
    if request.method == "POST" and form.is_valid():
        try:
            officer_update_details(officer=officer, data=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your details are saved."))
            return redirect("participants:my_details")
    if request.method == "POST":
        officer.refresh_from_db()
    changes = officer_recent_changes(officer=officer, fields=OFFICER_DETAILS_FIELDS)
    return render(
        request, "participants/officer_form.html", {"officer": officer, "form": form, "changes": changes}
    )

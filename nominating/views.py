"""The departments' nominating officers' pages: the calls inviting their departments, each call with its
notes and the quota used, nominating (an officer of the department or a new one), editing and
withdrawing a nomination, and each nominee's status. Thin views: the nominator's profile (403 without
one), scoping by selector (another department's call or nomination is not found: 404), form, service,
redirect."""

from functools import partial, wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from placements.figures import figures_cached
from selection.models import Call, Nomination
from selection.selectors.nominating import (
    call_get_for_nominator,
    call_list_for_nominator,
    call_related_for_nominator,
    nomination_get_for_nominator,
    nomination_list_for_nominator,
    nominator_for_user,
    officer_choices_for_nominator,
)
from selection.services.calls import call_accepts_nominations

# Until the CSB side's call_accepts_nominations is merged (the same rule): open, between its dates.
from selection.services.nominations import (
    UNDECIDED,
    nomination_create,
    nomination_create_with_officer,
    nomination_update,
    nomination_withdraw,
)

from .forms import NominationEditForm, NominationForm

CALLS_PER_PAGE = 25
NOMINEE_COLUMNS = (
    "call_id",
    "status",
    "consent",
    "department_ranking",
    "department__abbreviation",
    "officer__name_en",
    "officer__name_zh",
    "officer__rank__name_en",
    "officer__rank__name_zh",
)
FIELDS = ("department_ranking", "endorsed_by_name", "endorsed_by_post", "endorsed_on", "statement")


def nominator_required(view):
    """Signed in with a nominating officer profile (403 otherwise); the view gets it as `nominator`."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        nominator = nominator_for_user(user=request.user)
        if nominator is None:
            raise PermissionDenied
        return view(request, nominator, *args, **kwargs)

    return wrapper


def _call_or_404(nominator, pk):
    try:
        return call_get_for_nominator(nominator=nominator, pk=pk)
    except Call.DoesNotExist:
        raise Http404 from None


def _nomination_or_404(nominator, pk):
    try:
        return nomination_get_for_nominator(nominator=nominator, pk=pk)
    except Nomination.DoesNotExist:
        raise Http404 from None


def _quota_rows(call):
    """Per invited department of the nominator: quota, used, left."""
    return [{"invitation": i, "used": i.used, "left": max(0, i.quota - i.used)} for i in call.my_invitations]


@nominator_required
def call_list_view(request, nominator):
    """/nominations/: the calls inviting the nominator's departments, the latest first."""
    page = Paginator(call_list_for_nominator(nominator=nominator), CALLS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    calls = list(page.object_list)
    for call in calls:
        call.accepting = call_accepts_nominations(call)
        call.quota_rows = _quota_rows(call)
    return render(
        request,
        "nominating/call_list.html",
        {"nominator": nominator, "calls": calls, "page_obj": page, "today": timezone.localdate()},
    )


@nominator_required
def call_detail_view(request, nominator, pk):
    """One call: its notes and eligibility, the quota used per department, and the department's nominees.

    The page's content is rendered once per reader (user pk and departments), call, language and day
    under the figures version, which every save and delete of a call, an invitation or a nomination, a
    change of a call's eligible grades and ranks or of a nomination's focus areas (selection.apps), and
    every write to the batches, officers, ranks, grades, departments and focus areas it names bump.
    Whether the reader may see the call is checked before, on every request (another department's call
    is not found); a hit reads nothing else."""
    try:
        call = call_get_for_nominator(nominator=nominator, pk=pk, related=False)
    except Call.DoesNotExist:
        raise Http404 from None
    departments = ",".join(str(d.pk) for d in nominator.departments.all())
    key = f"nominator-call:{request.user.pk}:{departments}:{call.pk}:{get_language()}:{timezone.localdate()}"

    def content():
        call_related_for_nominator(nominator=nominator, call=call)
        nominations = list(
            nomination_list_for_nominator(nominator=nominator, call=call)
            # Only what the table shows (the officer's names and rank, the department, the ranking, focus
            # areas, consent and status), not every column of the nomination, officer, call and batch.
            .select_related(None)
            .select_related("officer__rank", "department")
            .only(*NOMINEE_COLUMNS)
            .order_by("department__abbreviation", "department_ranking", "pk")
        )
        quota_rows = _quota_rows(call)
        context = {
            "nominator": nominator,
            "call": call,
            "accepting": call_accepts_nominations(call),
            "today": timezone.localdate(),
            "quota_rows": quota_rows,
            "can_nominate": any(row["left"] for row in quota_rows),
            "nominations": [n for n in nominations if n.status != Nomination.Status.WITHDRAWN],
            "withdrawn": [n for n in nominations if n.status == Nomination.Status.WITHDRAWN],
        }
        return render_to_string("nominating/call_detail_content.html", context, request=request)

    return render(
        request,
        "nominating/call_detail.html",
        {"nominator": nominator, "call": call, "content": mark_safe(figures_cached(key, content))},
    )


@nominator_required
def nomination_create_view(request, nominator, pk):
    """Nominate an officer of one of the nominator's invited departments, or add a new officer."""
    call = _call_or_404(nominator, pk)
    if not call_accepts_nominations(call):
        messages.error(request, _("This call does not take nominations now."))
        return redirect("nominating:call_detail", pk=call.pk)
    if not any(row["left"] for row in _quota_rows(call)):
        messages.info(
            request, _("Your department has used its quota. Withdraw a nomination to nominate someone else.")
        )
        return redirect("nominating:call_detail", pk=call.pk)
    departments = [invitation.department for invitation in call.my_invitations]  # by abbreviation
    officers = officer_choices_for_nominator(nominator=nominator, department_ids=[d.pk for d in departments])
    form = NominationForm(request.POST or None, call=call, departments=departments, officers=officers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in FIELDS} | {"focus_areas": data["focus_areas"]}
        new_officer = form.new_officer()
        try:
            if new_officer is None:
                nomination = nomination_create(
                    call=call,
                    officer=data["officer"],
                    department=data["department"],
                    actor=request.user,
                    **fields,
                )
            else:
                nomination = nomination_create_with_officer(
                    new_officer=new_officer,
                    call=call,
                    department=data["department"],
                    actor=request.user,
                    **fields,
                )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("%(officer)s is nominated. They have been asked to confirm their consent.")
                % {"officer": nomination.officer.name_en},
            )
            return redirect("nominating:nomination_detail", pk=nomination.pk)
    used = {row["invitation"].department_id: row for row in _quota_rows(call)}
    fields = lambda: render_to_string(  # noqa: E731
        "nominating/nomination_form_fields.html", {"form": form}, request=request
    )
    if not form.is_bound:
        # The empty form (its pickers of the departments' officers and of ranks: most of the page) is the
        # same for anyone nominating for these departments to this call: rendered once per departments,
        # call, language and day under the figures version, which every save of an officer, rank, grade,
        # department or focus area, a batch's focus areas and the nominations import's apply bump. Whether
        # the reader may nominate for the call is checked above, on every request.
        key = "nominate-form:{}:{}:{}:{}".format(
            call.pk, ",".join(str(d.pk) for d in departments), get_language(), timezone.localdate()
        )
        fields = partial(figures_cached, key, fields)
    return render(
        request,
        "nominating/nomination_form.html",
        {
            "nominator": nominator,
            "call": call,
            "form": form,
            "form_fields": fields(),
            "quota_rows": used.values(),
        },
    )


@nominator_required
def nomination_detail_view(request, nominator, pk):
    """One nominee: the nomination, the officer's consent and CSB's decision."""
    nomination = _nomination_or_404(nominator, pk)
    return render(
        request,
        "nominating/nomination_detail.html",
        {"nominator": nominator, "nomination": nomination, **_changeable(nomination)},
    )


def _changeable(nomination):
    open_call = call_accepts_nominations(nomination.call)
    undecided = nomination.status in UNDECIDED
    return {"accepting": open_call, "can_change": open_call and undecided}


@nominator_required
def nomination_update_view(request, nominator, pk):
    nomination = _nomination_or_404(nominator, pk)
    if not _changeable(nomination)["can_change"]:
        messages.error(request, _("This nomination can no longer be changed."))
        return redirect("nominating:nomination_detail", pk=nomination.pk)
    form = NominationEditForm(request.POST or None, instance=nomination, call=nomination.call)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination_update(
                nomination=nomination,
                actor=request.user,
                focus_areas=data["focus_areas"],
                **{name: data[name] for name in FIELDS},
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The nomination is saved."))
            return redirect("nominating:nomination_detail", pk=nomination.pk)
    return render(
        request,
        "nominating/nomination_edit.html",
        {"nominator": nominator, "nomination": nomination, "form": form},
    )


@nominator_required
def nomination_withdraw_view(request, nominator, pk):
    """GET asks to confirm, POST withdraws."""
    nomination = _nomination_or_404(nominator, pk)
    if request.method == "POST":
        try:
            nomination_withdraw(nomination=nomination, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("nominating:nomination_detail", pk=nomination.pk)
        messages.success(
            request,
            _("The nomination of %(officer)s is withdrawn.") % {"officer": nomination.officer.name_en},
        )
        return redirect("nominating:call_detail", pk=nomination.call_id)
    if not _changeable(nomination)["can_change"]:
        messages.error(request, _("This nomination can no longer be withdrawn."))
        return redirect("nominating:nomination_detail", pk=nomination.pk)
    return render(
        request, "nominating/nomination_withdraw.html", {"nominator": nominator, "nomination": nomination}
    )

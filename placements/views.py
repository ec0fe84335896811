"""Pages of the placements app. Thin views: permission, selector (scoped, so another's batch is a 404),
then a template or an export."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from .exports import EXPORTERS
from .exports.http import export_response, print_response
from .filters import BatchFilter
from .models import Batch
from .selectors import batch_get, batch_list, batch_placements_by_area, batch_totals, placement_progress

BATCHES_PER_PAGE = 20
PLACEMENTS_PER_PAGE = 100


def _visible_batch(request, pk):
    try:
        return batch_get(user=request.user, pk=pk)
    except Batch.DoesNotExist:
        raise Http404 from None


def _include_withdrawn(request):
    return request.GET.get("withdrawn") != "exclude"


@login_required
@permission_required("placements.view_batch", raise_exception=True)
def batch_list_view(request):
    """The batches the user may see (coordinators: theirs; CSB staff: all), filtered and paginated."""
    filterset = BatchFilter(request.GET or None, queryset=batch_list(user=request.user))
    page = Paginator(filterset.qs, BATCHES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "placements/batch_list.html",
        {"filter": filterset, "page_obj": page, "batches": page.object_list, "query": query.urlencode()},
    )


@login_required
@permission_required("placements.view_batch", raise_exception=True)
def batch_detail_view(request, pk):
    """A batch: dates, status, host areas and focus areas, totals, and its participants by host area."""
    batch = _visible_batch(request, pk)
    page = Paginator(batch_placements_by_area(batch=batch), PLACEMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    placements = list(page.object_list)
    progress = placement_progress(batch=batch, placements=placements)
    for placement in placements:
        placement.progress = progress[placement.pk]
    return render(
        request,
        "placements/batch_detail.html",
        {
            "batch": batch,
            "host_areas": batch.host_areas.all(),
            "focus_areas": batch.focus_areas.all(),
            "totals": batch_totals(batch=batch),
            "page_obj": page,
            "placements": placements,
        },
    )


@login_required
@permission_required("placements.export_roster", raise_exception=True)
def batch_roster_export_view(request, pk, extension):
    """The roster as CSV (streamed) or Excel; withdrawn participants last, or left out with
    ?withdrawn=exclude. Logged in RosterExport."""
    batch = _visible_batch(request, pk)
    exporter = EXPORTERS["roster"](batch, include_withdrawn=_include_withdrawn(request))
    return export_response(exporter, extension=extension, user=request.user, via="web")


@login_required
@permission_required("placements.export_roster", raise_exception=True)
def batch_roster_print_view(request, pk):
    """The roster as a page that prints on A4 landscape with the batch heading on every page."""
    batch = _visible_batch(request, pk)
    include_withdrawn = _include_withdrawn(request)
    exporter = EXPORTERS["roster"](batch, include_withdrawn=include_withdrawn)
    return print_response(
        exporter,
        request=request,
        template="placements/batch_roster_print.html",
        context={"batch": batch, "include_withdrawn": include_withdrawn},
        user=request.user,
        via="web",
    )

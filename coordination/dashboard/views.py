from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.names import local_text
from placements.models import Batch
from selection.selectors.pipeline import running_calls_pipeline

from . import charts
from .forms import DashboardFilterForm
from .selectors import FIRST_YEAR, completion_of_running_batches, dashboard_figures


def _then_and_now(row, language):
    """A department as named at the time, with its current name beside a former one: "Office of the
    Government Chief Information Officer (now Digital Policy Office)" in the table and the bar's tooltip,
    "OGCIO (now DPO)" on the bar itself (whose label has room for some 27 letters), in the reader's
    language."""
    now = row["now"]
    if now is None:
        return row
    then_name = local_text(row["name_en"], row["name_zh"], language)
    label = _("%(then)s (now %(now)s)") % {
        "then": then_name,
        "now": local_text(now.name_en, now.name_zh, language),
    }
    short = _("%(then)s (now %(now)s)") % {"then": row["abbreviation"], "now": now.abbreviation}
    return {**row, "name_en": label, "name_zh": label, "short": short}


@login_required
@permission_required("placements.view_batch", raise_exception=True)
def dashboard_view(request):
    """The programme at a glance for CSB staff (everything) and coordinators (their batches)."""
    form = DashboardFilterForm(request.GET or None)
    filters = form.filters()
    figures = dashboard_figures(user=request.user, filters=filters)
    language = get_language()
    today = timezone.localdate()
    years_in_data = [row["year"] for row in figures.per_year]
    first_year = filters.year_from or min([FIRST_YEAR, *years_in_data])
    last_year = filters.year_to or max([today.year, *years_in_data])
    series = [
        (Batch.Direction.OUTBOUND, "chart-outbound", _("Outbound")),
        (Batch.Direction.INBOUND, "chart-inbound", _("Inbound")),
    ]
    if filters.direction:
        series = [s for s in series if s[0] == filters.direction]
    other = _("Others")
    per_year = charts.year_columns(
        figures.per_year, series=series, first_year=first_year, last_year=last_year
    )
    context = {
        "form": form,
        "filtered": form.is_bound and form.is_valid() and any(vars(filters).values()),
        "totals": {
            "all": sum(figures.totals.values()),
            "outbound": figures.totals.get(Batch.Direction.OUTBOUND, 0),
            "inbound": figures.totals.get(Batch.Direction.INBOUND, 0),
        },
        "first_year": first_year,
        "last_year": last_year,
        "per_year": per_year,
        "departments": charts.horizontal_bars(
            [_then_and_now(row, language) for row in figures.departments],
            language=language,
            other_label=other,
        ),
        "grades": charts.horizontal_bars(figures.grades, language=language, other_label=other),
        "municipalities": charts.horizontal_bars(
            figures.municipalities, language=language, other_label=other
        ),
        "areas": charts.horizontal_bars(
            figures.areas,
            language=language,
            other_label=other,
            describe=lambda row, label: (
                f"{label} · " + local_text(row["municipality_en"], row["municipality_zh"], language)
            ),
        ),
        "focus_areas": charts.horizontal_bars(figures.focus_areas, language=language, other_label=other),
        "timeline": charts.batch_timeline(
            figures.current_batches,
            language=language,
            today=today,
            label_of=lambda batch: (
                f"{batch.programme.short_name} {batch.number} · "
                + local_text(batch.host_municipality.name_en, batch.host_municipality.name_zh, language)
            ),
        ),
        "current_batches": figures.current_batches,
        "completion": completion_of_running_batches(user=request.user, filters=filters),
        "running_calls": running_calls_pipeline(user=request.user),
        "today": today,
    }
    return render(request, "coordination/dashboard/dashboard.html", context)

"""Chart geometry for the dashboard's server-drawn SVG: numbers in, positions out. The templates in
templates/coordination/dashboard/ draw them; colours and fonts are CSS classes in static/css/portal.css
(no inline styles), so the charts follow the page's language, print, and need no JavaScript."""

import datetime
import math
from dataclasses import dataclass, field

from core.names import local_text

WIDTH = 880  # the full-width charts; the category charts sit two to a row, so they are narrower
BAR_WIDTH = 560


def nice_ticks(maximum, count=5):
    """Round tick values from 0 to at least `maximum` (1, 2 or 5 times a power of ten apart)."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(1, int(step))
    return list(range(0, int(math.ceil(maximum / step)) * step + 1, step))


def _width(ch):
    # A Chinese character takes about twice the room of a Latin letter.
    return 2 if ord(ch) > 0x2E80 else 1


def shorten(text, limit):
    """`text` cut to `limit` Latin-letter widths with an ellipsis (the full text stays in the <title>)."""
    if sum(_width(ch) for ch in text) <= limit:
        return text
    kept, used = [], 1
    for ch in text:
        used += _width(ch)
        if used > limit:
            break
        kept.append(ch)
    return "".join(kept).rstrip() + "…"


# --- participants per year and direction: stacked columns ---------------------------------------------


@dataclass
class Segment:
    y: float
    height: float
    value: int
    css: str
    series: str


@dataclass
class Column:
    x: float
    width: float
    label: str
    show_label: bool
    total: int
    values: list = field(default_factory=list)  # one per series, zeros included (for the table)
    segments: list = field(default_factory=list)

    @property
    def center(self):
        return round(self.x + self.width / 2, 1)


@dataclass
class ColumnChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    baseline: float
    columns: list
    ticks: list  # [(y, value)]
    series: list  # [(css, label)]
    maximum: int


def year_columns(per_year, *, series, first_year, last_year, height=280):
    """Stacked columns, one per year from `first_year` to `last_year`; `series` is [(key, css, label)]
    in stacking order and `per_year` rows {"year", "direction", "count"}."""
    counts = {(row["year"], row["direction"]): row["count"] for row in per_year}
    years = list(range(first_year, last_year + 1))
    totals = [sum(counts.get((year, key), 0) for key, _, _ in series) for year in years]
    ticks = nice_ticks(max(totals, default=0))
    top, bottom, left, right = 12, 34, 44, WIDTH - 8
    plot_height = height - top - bottom
    scale = plot_height / ticks[-1]
    slot = (right - left) / max(len(years), 1)
    label_every = 1 if len(years) <= 14 else 2
    columns = []
    for i, year in enumerate(years):
        x = left + i * slot + slot * 0.15
        column = Column(
            x=round(x, 1),
            width=round(slot * 0.7, 1),
            label=str(year),
            show_label=(year - first_year) % label_every == 0,
            total=totals[i],
        )
        y = top + plot_height
        for key, css, label in series:
            value = counts.get((year, key), 0)
            column.values.append(value)
            if value:
                h = value * scale
                y -= h
                column.segments.append(Segment(round(y, 1), round(h, 1), value, css, label))
        columns.append(column)
    return ColumnChart(
        width=WIDTH,
        height=height,
        plot_left=left,
        plot_right=right,
        baseline=top + plot_height,
        columns=columns,
        ticks=[(round(top + plot_height - t * scale, 1), t) for t in ticks],
        series=[(css, label) for _, css, label in series],
        maximum=max(totals, default=0),
    )


# --- categories: horizontal bars ----------------------------------------------------------------------


@dataclass
class Bar:
    y: float
    width: float
    label: str
    full_label: str
    value: int


@dataclass
class BarChart:
    width: int
    height: int
    label_right: int
    bar_left: int
    bar_height: int
    bars: list

    @property
    def text_dy(self):
        return self.bar_height / 2 + 5

    @property
    def maximum(self):
        """The largest bar's value: the top of the phone list's <meter> scale."""
        return max((bar.value for bar in self.bars), default=0) or 1

    others: int
    total: int


def horizontal_bars(rows, *, language, limit=12, other_label="", row_height=26, describe=None):
    """Bars for {"name_en", "name_zh", "count"} rows, largest first; past `limit` rows the rest are added
    up into one "other" bar. `describe(row)` may give a fuller label (e.g. the area's municipality); a row's
    "short" the label on the bar when the name is too long to say what matters in it."""
    shown, rest = rows[:limit], rows[limit:]
    items = []
    for row in shown:
        full = local_text(row["name_en"], row["name_zh"], language)
        label = row.get("short") or full
        items.append((label, describe(row, full) if describe else full, row["count"]))
    others = sum(row["count"] for row in rest)
    if others:
        items.append((other_label, other_label, others))
    label_right, bar_left, value_room = 200, 210, 44
    maximum = max((value for _, _, value in items), default=0) or 1
    scale = (BAR_WIDTH - bar_left - value_room) / maximum
    bars = [
        Bar(
            y=6 + i * row_height,
            width=round(max(value * scale, 2), 1),
            label=shorten(label, 27),
            full_label=full,
            value=value,
        )
        for i, (label, full, value) in enumerate(items)
    ]
    return BarChart(
        width=BAR_WIDTH,
        height=12 + len(bars) * row_height,
        label_right=label_right,
        bar_left=bar_left,
        bar_height=row_height - 8,
        bars=bars,
        others=others,
        total=sum(value for _, _, value in items),
    )


# --- current batches: a timeline ----------------------------------------------------------------------


@dataclass
class Lane:
    y: float
    x: float
    width: float
    label: str
    full_label: str
    css: str
    batch: object


@dataclass
class Timeline:
    width: int
    height: int
    plot_left: int
    plot_right: int
    lanes: list
    ticks: list  # [(x, label)]
    today_x: float | None
    lane_height: int

    @property
    def text_dy(self):
        return self.lane_height / 2 + 5


def batch_timeline(batches, *, language, today, label_of, row_height=30):
    """A lane per batch from its start to its end date, month ticks, and a line at `today`."""
    if not batches:
        return None
    start = min(b.start_date for b in batches).replace(day=1)
    end = max(b.end_date for b in batches)
    end = (end.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    left, right, top = 230, WIDTH - 12, 24
    days = max((end - start).days, 1)

    def x_of(day):
        return round(left + (day - start).days / days * (right - left), 1)

    months = []
    day = start
    while day <= end:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    every = max(1, math.ceil(len(months) / 12))
    ticks = [
        (x_of(m), _month_label(m, language))
        for i, m in enumerate(months)
        if i % every == 0 and x_of(m) < right - 50  # a label needs room before the right edge
    ]
    lanes = []
    for i, batch in enumerate(batches):
        label = label_of(batch)
        lanes.append(
            Lane(
                y=top + i * row_height,
                x=x_of(batch.start_date),
                width=max(x_of(batch.end_date) - x_of(batch.start_date), 3),
                label=shorten(label, 27),
                full_label=label,
                css=f"chart-status-{batch.status.replace('_', '-')}",
                batch=batch,
            )
        )
    return Timeline(
        width=WIDTH,
        height=top + len(batches) * row_height + 8,
        plot_left=left,
        plot_right=right,
        lanes=lanes,
        ticks=ticks,
        today_x=x_of(today) if start <= today <= end else None,
        lane_height=row_height - 10,
    )


def _month_label(day, language):
    if (language or "en").startswith("zh"):
        return f"{day.year}年{day.month}月"
    return day.strftime("%b %Y")

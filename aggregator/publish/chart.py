"""Stories per week as an SVG bar chart, drawn on the server (no script, no plugin):
one chart for a list, and one row of bars per source on the same time axis."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from xml.sax.saxutils import escape, quoteattr

__all__ = ["weeks_between", "bar_chart", "source_rows_chart", "MAX_BARS"]

# Beyond this many weeks (three years) bars would be under 2 px wide in the 1,000 px
# wide chart, so longer ranges are drawn per month.
MAX_BARS = 156
WIDTH, HEIGHT = 1000, 170
LEFT, BOTTOM, TOP = 44, 26, 12
# Inside the SVG, so the chart looks the same inline and opened on its own.
STYLE = ("<style>.bar{fill:#3b6ea8}.bar:hover{fill:#e07b00}.axis{stroke:#888;stroke-width:1}"
         ".tick,.label,.ymax,.empty{font:13px sans-serif;fill:#444}.ymax{text-anchor:end}"
         ".end{text-anchor:end}</style>")


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def weeks_between(first: date, last: date) -> list[date]:
    out, d = [], _monday(first)
    while d <= last:
        out.append(d)
        d += timedelta(days=7)
    return out


def _bins(counts: dict[str, int]) -> tuple[list[tuple[date, date, int]], str]:
    """(start, end, count) for every week (or month) from the first to the last, zeros
    included; and the unit."""
    days = sorted(date.fromisoformat(w) for w in counts if w)
    if not days:
        return [], "week"
    weeks = weeks_between(days[0], days[-1])
    if len(weeks) <= MAX_BARS:
        return [(w, w + timedelta(days=6), counts.get(w.isoformat(), 0)) for w in weeks], "week"
    months: dict[date, int] = {}
    for w, n in counts.items():
        d = date.fromisoformat(w)
        months[d.replace(day=1)] = months.get(d.replace(day=1), 0) + n
    out, m = [], days[0].replace(day=1)
    while m <= days[-1]:
        nxt = (m.replace(day=28) + timedelta(days=4)).replace(day=1)
        out.append((m, nxt - timedelta(days=1), months.get(m, 0)))
        m = nxt
    return out, "month"


def _ticks(bins: Sequence[tuple[date, date, int]], x: Callable[[int], float]) -> list[str]:
    """x-axis labels: months when the range is short, else years."""
    out, last = [], None
    span = (bins[-1][1] - bins[0][0]).days if bins else 0
    for i, (start, _, _) in enumerate(bins):
        label = start.strftime("%b %Y") if span <= 400 else str(start.year)
        key = (start.year, start.month) if span <= 400 else start.year
        if key != last:
            out.append(f'<text x="{x(i):.1f}" y="{HEIGHT - 8}" class="tick">{escape(label)}</text>')
            last = key
    # keep labels from overlapping: at most ~12
    step = max(1, len(out) // 12)
    return out[::step]


def bar_chart(counts: dict[str, int], title: str, link: Callable[[date, date], str] | None = None) -> str:
    """An SVG bar chart of ``counts`` (week start 'YYYY-MM-DD' -> stories). ``link``
    gives each bar a URL (the list narrowed to that week)."""
    bins, unit = _bins(counts)
    if not bins:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} 60" class="chart" role="img"'
                f' aria-label={quoteattr(title)}><title>{escape(title)}</title>'
                f'{STYLE}<text x="10" y="35" class="empty">No dated stories to chart.</text></svg>')
    top = max(n for _, _, n in bins) or 1
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    bw = plot_w / len(bins)

    def x(i: int) -> float:
        return LEFT + i * bw

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="chart"'
             f' role="img" aria-label={quoteattr(f"{title}, per {unit}")}>',
             f"<title>{escape(title)}, per {unit}</title>", STYLE,
             f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - 8}" y2="{TOP + plot_h}" class="axis"/>',
             f'<text x="{LEFT - 6}" y="{TOP + 10}" class="ymax">{top}</text>',
             f'<text x="{LEFT - 6}" y="{TOP + plot_h}" class="ymax">0</text>']
    for i, (start, end, n) in enumerate(bins):
        if not n:
            continue
        h = max(plot_h * n / top, 1.5)
        tip = f"{unit} of {start.isoformat()}: {n} stor{'y' if n == 1 else 'ies'}"
        bar = (f'<rect x="{x(i) + bw * 0.1:.1f}" y="{TOP + plot_h - h:.1f}" width="{max(bw * 0.8, 1):.1f}"'
               f' height="{h:.1f}" class="bar"><title>{escape(tip)}</title></rect>')
        if link:
            bar = f"<a href={quoteattr(link(start, end))}>{bar}</a>"
        parts.append(bar)
    parts.extend(_ticks(bins, x))
    parts.append("</svg>")
    return "".join(parts)


def source_rows_chart(rows: Iterable[tuple[str, str, int]], names: dict[str, str], limit: int = 8) -> str:
    """One row of bars per source (the ``limit`` with most stories), same time axis:
    rows of (week, source, stories)."""
    per: dict[str, dict[str, int]] = {}
    allweeks: dict[str, int] = {}
    for week, source, n in rows:
        per.setdefault(source, {})[week] = n
        allweeks[week] = allweeks.get(week, 0) + n
    bins, unit = _bins(allweeks)
    if not bins:
        return ""
    top_sources = sorted(per, key=lambda s: (-sum(per[s].values()), s))[:limit]
    row_h, label_w = 34, 190
    height = row_h * len(top_sources) + 24
    bw = (WIDTH - label_w - 8) / len(bins)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="chart sources"'
             f' role="img" aria-label="Stories per {unit} by source">',
             f"<title>Stories per {unit} by source</title>", STYLE]
    for r, src in enumerate(top_sources):
        counts = per[src]
        binned = [sum(n for w, n in counts.items() if s.isoformat() <= w <= e.isoformat()) for s, e, _ in bins]
        top = max(binned) or 1
        y0 = r * row_h + 4
        total = sum(counts.values())
        parts.append(f'<text x="0" y="{y0 + 20}" class="label">{escape(names.get(src, src))[:28]} ({total})</text>')
        parts.append(f'<line x1="{label_w}" y1="{y0 + row_h - 6}" x2="{WIDTH - 8}" y2="{y0 + row_h - 6}" class="axis"/>')
        for i, n in enumerate(binned):
            if n:
                h = max((row_h - 10) * n / top, 1.5)
                parts.append(f'<rect x="{label_w + i * bw + bw * 0.1:.1f}" y="{y0 + row_h - 6 - h:.1f}"'
                             f' width="{max(bw * 0.8, 1):.1f}" height="{h:.1f}" class="bar">'
                             f"<title>{escape(src)}, {unit} of {bins[i][0].isoformat()}: {n}</title></rect>")
    first, last = bins[0][0].isoformat(), bins[-1][1].isoformat()
    parts.append(f'<text x="{label_w}" y="{height - 4}" class="tick">{first}</text>'
                 f'<text x="{WIDTH - 8}" y="{height - 4}" class="tick end">{last}</text></svg>')
    return "".join(parts)

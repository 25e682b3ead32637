"""Server-side SVG charts shared by reports and dashboards.

Every function is pure: it takes plain numbers and labels and returns SVG markup (a SafeString) that works
without JavaScript and inside WeasyPrint PDFs. Numbers people read are written in the page's language
(`layak.common.numbers`); coordinates stay plain. The charts scale through their viewBox, carry role="img", an
aria-label, <title> and <desc>, escape every label, and use only generic font families (no web fonts). The
colours reach at least 3:1 contrast against white; text is drawn in the page's ink colour.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .numbers import format_fraction, format_number

INK = "#1b1f24"
MUTED = "#4a5560"
GRID = "#d5dbe1"
TRACK = "#eef1f4"
BAR = "#0b5d8f"
# A presentation attribute, not a style attribute: the Content-Security-Policy allows no inline styles.
FONT = "system-ui,'Segoe UI',Roboto,'DejaVu Sans',Arial,sans-serif"

#: The same hex values as the --band-* variables in static/css/layak.css.
BAND_COLOURS: dict[str, str] = {
    "none": "#6b7280",
    "pratama": "#a16207",
    "madya": "#0f766e",
    "nindya": "#1d4ed8",
    "utama": "#7e22ce",
    "kla": "#15803d",
}

#: Colours of the evaluation stages, in workflow order; each has at least 4.5:1 contrast against white.
STAGE_COLOURS: dict[str, str] = {
    "self": "#c2410c",
    "province": "#0b5d8f",
    "central": "#6d28d9",
    "field": "#0f766e",
    "final": "#1b1f24",
}

#: A general palette for series without a meaning of their own (cycles, regions).
PALETTE: tuple[str, ...] = ("#0b5d8f", "#c2410c", "#15803d", "#6d28d9", "#a16207", "#be185d", "#1b1f24")


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: a label, its value and the maximum the value could reach."""

    label: str
    value: float
    maximum: float
    colour: str = BAR


@dataclass(frozen=True)
class Series:
    """A named sequence of values, one per category (grouped bars) or per x position (line chart).

    A value of None means "no data" (a stage not reached yet, a cycle the region did not take part in).
    """

    name: str
    values: Sequence[float | None]
    colour: str = ""


@dataclass(frozen=True)
class Bin:
    """One histogram bin: its label (e.g. "600-700") and how many items fall in it."""

    label: str
    count: int
    colour: str = BAR


@dataclass(frozen=True)
class _Frame:
    """The chart's box (its viewBox size) and the texts read by assistive technology."""

    width: int
    height: float
    title: str
    desc: str


def band_colour(code: str | None) -> str:
    """The colour of a predicate band code (none, pratama, madya, nindya, utama, kla); grey when unknown."""
    return BAND_COLOURS.get((code or "none").lower(), BAND_COLOURS["none"])


def stage_colour(stage: str) -> str:
    """The colour of an evaluation stage (self, province, central, field, final)."""
    return STAGE_COLOURS.get(stage, MUTED)


def _num(value: float) -> str:
    """A compact number for attributes and labels: 12.5, 12, 0.33."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in {"", "-0"} else text


def _label(value: float) -> str:
    """A number as the page's language writes it, for text people read (1.234,5); `_num` is for SVG attributes."""
    return format_number(round(value, 2))


def _text(x: float, y: float, label: str, *, anchor: str = "start", size: int = 12, colour: str = INK) -> str:
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" font-size="{size}" fill="{colour}" text-anchor="{anchor}" '
        f'font-family="{FONT}">{escape(label)}</text>'
    )


def _clip(label: str, limit: int) -> str:
    """The label cut to `limit` characters with an ellipsis; the full text stays in the element's <title>."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _svg(frame: _Frame, body: list[str]) -> SafeString:
    inner = "".join(body)
    uid = hashlib.sha1(f"{frame.title}{inner}".encode(), usedforsecurity=False).hexdigest()[:10]
    title_id, desc_id = f"chart-title-{uid}", f"chart-desc-{uid}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {frame.width} {frame.height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" role="img" class="chart" '
        f'aria-label="{escape(frame.title)}" aria-labelledby="{title_id} {desc_id}">'
        f'<title id="{title_id}">{escape(frame.title)}</title><desc id="{desc_id}">{escape(frame.desc)}</desc>'
    )
    return mark_safe(head + inner + "</svg>")  # every label went through escape()


def _legend(entries: Sequence[tuple[str, str]], *, x: float, y: float, width: float) -> tuple[list[str], float]:
    """Legend swatches laid out in rows within `width`; returns the parts and the height used."""
    parts: list[str] = []
    cursor_x, cursor_y = x, y
    for name, colour in entries:
        item_width = 22 + 7 * len(name) + 14
        if cursor_x > x and cursor_x + item_width > x + width:
            cursor_x, cursor_y = x, cursor_y + 20
        parts.append(f'<rect x="{_num(cursor_x)}" y="{_num(cursor_y)}" width="14" height="14" fill="{colour}"/>')
        parts.append(_text(cursor_x + 20, cursor_y + 11.5, name))
        cursor_x += item_width
    return parts, cursor_y - y + 20


def horizontal_bar_chart(
    bars: Sequence[Bar], *, title: str, desc: str = "", width: int = 640, label_width: int = 200
) -> SafeString:
    """Horizontal bars, each drawn over a light track of its own maximum, with "value / maximum" at the end.

    Used for the score per cluster against the cluster's maximum. Bar length = value / maximum of the track,
    and every track has the same length, so bars compare as shares of their maximum.
    """
    row, top = 30, 8
    height = top + row * max(len(bars), 1) + 8
    plot_x, plot_width = label_width + 8, width - label_width - 8 - 96
    body: list[str] = []
    for index, bar in enumerate(bars):
        y = top + index * row
        share = 0.0 if bar.maximum <= 0 else min(max(bar.value / bar.maximum, 0.0), 1.0)
        full = f"{bar.label}: {format_fraction(bar.value, bar.maximum)}"
        body.append(f"<g><title>{escape(full)}</title>")
        body.append(_text(label_width, y + 16, _clip(bar.label, label_width // 7), anchor="end"))
        body.append(f'<rect x="{plot_x}" y="{y + 4}" width="{plot_width}" height="18" fill="{TRACK}"/>')
        body.append(
            f'<rect class="bar" x="{plot_x}" y="{y + 4}" width="{_num(plot_width * share)}" height="18" '
            f'fill="{bar.colour}"/>'
        )
        body.append(_text(plot_x + plot_width + 6, y + 16, format_fraction(bar.value, bar.maximum)))
        body.append("</g>")
    return _svg(_Frame(width, height, title, desc or title), body)


def _scale_max(values: Sequence[float], floor: float = 1.0) -> float:
    """A round upper bound for an axis: the smallest 1/2/5 x 10^n at or above the largest value."""
    top = max([floor, *values])
    magnitude = 10 ** (len(str(int(top))) - 1)
    for step in (1, 2, 5, 10):
        if step * magnitude >= top:
            return float(step * magnitude)
    return float(10 * magnitude)


def _y_axis(parts: list[str], *, x: float, y: float, width: float, height: float, top_value: float) -> None:
    """Four horizontal grid lines with their values on the left of the plot area."""
    for step in range(5):
        value = top_value * step / 4
        line_y = y + height - height * step / 4
        parts.append(
            f'<line x1="{_num(x)}" y1="{_num(line_y)}" x2="{_num(x + width)}" y2="{_num(line_y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_text(x - 6, line_y + 4, _label(value), anchor="end", size=11, colour=MUTED))


def grouped_bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str = "",
    maxima: Sequence[float] | None = None,
    width: int = 640,
    height: int = 280,
) -> SafeString:
    """Vertical bars grouped per category, one bar per series side by side (e.g. stages per cluster).

    With `maxima` (one per category) each bar shows its share of the category's maximum (axis 0-100%);
    without, all bars share one value axis. Missing values (None) leave a gap, labelled in the bar's title.
    """
    colours = [s.colour or stage_colour(s.name) for s in series]
    legend, legend_height = _legend(
        [(s.name, c) for s, c in zip(series, colours, strict=True)], x=48, y=6, width=width - 56
    )
    plot_x, plot_y = 48.0, 6 + legend_height + 8
    plot_w, plot_h = width - plot_x - 8, height - plot_y - 28
    shares = maxima is not None
    values = [v for s in series for v in s.values if v is not None]
    top_value = 100.0 if shares else _scale_max(values)
    parts = list(legend)
    _y_axis(parts, x=plot_x, y=plot_y, width=plot_w, height=plot_h, top_value=top_value)
    slot = plot_w / max(len(categories), 1)
    bar_w = slot * 0.8 / max(len(series), 1)
    base = plot_y + plot_h
    for c_index, category in enumerate(categories):
        left = plot_x + c_index * slot + slot * 0.1
        parts.append(_text(left + slot * 0.4, base + 18, _clip(category, int(slot // 7)), anchor="middle"))
        for s_index, (one, colour) in enumerate(zip(series, colours, strict=True)):
            value = one.values[c_index] if c_index < len(one.values) else None
            maximum = maxima[c_index] if maxima is not None else None
            label = f"{category}, {one.name}: " + ("-" if value is None else _label(value))
            label += f" / {_label(maximum)}" if maximum is not None and value is not None else ""
            if value is None:
                parts.append(f"<g><title>{escape(label)}</title></g>")
                continue
            shown = value if maximum is None else (0.0 if maximum <= 0 else 100 * value / maximum)
            bar_h = plot_h * min(max(shown, 0.0), top_value) / top_value
            parts.append(
                f'<g><title>{escape(label)}</title><rect class="bar" x="{_num(left + s_index * bar_w)}" '
                f'y="{_num(base - bar_h)}" width="{_num(max(bar_w - 2, 1))}" height="{_num(bar_h)}" '
                f'fill="{colour}"/></g>'
            )
    return _svg(_Frame(width, height, title, desc or title), parts)


def histogram(bins: Sequence[Bin], *, title: str, desc: str = "", width: int = 640, height: int = 240) -> SafeString:
    """Counts per bin as adjacent vertical bars with the count above each (e.g. regions per score range)."""
    plot_x, plot_y = 48.0, 12.0
    plot_w, plot_h = width - plot_x - 8, height - plot_y - 28
    top_value = _scale_max([b.count for b in bins])
    parts: list[str] = []
    _y_axis(parts, x=plot_x, y=plot_y, width=plot_w, height=plot_h, top_value=top_value)
    slot = plot_w / max(len(bins), 1)
    base = plot_y + plot_h
    for index, one in enumerate(bins):
        left = plot_x + index * slot
        bar_h = plot_h * one.count / top_value
        parts.append(
            f'<g><title>{escape(f"{one.label}: {_label(one.count)}")}</title><rect class="bar" x="{_num(left + 1)}" '
            f'y="{_num(base - bar_h)}" width="{_num(max(slot - 2, 1))}" height="{_num(bar_h)}" '
            f'fill="{one.colour}"/></g>'
        )
        parts.append(_text(left + slot / 2, base - bar_h - 4, _label(one.count), anchor="middle", size=11))
        parts.append(_text(left + slot / 2, base + 18, _clip(one.label, int(slot // 7)), anchor="middle", size=11))
    return _svg(_Frame(width, height, title, desc or title), parts)


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str = "",
    y_max: float | None = None,
    width: int = 640,
    height: int = 280,
) -> SafeString:
    """One polyline per series across the x positions (e.g. the score of several regions across cycles).

    A None value breaks the line; every point is a circle with its own <title> so values are readable.
    """
    colours = [s.colour or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)]
    legend, legend_height = _legend(
        [(s.name, c) for s, c in zip(series, colours, strict=True)], x=48, y=6, width=width - 56
    )
    plot_x, plot_y = 48.0, 6 + legend_height + 8
    plot_w, plot_h = width - plot_x - 16, height - plot_y - 28
    values = [v for s in series for v in s.values if v is not None]
    top_value = y_max if y_max else _scale_max(values)
    parts = list(legend)
    _y_axis(parts, x=plot_x, y=plot_y, width=plot_w, height=plot_h, top_value=top_value)
    step = plot_w / max(len(x_labels) - 1, 1)
    for index, label in enumerate(x_labels):
        parts.append(_text(plot_x + index * step, plot_y + plot_h + 18, _clip(label, 14), anchor="middle", size=11))
    for one, colour in zip(series, colours, strict=True):
        parts.extend(
            _line(
                one,
                colour,
                x_labels,
                plot_x=plot_x,
                base=plot_y + plot_h,
                plot_h=plot_h,
                step=step,
                top_value=top_value,
            )
        )
    return _svg(_Frame(width, height, title, desc or title), parts)


def _line(
    one: Series,
    colour: str,
    x_labels: Sequence[str],
    *,
    plot_x: float,
    base: float,
    plot_h: float,
    step: float,
    top_value: float,
) -> list[str]:
    """The polylines (one per unbroken run of values) and the point markers of one series."""
    parts: list[str] = []
    runs: list[list[str]] = [[]]
    for index, value in enumerate(one.values[: len(x_labels)]):
        if value is None:
            runs.append([])
            continue
        x = plot_x + index * step
        y = base - plot_h * min(max(value, 0.0), top_value) / top_value
        runs[-1].append(f"{_num(x)},{_num(y)}")
        parts.append(
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="4" fill="{colour}">'
            f"<title>{escape(f'{one.name}, {x_labels[index]}: {_label(value)}')}</title></circle>"
        )
    lines = [
        f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
        for run in runs
        if len(run) > 1
    ]
    return lines + parts


def band_legend(bands: Sequence[tuple[str, str]], *, title: str, width: int = 640) -> SafeString:
    """A legend of predicate bands: (code, display name) pairs drawn as coloured swatches."""
    parts, used = _legend([(name, band_colour(code)) for code, name in bands], x=4, y=4, width=width - 8)
    return _svg(_Frame(width, int(used + 8), title, title), parts)

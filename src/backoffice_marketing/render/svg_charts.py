"""Adoption charts as plain SVG: no JavaScript, no network, no extra needed.

The charts tell one story: the departments that the one classification flags
are drawn in colour and named at the end of their line; every other
department is a thin grey line behind them; the target is a dashed line with
its value written on it. Departments keep the initiative's order (legend,
panels), never the order of their character codes.

Three charts:

- :func:`trend_svg`: every department's rate over the periods, one line each;
- :func:`small_multiples_svg`: one small panel per department, same scales;
- :func:`latest_bars_svg`: the latest period as bars sorted by rate.

Every text is XML-escaped, so a department called ``<script>`` stays text.
The SVG embeds into HTML as is (the dashboard), shows itself in Jupyter
(:class:`SvgChart`), and :func:`svg_to_png` turns it into a PNG offline: the
``[plot]`` extra's SVG rasteriser (vl-convert's bundled resvg, no browser, no
network) draws it with the bundled Japanese font (IPAexGothic).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

import attrs

__all__ = [
    "FONT_STACK",
    "ChartTexts",
    "Series",
    "SvgChart",
    "latest_bars_svg",
    "pair_trend_svg",
    "small_multiples_svg",
    "svg_to_png",
    "trend_svg",
]

#: Japanese-first font stack; IPAexGothic is the font bundled for PNG export.
FONT_STACK = "'Noto Sans JP', 'Hiragino Sans', 'Yu Gothic', Meiryo, IPAexGothic, sans-serif"
#: Distinct colours for flagged departments (colour-blind safe, Okabe-Ito order).
HIGHLIGHT = ("#d55e00", "#0072b2", "#cc79a7", "#009e73", "#e69f00", "#56b4e9", "#000000")
#: The colour of departments that are not flagged.
QUIET = "#b8bec4"
#: The colour of the target line.
TARGET = "#c0392b"

#: One department's rates in period order: (period label, rate in [0, 1]).
Series = Sequence[tuple[str, float]]


@attrs.frozen
class ChartTexts:
    """The words of a chart, already in the reader's language."""

    title: str
    period: str
    rate: str
    target: str
    subtitle: tuple[str, ...] = ()


@attrs.frozen
class SvgChart:
    """A chart as SVG text that shows itself in Jupyter and turns into a PNG offline."""

    svg: str

    def __str__(self) -> str:
        return self.svg

    def _repr_svg_(self) -> str:
        return self.svg

    def _repr_html_(self) -> str:
        return f'<div style="max-width: 100%; overflow-x: auto;">{self.svg}</div>'

    def to_png(self, *, scale: float = 2.0) -> bytes:
        """The chart as PNG bytes (:func:`svg_to_png`)."""
        return svg_to_png(self.svg, scale=scale)


def _fmt(value: float) -> str:
    """A coordinate with at most one decimal, so that output is stable and small."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


def _text(x: float, y: float, content: str, **attributes: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
    return f'<text x="{_fmt(x)}" y="{_fmt(y)}"{extra}>{escape(content)}</text>'


def _open(width: int, height: int, title: str) -> list[str]:
    label = escape(title, {'"': "&quot;"})
    opening = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{label}" '
        f'font-family="{FONT_STACK}" font-size="12">'
    )
    return [
        opening,
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def _ordered(series: Mapping[str, object], order: Sequence[str]) -> list[str]:
    """Departments in the initiative's order, then any others in their given order."""
    known = [name for name in order if name in series]
    return known + [name for name in series if name not in known]


def _periods(series: Mapping[str, Series]) -> list[str]:
    seen: dict[str, None] = {}
    for points in series.values():
        for period, _ in points:
            seen.setdefault(period, None)
    return sorted(seen)


def _colours(names: Sequence[str], highlight: frozenset[str]) -> dict[str, str]:
    """One colour per flagged department, given in the initiative's order (stable per run)."""
    flagged = [name for name in names if name in highlight]
    return {name: HIGHLIGHT[index % len(HIGHLIGHT)] for index, name in enumerate(flagged)}


def _axes(
    box: tuple[float, float, float, float],
    periods: Sequence[str],
    texts: ChartTexts,
    *,
    tick_every: int,
) -> list[str]:
    left, top, width, height = box
    parts: list[str] = []
    for step in range(5):
        value = step / 4
        y = top + height * (1 - value)
        parts.append(
            f'<line x1="{_fmt(left)}" y1="{_fmt(y)}" x2="{_fmt(left + width)}" y2="{_fmt(y)}" '
            'stroke="#e5e8eb"/>'
        )
        parts.append(_text(left - 6, y + 4, _percent(value), text_anchor="end", fill="#57606a"))
    span = max(len(periods) - 1, 1)
    for index, period in enumerate(periods):
        if index % tick_every and index != len(periods) - 1:
            continue
        x = left + width * index / span
        parts.append(
            _text(
                x, top + height + 16, period, text_anchor="middle", fill="#57606a", font_size="11"
            )
        )
    parts.append(_text(left + width / 2, top + height + 36, texts.period, text_anchor="middle"))
    parts.append(
        _text(
            14,
            top + height / 2,
            texts.rate,
            text_anchor="middle",
            transform=f"rotate(-90 14 {_fmt(top + height / 2)})",
        )
    )
    return parts


def _target(box: tuple[float, float, float, float], target: float, text: str) -> str:
    left, top, width, height = box
    y = top + height * (1 - target)
    return (
        f'<line x1="{_fmt(left)}" y1="{_fmt(y)}" x2="{_fmt(left + width)}" y2="{_fmt(y)}" '
        f'stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        + _text(left + 4, y - 4, f"{text} {_percent(target)}", fill=TARGET, font_size="11")
    )


def _line(
    points: Series,
    periods: Sequence[str],
    box: tuple[float, float, float, float],
    colour: str,
    width: float,
) -> str:
    left, top, plot_width, height = box
    index = {period: position for position, period in enumerate(periods)}
    span = max(len(periods) - 1, 1)
    coordinates = " ".join(
        f"{_fmt(left + plot_width * index[period] / span)},"
        f"{_fmt(top + height * (1 - min(max(rate, 0.0), 1.0)))}"
        for period, rate in points
    )
    return (
        f'<polyline points="{coordinates}" fill="none" stroke="{colour}" '
        f'stroke-width="{_fmt(width)}" stroke-linejoin="round"/>'
    )


def _heading(texts: ChartTexts, width: int) -> list[str]:
    parts = [_text(16, 24, texts.title, font_size="16", font_weight="bold")]
    parts.extend(
        _text(16, 42 + 15 * index, line, fill="#57606a", font_size="11")
        for index, line in enumerate(texts.subtitle)
    )
    del width
    return parts


def trend_svg(
    series: Mapping[str, Series],
    *,
    order: Sequence[str] = (),
    highlight: frozenset[str] = frozenset(),
    target: float | None = None,
    texts: ChartTexts,
    width: int = 760,
    height: int = 380,
) -> str:
    """Every department's rate over the periods; flagged ones in colour and named."""
    names = _ordered(series, order)
    periods = _periods(series)
    colours = _colours(names, highlight)
    top = 56 + 15 * len(texts.subtitle)
    left, right, bottom = 56, 170, 52
    box = (left, top, width - left - right, height - top - bottom)
    parts = _open(width, height, texts.title)
    parts.extend(_heading(texts, width))
    parts.extend(_axes(box, periods, texts, tick_every=max(1, len(periods) // 8)))
    parts.extend(
        _line(series[name], periods, box, QUIET, 1.2) for name in names if name not in colours
    )
    if target is not None:
        parts.append(_target(box, target, texts.target))
    labels: list[tuple[float, str, str]] = []
    for name in names:
        if name in colours and series[name]:
            parts.append(_line(series[name], periods, box, colours[name], 2.6))
            rate = series[name][-1][1]
            labels.append((box[1] + box[3] * (1 - min(max(rate, 0.0), 1.0)), name, colours[name]))
    placed = -100.0
    for y, name, colour in sorted(labels):
        y_label = max(y + 4, placed + 14)
        placed = y_label
        rate = series[name][-1][1]
        parts.append(
            _text(
                box[0] + box[2] + 8,
                y_label,
                f"{name} {_percent(rate)}",
                fill=colour,
                font_weight="bold",
            )
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def small_multiples_svg(
    series: Mapping[str, Series],
    *,
    order: Sequence[str] = (),
    highlight: frozenset[str] = frozenset(),
    target: float | None = None,
    texts: ChartTexts,
    columns: int = 4,
    panel: tuple[int, int] = (180, 120),
) -> str:
    """One panel per department, on the same scales; flagged panels drawn in colour."""
    names = _ordered(series, order)
    periods = _periods(series)
    colours = _colours(names, highlight)
    panel_width, panel_height = panel
    rows = max(1, -(-len(names) // columns))
    top = 56 + 15 * len(texts.subtitle)
    width = 16 + columns * (panel_width + 16)
    height = top + rows * (panel_height + 36) + 8
    parts = _open(width, height, texts.title)
    parts.extend(_heading(texts, width))
    for index, name in enumerate(names):
        x0 = 16 + (index % columns) * (panel_width + 16)
        y0 = top + (index // columns) * (panel_height + 36)
        box = (x0 + 30.0, y0 + 20.0, panel_width - 36.0, panel_height - 28.0)
        colour = colours.get(name, "#57606a")
        parts.append(_text(x0, y0 + 12, name, fill=colour, font_weight="bold"))
        parts.append(
            f'<rect x="{_fmt(box[0])}" y="{_fmt(box[1])}" width="{_fmt(box[2])}" '
            f'height="{_fmt(box[3])}" fill="#f6f8fa"/>'
        )
        for value in (0.0, 1.0):
            y = box[1] + box[3] * (1 - value)
            parts.append(
                _text(box[0] - 4, y + 4, _percent(value), text_anchor="end", font_size="10")
            )
        if target is not None:
            y = box[1] + box[3] * (1 - target)
            parts.append(
                f'<line x1="{_fmt(box[0])}" y1="{_fmt(y)}" x2="{_fmt(box[0] + box[2])}" '
                f'y2="{_fmt(y)}" stroke="{TARGET}" stroke-dasharray="4 3"/>'
            )
        line_colour = colours.get(name, QUIET if highlight else "#57606a")
        parts.append(_line(series[name], periods, box, line_colour, 2.0))
        if series[name]:
            latest = _percent(series[name][-1][1])
            parts.append(
                _text(x0 + panel_width - 6, y0 + 12, latest, text_anchor="end", fill=colour)
            )
    if target is not None:
        parts.append(
            _text(width - 16, 24, f"{texts.target} {_percent(target)}", text_anchor="end",
                  fill=TARGET, font_size="11")
        )  # fmt: skip
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def latest_bars_svg(
    rates: Mapping[str, float],
    *,
    order: Sequence[str] = (),
    highlight: frozenset[str] = frozenset(),
    target: float | None = None,
    texts: ChartTexts,
    width: int = 640,
) -> str:
    """The latest period as horizontal bars, highest rate first; flagged bars in colour."""
    colours = _colours(_ordered(rates, order), highlight)  # the same colours as the trend
    position = {name: index for index, name in enumerate(_ordered(rates, order))}
    names = sorted(rates, key=lambda name: (-rates[name], position[name]))
    top = 56 + 15 * len(texts.subtitle)
    left, bar, gap = 150, 18, 6
    plot_width = width - left - 60
    height = top + len(names) * (bar + gap) + 40
    parts = _open(width, height, texts.title)
    parts.extend(_heading(texts, width))
    for index, name in enumerate(names):
        y = top + index * (bar + gap)
        value = min(max(rates[name], 0.0), 1.0)
        colour = colours.get(name, QUIET)
        parts.append(_text(left - 8, y + bar - 4, name, text_anchor="end"))
        parts.append(
            f'<rect x="{left}" y="{_fmt(y)}" width="{_fmt(plot_width * value)}" height="{bar}" '
            f'fill="{colour}"/>'
        )
        parts.append(_text(left + plot_width * value + 4, y + bar - 4, _percent(value)))
    bottom = top + len(names) * (bar + gap)
    if target is not None:
        x = left + plot_width * target
        parts.append(
            f'<line x1="{_fmt(x)}" y1="{top - 6}" x2="{_fmt(x)}" y2="{_fmt(bottom)}" '
            f'stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
        parts.append(
            _text(x, bottom + 16, f"{texts.target} {_percent(target)}", text_anchor="middle",
                  fill=TARGET, font_size="11")
        )  # fmt: skip
    parts.append(_text(left + plot_width / 2, bottom + 32, texts.rate, text_anchor="middle"))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def svg_to_png(svg: str, *, scale: float = 2.0) -> bytes:
    """The SVG as a PNG, rendered offline with the bundled Japanese font (``[plot]`` extra)."""
    from backoffice_marketing.render.fonts import register_chart_font  # noqa: PLC0415

    register_chart_font()
    import vl_convert  # noqa: PLC0415  (checked by register_chart_font)

    png: bytes = vl_convert.svg_to_png(svg, scale=scale)
    return png


def pair_trend_svg(
    mine: Series,
    company: Series,
    *,
    names: tuple[str, str],
    target: float | None = None,
    texts: ChartTexts,
    width: int = 340,
    height: int = 230,
) -> str:
    """One department's line beside the company's, sized for a phone (text 12 px and up).

    ``names`` are the two lines' names (the department, the company). The
    legend sits above the plot, so the plot takes the whole width; period
    labels show the week only (``W21``) and at most five of them.
    """
    periods = _periods({"mine": mine, "company": company})
    top, left, right, bottom = 52.0, 40.0, 12.0, 26.0
    box = (left, top, width - left - right, height - top - bottom)
    parts = _open(width, height, texts.title)
    plot_left, plot_top, plot_width, plot_height = box
    for step in range(0, 5, 2):
        value = step / 4
        y = plot_top + plot_height * (1 - value)
        parts.append(
            f'<line x1="{_fmt(plot_left)}" y1="{_fmt(y)}" x2="{_fmt(plot_left + plot_width)}" '
            f'y2="{_fmt(y)}" stroke="#e5e8eb"/>'
        )
        parts.append(
            _text(plot_left - 4, y + 4, _percent(value), text_anchor="end", fill="#57606a")
        )
    span = max(len(periods) - 1, 1)
    every = max(1, -(-len(periods) // 5))
    for index, period in enumerate(periods):
        if index % every and index != len(periods) - 1:
            continue
        x = plot_left + plot_width * index / span
        short = period.rsplit("-", 1)[-1]
        parts.append(_text(x, height - 8, short, text_anchor="middle", fill="#57606a"))
    if target is not None:
        parts.append(_target(box, target, texts.target).replace('font-size="11"', 'font-size="12"'))
    parts.append(_line(company, periods, box, QUIET, 2.4))
    parts.append(_line(mine, periods, box, HIGHLIGHT[0], 3.0))
    legend = [
        (names[0], HIGHLIGHT[0], mine),
        (names[1], "#6e7781", company),
    ]
    for row, (name, colour, points) in enumerate(legend):
        y = 18 + 18 * row
        latest = f" {_percent(points[-1][1])}" if points else ""
        parts.append(
            f'<line x1="8" y1="{y - 4}" x2="28" y2="{y - 4}" stroke="{colour}" stroke-width="3"/>'
        )
        parts.append(
            _text(34, y, f"{name}{latest}", fill=colour, font_weight="bold", font_size="13")
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"

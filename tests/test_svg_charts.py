"""Plain-SVG adoption charts: well-formed, escaped, coloured exactly where flagged, in order."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.render.svg_charts import (
    HIGHLIGHT,
    QUIET,
    ChartTexts,
    latest_bars_svg,
    small_multiples_svg,
    trend_svg,
)

NS = "{http://www.w3.org/2000/svg}"
TEXTS = ChartTexts("推移", "週", "利用率", "目標", ("名古屋営業所は営業本部に合算",))
PERIODS = ("2027-W20", "2027-W21", "2027-W22")
_NAMES = st.lists(
    st.text(min_size=1, max_size=12).filter(lambda text: text.isprintable()),
    min_size=1,
    max_size=12,
    unique=True,
)


def _series(names: list[str], rates: list[float]) -> dict[str, list[tuple[str, float]]]:
    return {
        name: [(period, rates[(i + j) % len(rates)]) for j, period in enumerate(PERIODS)]
        for i, name in enumerate(names)
    }


def _strokes(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # noqa: S314  (our own output)
    return [line.get("stroke", "") for line in root.iter(f"{NS}polyline")]


@given(_NAMES, st.lists(st.floats(0, 1), min_size=1, max_size=5), st.data())
def test_trend_colours_exactly_the_flagged_departments(
    names: list[str], rates: list[float], data: st.DataObject
) -> None:
    """Flagged departments get colours, all others grey; the SVG parses; output is stable."""
    flagged = frozenset(data.draw(st.sets(st.sampled_from(names))))
    series = _series(names, rates)
    svg = trend_svg(series, order=names, highlight=flagged, target=0.9, texts=TEXTS)
    assert svg == trend_svg(series, order=names, highlight=flagged, target=0.9, texts=TEXTS)
    strokes = _strokes(svg)
    assert len(strokes) == len(names)
    assert strokes.count(QUIET) == len(names) - len(flagged)
    assert all(stroke in HIGHLIGHT for stroke in strokes if stroke != QUIET)


def test_text_is_escaped_and_the_target_is_labelled() -> None:
    """A department named like markup stays text; the target line carries its value."""
    series = {"<script>&": [("2027-W20", 0.2)], "営業部": [("2027-W20", 0.95)]}
    svg = trend_svg(series, highlight=frozenset({"<script>&"}), target=0.9, texts=TEXTS)
    assert "<script>" not in svg
    assert "&lt;script&gt;&amp;" in svg
    assert "目標 90%" in svg
    ET.fromstring(svg)  # noqa: S314  (our own output)


def test_small_multiples_follow_the_initiative_order() -> None:
    """Panels come in the initiative's order, not in the order of character codes."""
    order = ["製造部", "営業部", "経理部"]
    series = _series(sorted(order), [0.1, 0.5, 0.9])
    svg = small_multiples_svg(series, order=order, highlight=frozenset({"製造部"}), texts=TEXTS)
    positions = [svg.index(f">{name}</text>") for name in order]
    assert positions == sorted(positions)
    assert _strokes(svg).count(HIGHLIGHT[0]) == 1


def test_latest_bars_sorted_by_rate_with_trend_colours() -> None:
    """Bars run from the highest rate down; a flagged bar keeps its trend colour."""
    rates = {"営業部": 0.95, "製造部": 0.2, "物流センター": 0.25}
    order = ["営業部", "製造部", "物流センター"]
    flagged = frozenset({"製造部", "物流センター"})
    svg = latest_bars_svg(rates, order=order, highlight=flagged, target=0.9, texts=TEXTS)
    assert svg.index("営業部") < svg.index("物流センター") < svg.index("製造部")
    trend = trend_svg(
        {name: [("2027-W20", rate)] for name, rate in rates.items()},
        order=order,
        highlight=flagged,
        texts=TEXTS,
    )
    root = ET.fromstring(svg)  # noqa: S314  (our own output)
    fills = [rect.get("fill") for rect in root.iter(f"{NS}rect")][1:]
    assert fills == [QUIET, HIGHLIGHT[1], HIGHLIGHT[0]]
    assert HIGHLIGHT[0] in trend
    assert "目標 90%" in svg

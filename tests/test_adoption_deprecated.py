"""The free adoption renderers of 0.1 still answer, each with what its replacement gives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import backoffice_marketing as bm
from backoffice_marketing.adoption import AdoptionRates, classify_rows
from backoffice_marketing.core.privacy import Suppression
from backoffice_marketing.exceptions import UnsupportedFormatError
from backoffice_marketing.foundation.text import LocalizedText
from backoffice_marketing.render.svg_charts import SvgChart
from tests.schemas import validate

RATES = pl.DataFrame(
    {
        "department": ["営業部", "営業部", "経理部", "経理部", "other"],
        "period": ["2027-W20", "2027-W21", "2027-W20", "2027-W21", "2027-W21"],
        "rate": [0.2, 0.3, 0.8, 0.9, 0.5],
        "suppressed": [False, False, False, False, False],
    }
)
MERGE = Suppression("名古屋営業所", "営業部", LocalizedText(ja="小さいため", en="too small"))


def _old(name: str) -> Callable[..., Any]:
    """The deprecated function ``name`` of bm.adoption (its warning checked and silenced)."""
    with pytest.warns(DeprecationWarning, match=rf"adoption\.{name} is deprecated"):
        function: Callable[..., Any] = getattr(bm.adoption, name)
    return function


def test_old_tables_give_what_the_report_gives() -> None:
    """rates_json, rates_csv and rates_markdown equal the report's to_json, to_csv, table."""
    report = AdoptionRates(RATES, order=("経理部", "営業部"))
    company = ("経理部", "営業部")
    assert _old("rates_json")(RATES, order=company) == report.to_json()
    validate(_old("rates_json")(RATES), "adoption_rates.schema.json")
    assert _old("rates_json")(report) == report.to_json()
    assert _old("rates_csv")(RATES, order=company) == report.to_csv()
    assert _old("rates_csv")(RATES) == AdoptionRates(RATES).to_csv()  # by name without order
    old_table = _old("rates_markdown")(RATES, lang="en", order=("経理部", "営業部"))
    assert old_table == report.table_markdown(lang="en")
    assert old_table.index("経理部") < old_table.index("営業部")  # the order given
    assert _old("rates_markdown")(report, lang="en", order=("経理部",)).index("経理部") < (
        old_table.index("営業部")
    )


def test_old_markdown_of_merges_and_laggards_matches_the_methods() -> None:
    """merges_markdown states what the report states; laggards_markdown is the table."""
    classification = classify_rows(
        [("営業部", "p", 0.05), ("経理部", "p", 0.9), ("人事部", "p", 0.9)], curve=False
    )
    report = AdoptionRates(RATES, classification=classification.with_merges([MERGE]))
    merges = _old("merges_markdown")([MERGE], lang="ja")
    assert "「名古屋営業所」は「営業部」に含めて" in merges
    assert merges.strip() in report.to_markdown(lang="ja")
    assert _old("merges_markdown")((), lang="en").strip() == ""
    laggards = _old("laggards_markdown")
    assert laggards(classification, lang="en") == classification.to_markdown(lang="en")
    stated = laggards(classification, lang="ja", merges=[MERGE])
    assert stated == classification.with_merges([MERGE]).to_markdown(lang="ja")
    assert "名古屋営業所" in stated
    assert classification.with_merges(()) is classification
    flags = bm.adoption.laggards_from(classification)
    assert "営業部" in laggards(flags, lang="ja")
    assert "遅れている部署はありません" in laggards((), lang="ja")


def test_old_charts_are_the_svg_charts() -> None:
    """adoption_chart and latest_chart return the report's SVG, which shows in Jupyter."""
    report = AdoptionRates.from_frame(RATES, target=0.6)
    line = _old("adoption_chart")(RATES, target=0.6, lang="en")
    assert isinstance(line, SvgChart)
    assert str(line) == report.chart_svg(lang="en")
    assert line._repr_svg_() == line.svg
    assert line.svg in line._repr_html_()
    default = _old("adoption_chart")(RATES)
    assert default.svg == AdoptionRates.from_frame(RATES).chart_svg(lang="ja")
    bars = _old("latest_chart")(RATES, target=0.6, lang="ja")
    assert bars.svg == report.latest_svg(lang="ja")
    first = _old("latest_chart")(RATES, period="2027-W20", lang="en").svg
    assert "(2027-W20)" in first
    assert "80%" in first
    assert ">Other<" not in first  # the roll-up group had no row in that week


def test_save_chart_writes_svg_and_png_and_names_what_went(tmp_path: Path) -> None:
    """save_chart writes .svg and .png; .json (Vega-Lite) and altair charts get clear errors."""
    pytest.importorskip("vl_convert", reason="the [plot] extra draws PNG charts")
    save = _old("save_chart")
    chart = _old("latest_chart")(RATES, lang="ja")
    svg = save(chart, tmp_path / "latest.svg")
    assert svg.read_text(encoding="utf-8") == chart.svg
    png = save(chart.svg, tmp_path / "latest.png", scale=1.0)
    assert png.read_bytes().startswith(b"\x89PNG")
    with pytest.raises(UnsupportedFormatError, match=r"\.png, \.svg"):
        save(chart, tmp_path / "latest.json")
    with pytest.raises(TypeError, match="SVG charts"):
        save({"mark": "bar"}, tmp_path / "latest.svg")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["latest.png", "latest.svg"]

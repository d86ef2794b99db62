"""What a notebook shows: tables and inline SVG, aligned under Jupyter's CSS, nothing online."""

from __future__ import annotations

import datetime as dt
import re
from html import escape as html_escape
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import backoffice_marketing as bm
from backoffice_marketing.app import samples
from backoffice_marketing.render.notebook import fragment, table_html

_ONLINE = re.compile(r'(?<!xmlns=")https?://|<script|cdn\.', re.I)


def _cells_aligned(html: str) -> bool:
    """Whether every table cell carries its own text-align."""
    cells = re.findall(r"<t[hd](?:\s[^>]*)?>", html)
    return bool(cells) and all("text-align" in cell for cell in cells)


def test_report_bundles_are_fragments_with_aligned_cells() -> None:
    """A report in a notebook is its page's body: no <html>, no <style>, aligned cells."""
    plan = bm.Initiative.example().plan()
    html = plan._repr_mimebundle_()["text/html"]
    assert "<html" not in html
    assert "<style" not in html
    assert _cells_aligned(html)
    assert 'class="num" style="text-align: right;' in html or "text-align: right" in html
    assert _ONLINE.search(html) is None


def test_fragment_keeps_existing_styles_and_takes_bare_html() -> None:
    """A cell with its own style keeps it; text without a body is wrapped as it is."""
    made = fragment('<td style="color: red">x</td><td class="num">1</td><th scope="row">a</th>')
    assert '<td style="color: red">' in made
    assert '<td class="num" style="text-align: right;' in made
    assert '<th scope="row" style="text-align: left;' in made


@given(st.lists(st.tuples(st.text(), st.integers() | st.none()), max_size=5))
def test_table_html_escapes_and_aligns(rows: list[tuple[str, int | None]]) -> None:
    """Any cell text is escaped; numbers sit right, text left; missing values show a dash."""
    html = table_html(("name", "n"), rows, numeric=(1,), caption="<c>")
    assert "<c>" not in html
    assert html.count("text-align: right") == len(rows) + 1
    for text, number in rows:
        assert html_escape(text) in html
        if number is None:
            assert "—" in html


def test_public_objects_show_as_tables(tmp_path: Path) -> None:
    """Initiative, playbook, roster, workspace, laggards, fits and forecasts show as tables."""
    pytest.importorskip("narwhals", reason="adoption needs the [data] extra")
    from backoffice_marketing import adoption  # noqa: PLC0415

    initiative = bm.Initiative.example()
    roster = samples.write_roster(tmp_path / "roster.csv")
    usage = samples.write_usage(tmp_path / "usage.csv")
    rates = adoption.adoption_rates(usage, roster, start=samples.LAUNCH, end=samples.AS_OF)
    assert type(rates).__name__ == "DataFrame"  # a table, not a lazy query plan
    fit = adoption.fit_bass(list(range(1, 8)), [0.05, 0.2, 0.45, 0.65, 0.78, 0.85, 0.88])
    objects = [
        initiative,
        initiative.load_playbook(),
        adoption.read_roster(str(roster)),
        adoption.laggards(rates, target=initiative.target),
        fit,
        fit.forecast_date(0.85),
    ]
    with bm.Workspace.create(tmp_path / "ws") as workspace:
        objects.append(workspace)
        for shown in objects:
            html = shown._repr_html_()  # type: ignore[attr-defined]
            assert "<table>" in html, type(shown).__name__
            assert _ONLINE.search(html) is None
            assert "<td" in html or type(shown).__name__ == "Workspace"
    laggards = adoption.laggards(rates, target=initiative.target)
    assert isinstance(laggards, tuple)
    assert "製造部" in laggards._repr_html_()
    assert "<Roster spells=" in repr(adoption.read_roster(str(roster)))


def test_adoption_report_shows_its_chart_offline(tmp_path: Path) -> None:
    """The adoption report in a notebook starts with its SVG trend chart, loading nothing."""
    pytest.importorskip("narwhals", reason="adoption needs the [data] extra")
    from backoffice_marketing import adoption  # noqa: PLC0415

    roster = samples.write_roster(tmp_path / "roster.csv")
    usage = samples.write_usage(tmp_path / "usage.csv", end=dt.date(2027, 6, 4))
    rates = adoption.adoption_rates(usage, roster, start=samples.LAUNCH, end=dt.date(2027, 6, 4))
    report = adoption.AdoptionRates.from_frame(rates, target=0.9)
    html = report._repr_mimebundle_()["text/html"]
    assert html.index("<svg") < html.index("<table")
    assert _ONLINE.search(html) is None

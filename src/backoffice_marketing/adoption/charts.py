"""Charts of adoption (Vega-Lite through altair), exported offline to PNG and SVG.

Two charts: the rate of every department over time, and the latest period
as bars with the target line (the chart that makes lagging departments
visible). Japanese department names are drawn with IPAexGothic, which the
``[plot]`` extra installs with ``matplotlib-fontja``; its folder is
registered with vl-convert at export time, so nothing is downloaded.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backoffice_marketing.adoption.frames import collect, narwhals, require_columns, to_frame
from backoffice_marketing.exceptions import MissingExtraError, UnsupportedFormatError
from backoffice_marketing.foundation.defaults import ADOPTION_TARGET
from backoffice_marketing.foundation.text import Lang, check_lang
from backoffice_marketing.render.fonts import register_chart_font as _register_font
from backoffice_marketing.render.labels import label

if TYPE_CHECKING:
    from backoffice_marketing.adoption.classification import Classification

__all__ = ["FONT", "adoption_chart", "latest_chart", "save_chart"]

#: The font family used for every text of the charts.
FONT = "IPAexGothic"
_FORMATS = (".png", ".svg", ".json")


def _altair() -> Any:
    try:
        import altair as alt  # noqa: PLC0415  (optional extra)
    except ImportError as error:  # pragma: no cover - exercised without the extra
        raise MissingExtraError("plot", "altair") from error
    return alt


def _rows(rates: Any, columns: list[str]) -> list[dict[str, Any]]:
    nw = narwhals()
    frame = to_frame(rates, what="rates")
    require_columns(frame, columns, what="<rates>")
    if "suppressed" in frame.collect_schema():  # privacy: a withheld row is not drawn
        frame = frame.filter(~nw.col("suppressed").fill_null(value=True).cast(nw.Boolean()))
    data = collect(frame.select(columns).sort(columns[:2]))
    rows = []
    for values in data.rows():
        row = dict(zip(columns, values, strict=True))
        for key, value in row.items():
            if isinstance(value, dt.date):
                row[key] = value.isoformat()
        if row.get("department") == "other":
            row["department"] = None
        rows.append(row)
    return rows


def _names(rows: list[dict[str, Any]], lang: Lang) -> None:
    for row in rows:
        if row["department"] is None:
            row["department"] = label("adoption_other", lang)


def _configure(chart: Any) -> Any:
    return (
        chart.configure(font=FONT)
        .configure_axis(labelFont=FONT, titleFont=FONT)
        .configure_legend(labelFont=FONT, titleFont=FONT)
        .configure_title(font=FONT)
    )


def _title(text: str, classification: Classification | None, lang: Lang) -> Any:
    """The chart title, with one subtitle line per merged group (who went where, and why)."""
    alt = _altair()
    if classification is None or not classification.merges:
        return text
    from backoffice_marketing.adoption.classification import merge_notes  # noqa: PLC0415

    lines = [note.get(lang) for note in merge_notes(classification.merges)]
    return alt.TitleParams(text=text, subtitle=lines, anchor="start")


def adoption_chart(
    rates: Any,
    *,
    lang: Lang = "ja",
    target: float | None = None,
    classification: Classification | None = None,
) -> Any:
    """Lines of each department's rate over time (an altair chart).

    With ``classification``, the merges behind the figures are stated under the title.
    """
    alt = _altair()
    lang = check_lang(lang)
    rows = _rows(rates, ["department", "period", "rate"])
    _names(rows, lang)
    x = alt.X("period:O", title=label("adoption_period", lang), axis=alt.Axis(labelAngle=-45))
    lines = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y(
                "rate:Q",
                title=label("adoption_rate", lang),
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color("department:N", title=label("adoption_department", lang)),
            tooltip=["department:N", "period:N", alt.Tooltip("rate:Q", format=".0%")],
        )
    )
    layers = [lines]
    if target is not None:
        layers.append(
            alt.Chart(alt.Data(values=[{"target": target}]))
            .mark_rule(strokeDash=[6, 4], color="#c0392b")
            .encode(y="target:Q")
        )
    chart = alt.layer(*layers).properties(
        title=_title(label("adoption_chart_title", lang), classification, lang),
        width=560,
        height=320,
    )
    return _configure(chart)


def latest_chart(
    rates: Any,
    *,
    target: float = ADOPTION_TARGET,
    lang: Lang = "ja",
    period: str | None = None,
    classification: Classification | None = None,
) -> Any:
    """Bars of each department's rate in ``period`` (the latest by default) with the target line.

    Bars are coloured by the one classification (on track, lagging, not
    started): ``classification`` when given, else
    :func:`~backoffice_marketing.adoption.classification.classify` of ``rates``.
    """
    from backoffice_marketing.adoption.classification import Standing, classify  # noqa: PLC0415

    alt = _altair()
    lang = check_lang(lang)
    rows = _rows(rates, ["department", "period", "rate"])
    chosen = period or "" if not rows else period or max(str(row["period"]) for row in rows)
    latest = [row for row in rows if row["period"] == chosen]
    if classification is None:
        classification = classify(rates, target=target, period=chosen) if latest else None
    standings = (
        {entry.department: entry.standing for entry in classification.departments}
        if classification is not None
        else {}
    )
    _names(latest, lang)
    names = {standing: label(f"adoption_standing_{standing.value}", lang) for standing in Standing}
    for row in latest:
        row["status"] = names[standings.get(row["department"], Standing.ON_TRACK)]
    on_track, behind = names[Standing.ON_TRACK], names[Standing.LAGGING]
    not_started = names[Standing.NOT_STARTED]
    bars = (
        alt.Chart(alt.Data(values=latest))
        .mark_bar()
        .encode(
            y=alt.Y("department:N", sort="-x", title=label("adoption_department", lang)),
            x=alt.X(
                "rate:Q",
                title=label("adoption_rate", lang),
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color(
                "status:N",
                title=label("adoption_status", lang),
                scale=alt.Scale(
                    domain=[on_track, behind, not_started], range=["#2e86c1", "#e67e22", "#7f8c8d"]
                ),
            ),
            tooltip=["department:N", alt.Tooltip("rate:Q", format=".0%")],
        )
    )
    rule = (
        alt.Chart(alt.Data(values=[{"target": target}]))
        .mark_rule(strokeDash=[6, 4], color="#c0392b", size=2)
        .encode(x="target:Q")
    )
    chart = alt.layer(bars, rule).properties(
        title=_title(f"{label('adoption_latest_title', lang)} ({chosen})", classification, lang),
        width=480,
    )
    return _configure(chart)


def save_chart(chart: Any, path: str | os.PathLike[str], *, scale: float = 2.0) -> Path:
    """Write ``chart`` as PNG, SVG or Vega-Lite JSON (by suffix), offline and atomically."""
    from backoffice_marketing.foundation.io.atomic import (  # noqa: PLC0415
        write_bytes_atomic,
        write_text_atomic,
    )

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in _FORMATS:
        raise UnsupportedFormatError(str(target), _FORMATS)
    spec = chart.to_json(indent=2, sort_keys=True)
    if suffix == ".json":
        return write_text_atomic(target, spec + "\n")
    _register_font()
    import vl_convert  # noqa: PLC0415  (checked by _register_font)

    if suffix == ".svg":
        return write_text_atomic(target, vl_convert.vegalite_to_svg(spec))
    return write_bytes_atomic(target, vl_convert.vegalite_to_png(spec, scale=scale))

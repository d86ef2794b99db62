"""The free adoption renderers of 0.1, kept for one release: each gives what its method gives.

Deprecated since 0.2.0, removed in 0.3.0 (see
:data:`backoffice_marketing.foundation.deprecation.DEPRECATIONS`); the package serves them
with a ``DeprecationWarning`` that names the replacement. The chart functions
no longer build altair charts: they return the library's own SVG chart
(:class:`~backoffice_marketing.render.svg_charts.SvgChart`, which shows itself
in Jupyter), and :func:`save_chart` writes it as SVG or PNG. A Vega-Lite
specification (``.json``) has no equivalent any more: ``AdoptionRates.to_json()``
gives the data behind the chart.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from backoffice_marketing.adoption.classification import Classification, merge_notes
from backoffice_marketing.adoption.laggards import Laggard
from backoffice_marketing.adoption.report import AdoptionRates
from backoffice_marketing.core.privacy import Suppression
from backoffice_marketing.exceptions import UnsupportedFormatError
from backoffice_marketing.foundation.defaults import ADOPTION_TARGET
from backoffice_marketing.foundation.text import Lang, check_lang
from backoffice_marketing.render.svg_charts import SvgChart

__all__ = [
    "adoption_chart",
    "laggards_markdown",
    "latest_chart",
    "merges_markdown",
    "rates_csv",
    "rates_json",
    "rates_markdown",
    "save_chart",
]

_CHART_FORMATS = (".png", ".svg")


def _report(rates: Any, order: Sequence[str] = ()) -> AdoptionRates:
    """The report over ``rates`` (itself when it is one), unclassified: no table needs it."""
    if isinstance(rates, AdoptionRates):
        return attrs.evolve(rates, order=order) if order else rates
    return AdoptionRates(rates, order=tuple(order))


def rates_json(rates: Any, *, order: Sequence[str] = ()) -> str:
    """``AdoptionRates(rates, order=order).to_json()``: the one JSON shape of the rates."""
    return _report(rates, order).to_json()


def rates_csv(rates: Any, *, order: Sequence[str] = ()) -> str:
    """``AdoptionRates(rates, order=order).to_csv()``."""
    return _report(rates, order).to_csv()


def rates_markdown(
    rates: Any, *, lang: Lang = "ja", column: str = "rate", order: Sequence[str] = ()
) -> str:
    """``AdoptionRates(rates, order=order).table_markdown(lang=, column=)``."""
    return _report(rates, order).table_markdown(lang=check_lang(lang), column=column)


def laggards_markdown(
    flags: Sequence[Laggard] | Classification,
    *,
    lang: Lang = "ja",
    merges: Sequence[Suppression] = (),
) -> str:
    """``classification.to_markdown(lang=)``; flags given as a sequence get the same table."""
    checked = check_lang(lang)
    if isinstance(flags, Classification):
        return flags.with_merges(merges).to_markdown(lang=checked)
    from backoffice_marketing.render.environment import render  # noqa: PLC0415

    return render(
        "adoption_laggards.md.j2",
        checked,
        flags=tuple(flags),
        period=flags[0].period if flags else None,
        merges=merge_notes(merges),
        no_data=False,
    )


def merges_markdown(merges: Sequence[Suppression], *, lang: Lang = "ja") -> str:
    """The merges as ``AdoptionRates.to_markdown(lang=)`` states them under its table."""
    from backoffice_marketing.render.environment import render  # noqa: PLC0415

    return render("adoption_merges.md.j2", check_lang(lang), merges=merge_notes(merges))


def adoption_chart(
    rates: Any,
    *,
    lang: Lang = "ja",
    target: float | None = None,
    classification: Classification | None = None,
) -> SvgChart:
    """``AdoptionRates.from_frame(rates, ...).chart_svg(lang=)``, as a displayable chart."""
    report = AdoptionRates.from_frame(
        rates,
        target=ADOPTION_TARGET if target is None else target,
        classification=classification,
    )
    return SvgChart(report.chart_svg(lang=check_lang(lang)))


def latest_chart(
    rates: Any,
    *,
    target: float = ADOPTION_TARGET,
    lang: Lang = "ja",
    period: str | None = None,
    classification: Classification | None = None,
) -> SvgChart:
    """``AdoptionRates.from_frame(rates, ...).latest_svg(lang=, period=)``, displayable."""
    report = AdoptionRates.from_frame(rates, target=target, classification=classification)
    return SvgChart(report.latest_svg(lang=check_lang(lang), period=period))


def save_chart(chart: SvgChart | str, path: str | os.PathLike[str], *, scale: float = 2.0) -> Path:
    """Write an SVG chart as ``.svg`` or ``.png`` (offline) through the one safe writer.

    ``.json`` (the Vega-Lite specification of the altair charts) is no longer
    made: an :class:`UnsupportedFormatError` names the formats there are.
    """
    from backoffice_marketing.foundation.io.atomic import (  # noqa: PLC0415
        write_bytes_atomic,
        write_text_atomic,
    )

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in _CHART_FORMATS:
        raise UnsupportedFormatError(str(target), _CHART_FORMATS)
    if not isinstance(chart, SvgChart | str):
        raise TypeError(
            "save_chart() writes the SVG charts of adoption_chart() and latest_chart(); "
            f"found {type(chart).__name__} (an altair chart saves itself with chart.save())"
        )
    drawn = chart if isinstance(chart, SvgChart) else SvgChart(chart)
    if suffix == ".svg":
        return write_text_atomic(target, drawn.svg)
    return write_bytes_atomic(target, drawn.to_png(scale=scale))

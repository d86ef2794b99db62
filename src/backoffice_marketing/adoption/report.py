"""Adoption rates as a report: the frame you computed, with its target and classification.

:func:`~backoffice_marketing.adoption.rates.adoption_rates` keeps its contract
(a dataframe in, the same kind out). :class:`AdoptionRates` wraps that frame
for the report protocol: ``to_markdown`` (departments × periods, with the
merges), ``table_markdown`` (the table alone), ``to_html``, ``to_json`` (one
shape, :class:`AdoptionRatesData` through the one converter), ``to_csv``,
``write`` to ``md``, ``html``, ``json``, ``csv`` (formula-safe), ``svg`` and
``png`` (the trend chart), and Jupyter display. ``frame`` and
:meth:`AdoptionRates.to_native` hand your own frame back, untouched; every
adoption function also accepts the wrapper.

The chart colours exactly the departments that the one classification flags
(lagging or not started), draws the rest in grey, labels the target, keeps the
initiative's order of departments and states every merge under its title.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import attrs

from backoffice_marketing.adoption.classification import Classification, Standing, merge_notes
from backoffice_marketing.adoption.export import RateRow
from backoffice_marketing.adoption.frames import FrameHolder
from backoffice_marketing.core.privacy import Suppression
from backoffice_marketing.core.report import Report
from backoffice_marketing.foundation.defaults import ADOPTION_TARGET
from backoffice_marketing.foundation.text import Lang

if TYPE_CHECKING:
    from backoffice_marketing.adoption.diffusion import CutoverAdvice
    from backoffice_marketing.diagnosis.initiative import Initiative

__all__ = ["AdoptionRates", "AdoptionRatesData"]

_T = TypeVar("_T")


def _names(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen
class AdoptionRatesData:
    """The JSON shape of :class:`AdoptionRates` (``to_json`` gives it, after ``schema_version``).

    ``columns`` names the rate columns the rows carry, in order; ``rows`` are
    sorted by department and period; ``merges`` says which groups were
    folded into which, and why.
    """

    target: float
    columns: tuple[str, ...]
    rows: tuple[RateRow, ...]
    merges: tuple[Suppression, ...] = ()

    @classmethod
    def of(cls, report: AdoptionRates) -> AdoptionRatesData:
        """The shape of ``report``'s JSON (the converter writes a report as this record)."""
        return report.data()


@attrs.frozen(repr=False)
class AdoptionRates(Report, FrameHolder):
    """Adoption rates per department and period, as one report.

    ``frame`` is the native frame of :func:`adoption_rates` (pandas, polars,
    pyarrow, duckdb, ...). ``classification`` (from :func:`classify`) decides
    which departments the chart colours and carries the merges; ``order`` is
    the initiative's order of departments.
    """

    frame: Any = attrs.field(eq=False)
    target: float = ADOPTION_TARGET
    classification: Classification | None = None
    order: tuple[str, ...] = attrs.field(default=(), converter=_names)
    #: The outcome evaluation (``evaluate_outcome``) shown with the rates, when measured.
    outcome: Any = attrs.field(default=None, eq=False)

    report_kind: ClassVar[str] = "adoption_rates"
    write_formats: ClassVar[tuple[str, ...]] = ("md", "html", "json", "csv", "svg", "png")
    #: The record of the JSON's shape (the report itself wraps a frame).
    json_shape: ClassVar[type] = AdoptionRatesData

    @classmethod
    def from_frame(
        cls,
        rates: Any,
        *,
        target: float = ADOPTION_TARGET,
        classification: Classification | None = None,
        order: Sequence[str] = (),
        outcome: Any = None,
    ) -> AdoptionRates:
        """Wrap the frame of :func:`adoption_rates`; classify it when no classification is given."""
        if isinstance(rates, AdoptionRates):
            rates = rates.frame
        if classification is None:
            from backoffice_marketing.adoption.classification import classify  # noqa: PLC0415

            classification = classify(rates, target=target, order=order)
        return cls(rates, target, classification, tuple(order), outcome)

    def __repr__(self) -> str:
        kind = type(self.frame).__module__.split(".")[0]
        return f"<AdoptionRates frame={kind} target={self.target:.0%}>"

    def to_native(self) -> Any:
        """The frame as given: the same kind of frame your library made."""
        return self.frame

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        """In a notebook: the trend chart (the library's own SVG, offline), then the tables."""
        from backoffice_marketing.foundation.text import resolve_lang  # noqa: PLC0415

        bundle = super()._repr_mimebundle_(include, exclude)
        chart = self.chart_svg(lang=resolve_lang(None))
        bundle["text/html"] = (
            f'<div style="max-width: 100%; overflow-x: auto;">{chart}</div>' + (bundle["text/html"])
        )
        return bundle

    @property
    def flagged(self) -> frozenset[str]:
        """The departments the classification flags (lagging or not started)."""
        if self.classification is None:
            return frozenset()
        return frozenset(
            entry.department
            for entry in self.classification.departments
            if entry.standing is not Standing.ON_TRACK
        )

    def data(self) -> AdoptionRatesData:
        """The report's content as a record: target, rate columns, typed rows and merges."""
        from backoffice_marketing.adoption.export import rate_records  # noqa: PLC0415

        columns, rows = rate_records(self.frame, order=self.order)
        merges = self.classification.merges if self.classification is not None else ()
        return AdoptionRatesData(self.target, columns, rows, merges)

    def to_csv(self) -> str:
        """The rates as CSV text: every column, sorted, formula-like cells neutralised."""
        from backoffice_marketing.adoption.export import rates_csv_text  # noqa: PLC0415

        return rates_csv_text(self.frame, order=self.order)

    def table_markdown(self, *, lang: Lang | None = None, column: str = "rate") -> str:
        """Departments in rows (the initiative's order), periods in columns, ``column`` in %.

        ``column`` may name ``window_rate`` or ``habit_rate`` when the rates have them.
        """
        from backoffice_marketing.adoption.export import rates_table  # noqa: PLC0415
        from backoffice_marketing.foundation.text import resolve_lang  # noqa: PLC0415

        return rates_table(self.frame, lang=resolve_lang(lang), column=column, order=self.order)

    def _notes(self, lang: Lang) -> tuple[str, ...]:
        if self.classification is None:
            return ()
        return tuple(note.get(lang) for note in merge_notes(self.classification.merges))

    def _markdown(self, lang: Lang) -> str:
        from backoffice_marketing.render.environment import render  # noqa: PLC0415
        from backoffice_marketing.render.labels import label  # noqa: PLC0415

        merges = self.classification.merges if self.classification is not None else ()
        lines = [
            f"# {label('adoption_chart_title', lang)}",
            "",
            self.table_markdown(lang=lang),
            render("adoption_merges.md.j2", lang, merges=merge_notes(merges)),
        ]
        return "\n".join(lines).rstrip("\n") + "\n"

    def series(self) -> dict[str, list[tuple[str, float]]]:
        """Each published department's rates in period order (suppressed cells left out)."""
        from backoffice_marketing.adoption.export import rates_rows  # noqa: PLC0415

        columns, rows = rates_rows(self.frame)
        at = {name: columns.index(name) for name in ("department", "period", "rate")}
        hidden = columns.index("suppressed") if "suppressed" in columns else None
        series: dict[str, list[tuple[str, float]]] = {}
        for row in rows:
            value = row[at["rate"]]
            if value is None or (hidden is not None and row[hidden]):
                continue
            period = row[at["period"]]
            label = period.isoformat() if hasattr(period, "isoformat") else str(period)
            series.setdefault(str(row[at["department"]]), []).append((label, float(value)))
        return series

    @staticmethod
    def _shown(values: Mapping[str, _T], lang: Lang) -> dict[str, _T]:
        """``values`` with the roll-up group named in the reader's language (その他, Other)."""
        from backoffice_marketing.core.privacy import OTHER_GROUP  # noqa: PLC0415
        from backoffice_marketing.render.labels import label  # noqa: PLC0415

        other = label("adoption_other", lang)
        return {other if name == OTHER_GROUP else name: value for name, value in values.items()}

    def chart_svg(self, *, lang: Lang | None = None, small_multiples: bool = False) -> str:
        """The trend chart as SVG: flagged departments in colour, the rest grey, target labelled.

        ``small_multiples=True`` draws one panel per department instead.
        """
        from backoffice_marketing.foundation.text import resolve_lang  # noqa: PLC0415
        from backoffice_marketing.render.labels import label  # noqa: PLC0415
        from backoffice_marketing.render.svg_charts import (  # noqa: PLC0415
            ChartTexts,
            small_multiples_svg,
            trend_svg,
        )

        chosen = resolve_lang(lang)
        texts = ChartTexts(
            title=label("adoption_chart_title", chosen),
            period=label("adoption_period", chosen),
            rate=label("adoption_rate", chosen),
            target=label("adoption_target", chosen),
            subtitle=self._notes(chosen),
        )
        draw = small_multiples_svg if small_multiples else trend_svg
        return draw(
            self._shown(self.series(), chosen),
            order=self.order,
            highlight=self.flagged,
            target=self.target,
            texts=texts,
        )

    def latest_svg(self, *, lang: Lang | None = None, period: str | None = None) -> str:
        """One period as bars, highest first, flagged departments in colour.

        ``period`` is the latest period of each department by default; a
        named one shows the departments published in it, and names it in the title.
        """
        from backoffice_marketing.foundation.text import resolve_lang  # noqa: PLC0415
        from backoffice_marketing.render.labels import label  # noqa: PLC0415
        from backoffice_marketing.render.svg_charts import ChartTexts, latest_bars_svg  # noqa: PLC0415

        chosen = resolve_lang(lang)
        if period is None:
            shown = {name: points[-1][1] for name, points in self.series().items() if points}
        else:
            shown = {
                name: rate
                for name, points in self.series().items()
                for when, rate in points
                if when == period
            }
        title = label("adoption_latest_title", chosen)
        texts = ChartTexts(
            title=title if period is None else f"{title} ({period})",
            period=label("adoption_period", chosen),
            rate=label("adoption_rate", chosen),
            target=label("adoption_target", chosen),
            subtitle=self._notes(chosen),
        )
        return latest_bars_svg(
            self._shown(shown, chosen),
            order=self.order,
            highlight=self.flagged,
            target=self.target,
            texts=texts,
        )

    def advice(self, initiative: Initiative | None = None) -> CutoverAdvice | None:
        """The cut-over advice on these rates, with the initiative's settings when given.

        ``None`` when no department has the four periods a forecast needs.
        """
        from backoffice_marketing.adoption.diffusion import (  # noqa: PLC0415
            cutover_advice,
            series_from_rates,
        )
        from backoffice_marketing.foundation.defaults import MIN_FIT_POINTS  # noqa: PLC0415

        series = {
            name: values
            for name, values in series_from_rates(self.frame).items()
            if len(values[0]) > MIN_FIT_POINTS
        }
        if not series:
            return None
        options: dict[str, Any] = {}
        if initiative is not None:
            options = {
                "majority": initiative.majority_share,
                "notice_days": initiative.notice_days,
                "calendar": initiative.business_calendar,
                "weights": initiative.headcounts,
            }
        return cutover_advice(
            series,
            target=self.target,
            classification=self.classification,
            order=self.order,
            **options,
        )

    def overview_markdown(
        self, *, lang: Lang | None = None, initiative: Initiative | None = None
    ) -> str:
        """Rates, the departments to visit and the cut-over advice, as one Markdown text."""
        from backoffice_marketing.foundation.text import resolve_lang  # noqa: PLC0415

        chosen = resolve_lang(lang)
        parts = [self.table_markdown(lang=chosen)]
        if self.classification is not None:
            parts.append(self.classification.to_markdown(lang=chosen))
        advice = self.advice(initiative)
        if advice is not None:
            parts.append(advice.to_markdown(lang=chosen))
        if self.outcome is not None:
            parts.append(self.outcome.to_markdown(lang=chosen))
        return "\n".join(parts)

    def _export(self, fmt: str, lang: Lang) -> bytes:
        if fmt == "csv":
            return self.to_csv().encode("utf-8")
        svg = self.chart_svg(lang=lang)
        if fmt == "svg":
            return svg.encode("utf-8")
        from backoffice_marketing.render.svg_charts import svg_to_png  # noqa: PLC0415

        return svg_to_png(svg)

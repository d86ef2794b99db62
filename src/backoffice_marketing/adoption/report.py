"""Adoption rates as a report: the frame you computed, with its target and classification.

:func:`~backoffice_marketing.adoption.rates.adoption_rates` keeps its contract
(a dataframe in, the same kind out). :class:`AdoptionRates` wraps that frame
for the report protocol: ``to_markdown`` (departments × periods),
``to_html``, ``to_json`` (columns and rows), ``write`` to ``md``, ``html``,
``json``, ``csv`` (formula-safe), ``svg`` and ``png`` (the trend chart), and
Jupyter display. ``frame`` and :meth:`AdoptionRates.to_native` hand your own
frame back, untouched; every adoption function also accepts the wrapper.

The chart colours exactly the departments that the one classification flags
(lagging or not started), draws the rest in grey, labels the target, keeps the
initiative's order of departments and states every merge under its title.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from backoffice_marketing.adoption.classification import Classification, Standing, merge_notes
from backoffice_marketing.defaults import ADOPTION_TARGET
from backoffice_marketing.report import Report
from backoffice_marketing.text import Lang

if TYPE_CHECKING:
    from backoffice_marketing.adoption.diffusion import CutoverAdvice
    from backoffice_marketing.initiative import Initiative

__all__ = ["AdoptionRates"]


def _names(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(values)


_CELL = {"type": ["string", "number", "integer", "boolean", "null"]}


@attrs.frozen(repr=False)
class AdoptionRates(Report):
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
    schema_body: ClassVar[dict[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["schema_version", "target", "columns", "rows", "merges"],
        "properties": {
            "schema_version": {"const": 1},
            "target": {"type": "number", "minimum": 0, "maximum": 1},
            "columns": {"type": "array", "items": {"type": "string"}},
            "rows": {"type": "array", "items": {"type": "object", "additionalProperties": _CELL}},
            "merges": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["group", "into", "reason"],
                    "properties": {
                        "group": {"type": "string"},
                        "into": {"type": "string"},
                        "reason": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["en", "ja"],
                            "properties": {"ja": {"type": "string"}, "en": {"type": "string"}},
                        },
                    },
                },
            },
        },
    }

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

            classification = classify(rates, target=target)
        return cls(rates, target, classification, tuple(order), outcome)

    def __repr__(self) -> str:
        kind = type(self.frame).__module__.split(".")[0]
        return f"<AdoptionRates frame={kind} target={self.target:.0%}>"

    def to_native(self) -> Any:
        """The frame as given: the same kind of frame your library made."""
        return self.frame

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        """In a notebook: the trend chart (the library's own SVG, offline), then the tables."""
        from backoffice_marketing.text import resolve_lang  # noqa: PLC0415

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

    def _data(self) -> dict[str, Any]:
        import datetime as dt  # noqa: PLC0415

        from backoffice_marketing.adoption.export import rates_rows  # noqa: PLC0415

        columns, rows = rates_rows(self.frame)

        def plain(value: Any) -> Any:
            return value.isoformat() if isinstance(value, dt.date) else value

        merges = self.classification.merges if self.classification is not None else ()
        return {
            "target": self.target,
            "columns": list(columns),
            "rows": [
                {name: plain(value) for name, value in zip(columns, row, strict=True)}
                for row in rows
            ],
            "merges": [
                {"group": m.group, "into": m.into, "reason": {"ja": m.reason.ja, "en": m.reason.en}}
                for m in merges
            ],
        }

    def _notes(self, lang: Lang) -> tuple[str, ...]:
        if self.classification is None:
            return ()
        return tuple(note.get(lang) for note in merge_notes(self.classification.merges))

    def _markdown(self, lang: Lang) -> str:
        from backoffice_marketing.adoption.export import rates_markdown  # noqa: PLC0415
        from backoffice_marketing.render.labels import label  # noqa: PLC0415
        from backoffice_marketing.render.markdown import escape_markdown  # noqa: PLC0415

        lines = [
            f"# {label('adoption_chart_title', lang)}",
            "",
            rates_markdown(self.frame, lang=lang, order=self.order),
        ]
        lines.extend(f"- {escape_markdown(note)}" for note in self._notes(lang))
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

    def chart_svg(self, *, lang: Lang | None = None, small_multiples: bool = False) -> str:
        """The trend chart as SVG: flagged departments in colour, the rest grey, target labelled.

        ``small_multiples=True`` draws one panel per department instead.
        """
        from backoffice_marketing.render.labels import label  # noqa: PLC0415
        from backoffice_marketing.render.svg_charts import (  # noqa: PLC0415
            ChartTexts,
            small_multiples_svg,
            trend_svg,
        )
        from backoffice_marketing.text import resolve_lang  # noqa: PLC0415

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
            self.series(),
            order=self.order,
            highlight=self.flagged,
            target=self.target,
            texts=texts,
        )

    def latest_svg(self, *, lang: Lang | None = None) -> str:
        """The latest period as bars, highest first, flagged departments in colour."""
        from backoffice_marketing.render.labels import label  # noqa: PLC0415
        from backoffice_marketing.render.svg_charts import ChartTexts, latest_bars_svg  # noqa: PLC0415
        from backoffice_marketing.text import resolve_lang  # noqa: PLC0415

        chosen = resolve_lang(lang)
        latest = {name: points[-1][1] for name, points in self.series().items() if points}
        texts = ChartTexts(
            title=label("adoption_latest_title", chosen),
            period=label("adoption_period", chosen),
            rate=label("adoption_rate", chosen),
            target=label("adoption_target", chosen),
            subtitle=self._notes(chosen),
        )
        return latest_bars_svg(
            latest, order=self.order, highlight=self.flagged, target=self.target, texts=texts
        )

    def advice(self, initiative: Initiative | None = None) -> CutoverAdvice | None:
        """The cut-over advice on these rates, with the initiative's settings when given.

        ``None`` when no department has the four periods a forecast needs.
        """
        from backoffice_marketing.adoption.diffusion import (  # noqa: PLC0415
            cutover_advice,
            series_from_rates,
        )
        from backoffice_marketing.defaults import MIN_FIT_POINTS  # noqa: PLC0415

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
        from backoffice_marketing.adoption.export import rates_markdown  # noqa: PLC0415
        from backoffice_marketing.text import resolve_lang  # noqa: PLC0415

        chosen = resolve_lang(lang)
        parts = [rates_markdown(self.frame, lang=chosen, order=self.order)]
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
            from backoffice_marketing.adoption.export import rates_csv  # noqa: PLC0415

            return rates_csv(self.frame, order=self.order).encode("utf-8")
        svg = self.chart_svg(lang=lang)
        if fmt == "svg":
            return svg.encode("utf-8")
        from backoffice_marketing.render.svg_charts import svg_to_png  # noqa: PLC0415

        return svg_to_png(svg)

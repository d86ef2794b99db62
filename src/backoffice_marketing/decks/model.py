"""The records of a deck: slides with their lines, tables, charts and figures."""

from __future__ import annotations

import datetime as dt
import enum
from typing import ClassVar

import attrs

from backoffice_marketing.core.report import Report
from backoffice_marketing.decks.baseline import Baseline
from backoffice_marketing.decks.costs import BusinessCase, Costs
from backoffice_marketing.decks.figures import Figure
from backoffice_marketing.foundation.text import Lang

__all__ = ["Deck", "DeckKind", "GanttRow", "Marker", "Slide"]


class DeckKind(enum.StrEnum):
    """Which decision a deck asks for."""

    APPROVAL = "approval"
    CUTOVER = "cutover"


@attrs.frozen
class GanttRow:
    """One bar of the timeline: a stage from its first start to its last finish."""

    label: str
    start: dt.date
    finish: dt.date


@attrs.frozen
class Marker:
    """A milestone on the timeline."""

    label: str
    date: dt.date


@attrs.frozen
class Slide:
    """One slide: a title, lines (or a table, a timeline, a chart), warnings and figures.

    ``size`` is the type size of the lines, chosen so that they fit;
    ``missing`` says what data the slide lacks (shown instead of a chart);
    ``axis`` labels a chart's first and last bar (periods); ``verbatim``
    lists the texts shown as their source wrote them (names, quotes, task
    titles, axis labels), which are not figures.
    """

    key: str
    title: str
    lines: tuple[str, ...] = ()
    size: int = 20
    table: tuple[tuple[str, ...], ...] = ()
    gantt: tuple[GanttRow, ...] = ()
    markers: tuple[Marker, ...] = ()
    bars: tuple[float, ...] = ()
    reference: float | None = None
    reference_label: str = ""
    axis: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    missing: str | None = None
    verbatim: tuple[str, ...] = ()


@attrs.frozen
class Deck(Report):
    """A decision deck: its slides, and the business case and baseline behind them.

    ``write("deck.pptx")`` draws it (needs the ``[deck]`` extra); JSON,
    Markdown and HTML show the same slides and figures as text.
    """

    report_kind: ClassVar[str] = "deck"
    write_formats: ClassVar[tuple[str, ...]] = ("md", "html", "json", "pptx")

    kind: DeckKind
    lang: str
    initiative: str
    title: str
    as_of: dt.date
    slides: tuple[Slide, ...]
    business_case: BusinessCase | None = None
    baseline: Baseline | None = None
    costs: Costs | None = None

    def __repr__(self) -> str:
        return f"<Deck {self.kind.value} slides={len(self.slides)} as_of={self.as_of.isoformat()}>"

    @property
    def figures(self) -> tuple[Figure, ...]:
        """Every figure of every slide, in slide order."""
        return tuple(figure for slide in self.slides for figure in slide.figures)

    @property
    def warnings(self) -> tuple[str, ...]:
        """Every warning shown on a slide."""
        return tuple(warning for slide in self.slides for warning in slide.warnings)

    def _markdown(self, lang: Lang) -> str:  # noqa: ARG002  (a deck has one language)
        from backoffice_marketing.render.markdown import (  # noqa: PLC0415
            escape_markdown,
            escape_markdown_cell,
        )

        out = [f"# {escape_markdown(self.title)}", ""]
        for number, slide in enumerate(self.slides, start=1):
            out += [f"## {number}. {escape_markdown(slide.title)}", ""]
            out += [f"- {escape_markdown(line.strip())}" for line in slide.lines]
            out += [f"- **{escape_markdown(warning)}**" for warning in slide.warnings]
            if slide.missing:
                out.append(f"- {escape_markdown(slide.missing)}")
            out += [
                f"- {escape_markdown(row.label)}: {row.start.isoformat()} – "
                f"{row.finish.isoformat()}"
                for row in slide.gantt
            ]
            if slide.table:
                header, *rows = slide.table
                out += ["", "| " + " | ".join(escape_markdown_cell(c) for c in header) + " |"]
                out.append("|" + " --- |" * len(header))
                out += [
                    "| " + " | ".join(escape_markdown_cell(c) for c in row) + " |" for row in rows
                ]
            out.append("")
        return "\n".join(out)

    def _export(self, fmt: str, lang: Lang) -> bytes:  # noqa: ARG002
        from backoffice_marketing.decks.pptx_writer import deck_bytes  # noqa: PLC0415

        return deck_bytes(self)

"""The readiness report: survey rounds, the barrier table and the flagged departments' barriers.

Follows the report protocol (:mod:`backoffice_marketing.core.report`): JSON with
its schema, Markdown and HTML in both languages, and ``csv`` for the barrier
table (one row per published group: respondents and barrier points).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import ClassVar

import attrs

from backoffice_marketing.core.departments import company_order
from backoffice_marketing.core.privacy import OTHER_GROUP
from backoffice_marketing.core.report import Report
from backoffice_marketing.foundation.text import Lang
from backoffice_marketing.readiness.barriers import (
    COMPANY,
    INCOMPLETE,
    NO_BARRIER,
    GroupReadiness,
    RoundSummary,
    TrendPoint,
    readiness_trend,
)
from backoffice_marketing.readiness.departments import DepartmentBarrier
from backoffice_marketing.readiness.elements import ELEMENTS, Element
from backoffice_marketing.readiness.tagging import tag_text
from backoffice_marketing.render.barriers import barriers_markdown
from backoffice_marketing.render.cells import neutralise
from backoffice_marketing.render.labels import label
from backoffice_marketing.render.markdown import escape_markdown_cell

__all__ = ["ReadinessReport", "barrier_table_rows", "barriers_markdown"]


def _cell(text: object) -> str:
    return escape_markdown_cell(text)


def _label(key: str, lang: Lang) -> str:
    return label(key, lang)


def _key_label(key: str, lang: Lang) -> str:
    if key == NO_BARRIER:
        return _label("readiness_no_barrier", lang)
    if key == INCOMPLETE:
        return _label("readiness_incomplete", lang)

    return Element(key).label(lang)


def _group_name(group: GroupReadiness, lang: Lang) -> str:
    if group.group == COMPANY:
        return _label("readiness_company", lang)
    if group.group == OTHER_GROUP:
        return _label("readiness_other", lang)
    return group.group


def barrier_table_rows(
    summary: RoundSummary, *, lang: Lang
) -> tuple[list[str], list[list[object]]]:
    """The barrier table of one round: a header and one row per published group."""
    keys = [*(e.value for e in ELEMENTS), NO_BARRIER, INCOMPLETE]
    header = [
        _label("readiness_group", lang),
        _label("readiness_respondents", lang),
        _label("readiness_barrier", lang),
        *(_key_label(key, lang) for key in keys),
    ]
    rows: list[list[object]] = []
    for group in (summary.company, *summary.groups):
        if not group.distribution:
            continue
        counts = dict(group.distribution)
        barrier = (
            group.barrier.label(lang) if group.barrier else _label("readiness_no_barrier", lang)
        )
        rows.append(
            [_group_name(group, lang), group.respondents, barrier, *(counts[k] for k in keys)]
        )
    return header, rows


def _round_markdown(summary: RoundSummary, lang: Lang) -> list[str]:
    lines = [
        (
            f"## {_label('readiness_round', lang)} {_cell(summary.round)} "
            f"({_label('readiness_held_on', lang)} {summary.held_on.isoformat()})"
        ),
        "",
    ]
    if not summary.by_department:
        lines += [_label("readiness_by_company", lang), ""]
    header, rows = barrier_table_rows(summary, lang=lang)
    if not rows:
        return [*lines, _label("readiness_no_survey", lang), ""]
    lines += [
        f"### {_label('readiness_distribution_title', lang)}",
        "",
        "| " + " | ".join(_cell(h) for h in header) + " |",
        "|" + "---|" * len(header),
    ]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    lines += ["", f"### {_label('readiness_means_title', lang)}", ""]
    lines += [
        f"| {_label('readiness_group', lang)} | "
        + " | ".join(_cell(e.label(lang)) for e in ELEMENTS)
        + " |",
        "|" + "---|" * (len(ELEMENTS) + 1),
    ]
    for group in (summary.company, *summary.groups):
        if not group.means:
            continue
        by = {m.element: m for m in group.means}
        cells = [
            f"{by[e].mean:.2f} ({by[e].low:.2f}–{by[e].high:.2f})" if e in by else "—"
            for e in ELEMENTS
        ]
        lines.append(f"| {_cell(_group_name(group, lang))} | " + " | ".join(cells) + " |")
    if summary.suppressed:
        lines += ["", f"**{_label('readiness_suppressed', lang)}**", ""]
        lines += [f"- {_cell(s.group)}: {_cell(s.reason.get(lang))}" for s in summary.suppressed]
    quoted = [g for g in (summary.company, *summary.groups) if g.comments]
    if quoted:
        lines += ["", f"### {_label('readiness_comments', lang)}", ""]
        for group in quoted:
            lines.append(f"- **{_cell(_group_name(group, lang))}**")
            for comment in sorted(set(group.comments)):
                element = tag_text(comment)
                mark = f" ({_cell(element.short.get(lang))})" if element is not None else ""
                lines.append(f"  - {_cell(comment)}{mark}")
    lines.append("")
    return lines


def _trend_markdown(points: Sequence[TrendPoint], lang: Lang) -> list[str]:
    rounds = sorted({(p.held_on, p.round) for p in points})
    if len(rounds) < 2:
        return []
    keys = [*(e.value for e in ELEMENTS), NO_BARRIER]
    lines = [
        f"## {_label('readiness_trend_title', lang)}",
        "",
        f"| {_label('readiness_group', lang)} | {_label('readiness_round', lang)} | "
        + " | ".join(_cell(_key_label(k, lang)) for k in keys)
        + " |",
        "|" + "---|" * (len(keys) + 2),
    ]
    for point in points:
        shares = dict(point.shares)
        name = _label("readiness_company", lang) if point.group == COMPANY else point.group
        lines.append(
            f"| {_cell(name)} | {_cell(point.round)} | "
            + " | ".join(f"{shares[k]:.0%}" for k in keys)
            + " |"
        )
    lines.append("")
    return lines


def _rounds(values: Iterable[RoundSummary]) -> tuple[RoundSummary, ...]:
    return tuple(sorted(values, key=lambda s: (s.held_on, s.round)))


def _barriers(values: Iterable[DepartmentBarrier]) -> tuple[DepartmentBarrier, ...]:
    return tuple(values)


@attrs.frozen
class ReadinessReport(Report):
    """Survey rounds (oldest first), their trend, and the flagged departments' barriers."""

    report_kind: ClassVar[str] = "readiness_report"
    write_formats: ClassVar[tuple[str, ...]] = ("md", "html", "json", "csv")

    as_of: dt.date
    rounds: tuple[RoundSummary, ...] = attrs.field(converter=_rounds)
    barriers: tuple[DepartmentBarrier, ...] = attrs.field(default=(), converter=_barriers)
    trend: tuple[TrendPoint, ...] = ()

    @classmethod
    def build(
        cls,
        rounds: Iterable[RoundSummary],
        *,
        barriers: Iterable[DepartmentBarrier] = (),
        as_of: dt.date | None = None,
    ) -> ReadinessReport:
        """The report of ``rounds`` with the flagged departments' ``barriers``.

        The barriers follow the groups' order in the latest rounds (the
        company's order), then the rest by name.
        """
        ordered = _rounds(rounds)
        day = as_of or (ordered[-1].held_on if ordered else dt.date.min)
        shown = [
            name
            for summary in reversed(ordered)
            for group in summary.groups
            for name in (group.group, *group.members)
        ]
        rank = company_order(dict.fromkeys(shown))
        flagged = sorted(barriers, key=lambda barrier: rank(barrier.department))
        return cls(day, ordered, tuple(flagged), readiness_trend(ordered))

    def __repr__(self) -> str:
        return (
            f"<ReadinessReport {self.as_of} rounds={len(self.rounds)} "
            f"barriers={len(self.barriers)}>"
        )

    @property
    def latest(self) -> RoundSummary | None:
        """The latest round, or ``None``."""
        return self.rounds[-1] if self.rounds else None

    def _markdown(self, lang: Lang) -> str:
        threshold = self.latest.threshold if self.latest else 3.0
        lines = [
            f"# {_label('readiness_title', lang)}",
            "",
            _label("readiness_intro", lang).replace("{threshold}", f"{threshold:g}"),
            "",
            " → ".join(_cell(element.text.get(lang)) for element in ELEMENTS),
            "",
            barriers_markdown(self.barriers, lang=lang),
        ]
        if not self.rounds:
            lines += [_label("readiness_no_survey", lang), ""]
        for summary in reversed(self.rounds):
            lines += _round_markdown(summary, lang)
        lines += _trend_markdown(self.trend, lang)
        return "\n".join(lines).rstrip() + "\n"

    def _export(self, fmt: str, lang: Lang) -> bytes:  # noqa: ARG002  (csv is the only extra)
        """The latest round's barrier table as CSV (cells neutralised)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if self.latest is not None:
            header, rows = barrier_table_rows(self.latest, lang=lang)
            writer.writerow(header)
            writer.writerows([[neutralise(value) for value in row] for row in rows])
        return buffer.getvalue().encode("utf-8-sig")

"""Adoption rates out of the dataframe world: CSV, JSON and a Markdown table.

Every export is sorted by department and period (departments in the
company's ``order`` when given, else by name), so the same rates always give
the same bytes. CSV cells are neutralised against formula injection (a
roster's department name is user data); JSON keeps numbers as numbers and
dates as ISO text; the Markdown table puts departments in rows and periods in
columns, the way the chart reads.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from typing import Any

from backoffice_marketing.adoption.frames import collect, require_columns, to_frame
from backoffice_marketing.departments import company_order
from backoffice_marketing.render.cells import neutralise
from backoffice_marketing.render.labels import label
from backoffice_marketing.render.markdown import escape_markdown_cell
from backoffice_marketing.text import Lang, check_lang

__all__ = ["rates_csv", "rates_json", "rates_markdown", "rates_rows"]

_KEY = ("department", "period")


def rates_rows(
    rates: Any, *, order: Sequence[str] = ()
) -> tuple[tuple[str, ...], tuple[tuple[Any, ...], ...]]:
    """The columns and the rows of ``rates`` (collected), sorted by department and period.

    Departments follow ``order`` (the company's); those it does not name
    come after, by name.
    """
    frame = to_frame(rates, what="rates")
    columns = tuple(frame.collect_schema().names())
    require_columns(frame, list(_KEY), what="<rates>")
    data = collect(frame)
    department, period = (columns.index(name) for name in _KEY)
    company = company_order(order)
    rows = sorted(data.rows(), key=lambda row: (company(str(row[department])), str(row[period])))
    return columns, tuple(tuple(row) for row in rows)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return neutralise(value)
    return _plain(value)


def rates_csv(rates: Any, *, order: Sequence[str] = ()) -> str:
    """The rates as CSV text (UTF-8, one line per row, formula-like text neutralised).

    Departments follow ``order`` (the company's), then the rest by name.
    """
    columns, rows = rates_rows(rates, order=order)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def rates_json(rates: Any, *, order: Sequence[str] = ()) -> str:
    """The rates as JSON: ``{"schema_version": 1, "columns": [...], "rows": [{...}]}``.

    Departments follow ``order`` (the company's), then the rest by name.
    """
    columns, rows = rates_rows(rates, order=order)
    document = {
        "schema_version": 1,
        "columns": list(columns),
        "rows": [
            {name: _plain(value) for name, value in zip(columns, row, strict=True)} for row in rows
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def rates_markdown(
    rates: Any, *, lang: Lang = "ja", column: str = "rate", order: Sequence[str] = ()
) -> str:
    """Departments in rows, periods in columns, each cell ``column`` as a percentage.

    Rows follow ``order`` (the company's order of departments); departments
    it does not name come after, by name. Suppressed cells (groups under the
    privacy floor) show ``—``.
    """
    checked = check_lang(lang)
    require_columns(to_frame(rates, what="rates"), [*_KEY, column, "suppressed"], what="<rates>")
    columns, rows = rates_rows(rates, order=order)
    where = {name: columns.index(name) for name in (*_KEY, column, "suppressed")}
    periods = sorted({str(row[where["period"]]) for row in rows})
    table: dict[str, dict[str, str]] = {}
    for row in rows:
        department = str(row[where["department"]])
        if department == "other":
            department = label("adoption_other", checked)
        value = row[where[column]]
        shown = "—" if row[where["suppressed"]] or value is None else f"{float(value):.0%}"
        table.setdefault(department, {})[str(row[where["period"]])] = shown
    header = [label("adoption_department", checked), *periods]
    lines = [
        "| " + " | ".join(escape_markdown_cell(name) for name in header) + " |",
        "|" + "---|" * len(header),
    ]
    for department, shown_by_period in table.items():  # rows come in the company's order
        cells = [shown_by_period.get(period, "—") for period in periods]
        lines.append("| " + " | ".join([escape_markdown_cell(department), *cells]) + " |")
    return "\n".join(lines) + "\n"

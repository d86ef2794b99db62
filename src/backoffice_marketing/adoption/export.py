"""Adoption rates out of the dataframe world: typed rows, CSV text and a Markdown table.

These are the building blocks of
:class:`~backoffice_marketing.adoption.report.AdoptionRates` (its ``to_json``,
``to_csv``, ``to_markdown`` and ``table_markdown``). Every output is sorted by
department and period (departments in the company's ``order`` when given, else by name),
so the same rates always give the same bytes. CSV cells are neutralised against formula
injection (a roster's department name is user data); the typed rows (:class:`RateRow`)
keep numbers as numbers and dates as dates, and go to JSON through the one converter;
the Markdown table puts departments in rows and periods in columns, the way the chart
reads.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import attrs

from backoffice_marketing.adoption.frames import collect, require_columns, to_frame
from backoffice_marketing.core.departments import company_order
from backoffice_marketing.core.privacy import OTHER_GROUP
from backoffice_marketing.foundation.text import Lang, check_lang
from backoffice_marketing.render.cells import neutralise
from backoffice_marketing.render.labels import label
from backoffice_marketing.render.markdown import escape_markdown_cell

__all__ = [
    "RATE_ROW_COLUMNS",
    "RateRow",
    "rate_records",
    "rates_csv_text",
    "rates_rows",
    "rates_table",
]

_KEY = ("department", "period")


@attrs.frozen
class RateRow:
    """One department in one period, as the JSON of the rates carries it.

    ``department`` and ``period`` are always there; every other column is
    ``None`` (and left out of the JSON) when the rates do not have it, for
    instance ``window_rate`` without ``window=``. A withheld group has
    ``suppressed`` true and zero figures.
    """

    department: str
    period: str
    period_start: dt.date | None = None
    headcount: int | None = None
    active_users: int | None = None
    rate: float | None = None
    unmatched_users: int | None = None
    suppressed: bool | None = None
    window_active_users: int | None = None
    window_rate: float | None = None
    habit_users: int | None = None
    habit_rate: float | None = None
    never_used: int | None = None
    dormant: int | None = None


#: The columns a :class:`RateRow` carries, in order (the columns of ``adoption_rates``).
RATE_ROW_COLUMNS = tuple(field.name for field in attrs.fields(RateRow))


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


def _typed(name: str, value: Any) -> Any:
    """``value`` as the type :class:`RateRow` gives column ``name`` (numbers stay numbers)."""
    if value is None:
        return None
    if name in _KEY:
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if name == "period_start":
        return value.date() if isinstance(value, dt.datetime) else value
    if name == "suppressed":
        return bool(value)
    if name.endswith("rate"):
        return float(value)
    return int(value)


def rate_records(
    rates: Any, *, order: Sequence[str] = ()
) -> tuple[tuple[str, ...], tuple[RateRow, ...]]:
    """The rate columns ``rates`` has (in :data:`RATE_ROW_COLUMNS` order) and its typed rows.

    Columns that are not rate columns are not carried (the rates of
    :func:`~backoffice_marketing.adoption.rates.adoption_rates` have none).
    """
    columns, rows = rates_rows(rates, order=order)
    kept = tuple(name for name in RATE_ROW_COLUMNS if name in columns)
    at = {name: columns.index(name) for name in kept}
    records = tuple(RateRow(**{name: _typed(name, row[at[name]]) for name in kept}) for row in rows)
    return kept, records


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def rates_csv_text(rates: Any, *, order: Sequence[str] = ()) -> str:
    """The rates as CSV text (UTF-8, one line per row, formula-like text neutralised).

    Departments follow ``order`` (the company's), then the rest by name.
    """
    columns, rows = rates_rows(rates, order=order)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def rates_table(
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
        if department == OTHER_GROUP:
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
